"""Who takes part: delegations, competitors (with their per-aspect factors) and judges."""

from __future__ import annotations

from fractions import Fraction

from ..model import Aspect, Assignment, Competitor, Delegation, Judge, Program, Role, Status
from ..numbers import parse_number
from .reader import Problems, Reader, indexed

COMPETITOR_FIELDS = {
    "id",
    "bib",
    "name",
    "delegation",
    "members",
    "guest",
    "status",
    "tags",
    "multipliers",
    "judge_factors",
    "offsets",
    "workplace",
    "national_id",
    "talent_consent",
    "born",
}


def read_delegations(r: Reader, p: Problems) -> dict[str, Delegation]:
    delegations: dict[str, Delegation] = {}
    for path, d in indexed(r.list("delegations"), "delegations", "code", p):
        dr = Reader(d, path, p)
        dr.unknown({"code", "name"})
        code = dr.str("code", required=True)
        delegations[code] = Delegation(code, dr.name(fallback=code))
    return delegations


def read_competitor(
    r: Reader, program: str, delegations: set[str], aspects: dict[str, Aspect]
) -> Competitor:
    r.unknown(COMPETITOR_FIELDS)
    bib = r.str("bib", required=True)
    cid = r.str("id") or f"{program}-{bib}"
    deleg = r.str("delegation") or None
    if deleg is not None and delegations and deleg not in delegations:
        r.p.add(
            r.at("delegation"),
            f"{deleg!r} is not a delegation of the competition; add it to delegations",
        )
    members = []
    for i, m in enumerate(r.list("members")):
        members.append(Reader({"name": m}, f"{r.at('members')}[{i}]", r.p).name())
    return Competitor(
        id=cid,
        bib=bib,
        name=r.name(fallback=bib),
        delegation=deleg,
        members=tuple(members),
        guest=r.bool("guest", False),
        status=r.choice("status", Status, Status.OK),
        tags=r.strs("tags") or (),
        multipliers=_per_aspect(r, "multipliers", aspects),
        judge_factors=_per_aspect(r, "judge_factors", aspects),
        offsets=_per_aspect(r, "offsets", aspects),
        workplace=r.str("workplace") or None,
        talent_consent=r.bool("talent_consent", False),
        national_id=r.str("national_id") or None,
        born=r.int("born", 0, low=1900, high=2100) if r.has("born") else None,
    )


def _per_aspect(r: Reader, key: str, aspects: dict[str, Aspect]) -> dict[str, Fraction]:
    raw = r.data.get(key) or {}
    out: dict[str, Fraction] = {}
    if not isinstance(raw, dict):
        r.p.add(r.at(key), 'must be a table of aspect id = "number"')
        return out
    for aid, v in raw.items():
        if aid not in aspects:
            r.p.add(f"{r.at(key)}.{aid}", "is not an aspect of this program")
            continue
        try:
            out[aid] = parse_number(v)
        except ValueError as e:
            r.p.add(f"{r.at(key)}.{aid}", str(e))
    return out


def read_judge(r: Reader, programs: dict[str, Program], delegations: set[str]) -> Judge:
    r.unknown({"id", "name", "delegation", "role", "assignments"})
    jid = r.str("id", required=True)
    deleg = r.str("delegation") or None
    if deleg is not None and delegations and deleg not in delegations:
        r.p.add(r.at("delegation"), f"{deleg!r} is not a delegation of the competition")
    assignments = [
        _assignment(r, Reader(a, f"{r.at('assignments')}[{i}]", r.p), programs)
        for i, a in enumerate(r.list("assignments"))
    ]
    role = r.choice("role", Role, Role.JUDGE)
    if role is Role.LEADER and deleg is None:
        r.p.add(r.at("delegation"), "is missing: a leader appeals for their own delegation; add it")
    return Judge(jid, r.name(fallback=jid), deleg, role, tuple(assignments))


def _assignment(r: Reader, ar: Reader, programs: dict[str, Program]) -> Assignment:
    """A program, and optionally the criteria or aspects of it, that a judge marks."""
    ar.unknown({"program", "criteria", "aspects"})
    pid = ar.str("program", required=True)
    crit = ar.strs("criteria")
    asp = ar.strs("aspects")
    prog = programs.get(pid)
    if prog is None:
        if pid:
            r.p.add(ar.at("program"), f"{pid!r} is not a program of the competition")
    else:
        for c in crit or ():
            if c not in prog.criteria:
                r.p.add(ar.at("criteria"), f"{c!r} is not a criterion of {pid}")
        for x in asp or ():
            if x not in prog.aspects:
                r.p.add(ar.at("aspects"), f"{x!r} is not an aspect of {pid}")
    return Assignment(
        pid,
        frozenset(crit) if crit is not None else None,
        frozenset(asp) if asp is not None else None,
    )
