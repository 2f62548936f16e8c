"""An amendment and the results on their way to official (issue 14).

An amendment (issue 13) is recorded when it invalidates no accepted event, and a program it
changes is rebuilt on the new definition (``program.rebase``): a new maximum, weight, rule or
award would then move totals, ranks and awards. While marking that is the amendment's point;
once a program has left marking its results are being reviewed (复核), are public for
objections (公示) or are final, and they change only on the record of the lifecycle: a
reviewer's or the chief's correction with its reason, shown as 更正 after publication.
``moved`` says what an amendment would move in such a program, so that the hub refuses it
(``program_in_review``, ``results_published``) instead of changing a result silently.
What is shown of a result is its total, rank, award, titles and status, and a medal winner's
delegation (the medal table counts the medal for it). The medal table's inputs, medal_points,
count_awards and the list of delegations, move every such program whose medals they count.
An amendment that moves no result there (a name, a bib, a judge, a delegation's name, the
delegation of a competitor without an award) is recorded as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..board import Scoreboard
from ..board.tallies import positions
from ..errors import EventRefused
from ..events import Event
from ..kinds import Lifecycle
from ..model import Competition
from ..numbers import fmt
from ..program import ProgramState
from ..program.rebase import rebased

Shown = tuple[Fraction | None, int | None, str | None, tuple[str, ...], str, str | None]


@dataclass(frozen=True)
class Moved:
    program: str
    stage: Lifecycle
    competitor: str
    what: str  # "total 18.00 → 19.00", "rank 2 → 1", "award silver → gold", "removed", …

    def __str__(self) -> str:
        return f"{self.program} ({self.stage.value}): {self.competitor}: {self.what}"


def shown(state: ProgramState) -> dict[str, Shown]:
    """Each competitor's result as the boards show it: total, rank, award, titles, status, and
    the delegation of a competitor with an award (the medal table counts it for them)."""
    out: dict[str, Shown] = {}
    for cid, comp in state.program.competitors.items():
        st = state.standings.get(cid)
        placing = st.placing if st else None
        award = st.award if st else None
        out[cid] = (
            state.results[cid].total,
            placing.rank if placing else None,
            award,
            st.titles if st else (),
            state.statuses[cid].value,
            comp.delegation if award is not None else None,
        )
    return out


def _differences(pid: str, stage: Lifecycle, places: int, a: Shown, b: Shown) -> list[str]:
    def total(v: Fraction | None) -> str:
        return "–" if v is None else fmt(v, places)

    labels = ("total", "rank", "award", "titles", "status", "delegation")
    out = []
    for label, x, y in zip(labels, a, b, strict=True):
        if label == "delegation" and (a[2] is None or b[2] is None):
            continue  # an award won or lost: the award's difference says it
        if x != y:
            if label == "total":
                out.append(f"total {total(a[0])} → {total(b[0])}")
            else:
                out.append(f"{label} {x or '–'} → {y or '–'}")
    return out


def moved(programs: Mapping[str, ProgramState], competition: Competition) -> list[Moved]:
    """What putting ``competition`` in force would move of the results of the programs past
    marking. Raises ``EventRefused`` when the new definition refuses an accepted event (the
    amendment is refused for that anyway)."""
    out: list[Moved] = []
    for pid, old in programs.items():
        stage = old.lifecycle.stage
        if stage is Lifecycle.MARKING:
            continue
        program = competition.programs.get(pid)
        if program is None:
            out.append(Moved(pid, stage, "*", "the program removed"))
            continue
        new = old if program == old.program else rebased(old, program, competition)
        if new is not old:
            before, after = shown(old), shown(new)
            for cid in before.keys() - after.keys():
                out.append(Moved(pid, stage, cid, "removed"))
            for cid in after.keys() - before.keys():
                out.append(Moved(pid, stage, cid, "added"))
            places = program.value_places
            for cid in sorted(before.keys() & after.keys()):
                for what in _differences(pid, stage, places, before[cid], after[cid]):
                    out.append(Moved(pid, stage, cid, what))
        for what in _medal_table(old, new, competition):
            out.append(Moved(pid, stage, "*", f"the medal table's {what}"))
    return out


def _listed(values: Iterable[object] | None) -> str:
    return ", ".join(str(v) for v in values) if values else "–"


def _medal_table(old: ProgramState, new: ProgramState, competition: Competition) -> list[str]:
    """The medal table's inputs ``competition`` changes that count ``old``'s medals (or
    ``new``'s, on the amended definition): medal_points and the delegations for a program with
    medals, count_awards for a program whose medals it names."""
    in_force = old.competition
    was, now = positions(old.program, in_force), positions(new.program, competition)
    medalled = any(s.award in was for s in old.standings.values()) or any(
        s.award in now for s in new.standings.values()
    )
    if not medalled:
        return []
    out = []
    if in_force.medal_points != competition.medal_points:
        out.append(
            f"medal_points {_listed(in_force.medal_points)} → {_listed(competition.medal_points)}"
        )
    if in_force.count_awards != competition.count_awards and (
        positions(old.program, competition) != was
    ):
        out.append(
            f"count_awards {_listed(in_force.count_awards)} → {_listed(competition.count_awards)}"
        )
    added = sorted(competition.delegations.keys() - in_force.delegations.keys())
    gone = sorted(in_force.delegations.keys() - competition.delegations.keys())
    if added or gone:
        change = [f"+ {d}" for d in added] + [f"− {d}" for d in gone]
        out.append(f"delegations {', '.join(change)}")
    return out


def moved_on_record(
    in_force: Competition, events: Iterable[tuple[int, Event]], competition: Competition
) -> list[Moved]:
    """``moved`` for a ledger's events (``scorecast amend --store``: no hub holds the board)."""
    board = Scoreboard(in_force)
    for _, e in events:
        try:
            board.apply(e)
        except EventRefused:
            continue  # refused when it was submitted too: never part of the results
    return moved(board.programs, competition)


def refusal(found: list[Moved]) -> tuple[str, str]:
    """The code and message refusing an amendment that moves ``found``, with the fix."""
    published = [m for m in found if m.stage is not Lifecycle.REVIEW]
    pid = (published or found)[0].program
    listed = "\n".join(f"  {m}" for m in found[:20])
    more = f"\n  … and {len(found) - 20} more" if len(found) > 20 else ""
    if published:
        return (
            "results_published",
            "the amendment was not recorded: it would change results that are public for "
            "objections (公示) or final, without a correction on the record:\n"
            f"{listed}{more}\n"
            "After publication a result changes only through an appeal's ruling and the chief's "
            f"corrected marks (scorecast lifecycle correct {pid} … --appeal ID), shown as 更正; "
            "amend only what moves no result (names, bibs, judges).",
        )
    return (
        "program_in_review",
        "the amendment was not recorded: it would change results under review (复核):\n"
        f"{listed}{more}\n"
        f"Reopen marking first (the chief: scorecast lifecycle reopen {pid} --reason TEXT; the "
        "review starts again), amend, then enter review again.",
    )
