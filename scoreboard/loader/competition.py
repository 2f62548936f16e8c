"""The competition file as a whole: format version, delegations, programs, judges."""

from __future__ import annotations

from typing import Any

from ..errors import CompetitionFileError
from ..model import Competition, Judge, Program, Role
from .event_plan import PLAN_FIELDS, check_plan, read_plan
from .panels import check_entries, check_panels
from .people import read_delegations, read_judge
from .programs import read_program
from .reader import Problems, Reader, indexed

FORMAT_VERSION = 1
COMPETITION_FIELDS = {
    "format",
    "id",
    "name",
    "delegations",
    "programs",
    "judges",
    "medal_points",
    "count_awards",
}


def load_competition(data: Any) -> Competition:
    """Build and check a competition; raise ``CompetitionFileError`` listing every problem."""
    p = Problems()
    r = Reader(data, "", p)
    r.unknown(COMPETITION_FIELDS | PLAN_FIELDS)
    fmt_v = r.int("format", FORMAT_VERSION)
    if fmt_v != FORMAT_VERSION:
        p.add("format", f"is {fmt_v}; this Scorecast reads format {FORMAT_VERSION}")
    delegations = read_delegations(r, p)
    programs: dict[str, Program] = {}
    for path, d in indexed(r.list("programs"), "programs", "id", p):
        prog = read_program(Reader(d, path, p), set(delegations))
        programs[prog.id] = prog
    if not programs:
        p.add("programs", "is empty; a competition needs at least one program")
    judges: dict[str, Judge] = {}
    for path, d in indexed(r.list("judges"), "judges", "id", p):
        j = read_judge(Reader(d, path, p), programs, set(delegations))
        judges[j.id] = j
    _one_leader_per_delegation(judges, p)
    medal_points = _medal_points(r.data.get("medal_points"), p)
    count_awards = r.strs("count_awards") or ()
    plan = read_plan(r, p)
    check_plan(plan, programs, p)
    if not p.items:  # panels are counted on a file that holds together otherwise
        check_panels(programs, judges, p)
        check_entries(programs, judges, p)
    if p.items:
        raise CompetitionFileError(p.items, p.where)
    return Competition(
        id=r.str("id", "competition"),
        name=r.name(fallback="Competition"),
        delegations=delegations,
        programs=programs,
        judges=judges,
        medal_points=medal_points,
        count_awards=count_awards,
        plan=plan,
    )


def _one_leader_per_delegation(judges: dict[str, Judge], p: Problems) -> None:
    """A delegation has one leader credential (领队); name every leader of a delegation with two."""
    leaders: dict[str, list[str]] = {}
    for j in judges.values():
        if j.role is Role.LEADER and j.delegation is not None:
            leaders.setdefault(j.delegation, []).append(j.id)
    for deleg, ids in leaders.items():
        if len(ids) > 1:
            names = ", ".join(repr(i) for i in ids)
            p.add("judges", f"delegation {deleg!r} has {len(ids)} leaders ({names}); keep one")


def _medal_points(mp: Any, p: Problems) -> tuple[int, ...] | None:
    """Points per medal for the medal table's ranking (None: by golds, then silvers, ...)."""
    if mp is None:
        return None
    if isinstance(mp, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in mp):
        return tuple(mp)
    p.add("medal_points", "must be a list of whole numbers, like [4, 3, 2, 1]")
    return None
