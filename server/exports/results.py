"""A program's official results as tables to print: one ``Sheet`` per program, from the
jury's board (every competitor, every criterion and component), with the program's state.

The sheets are the same whatever prints them (``workbook`` as XLSX, ``pdf`` as PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoreboard import JURY, PUBLIC, Competition, Scoreboard, program_channel
from scoreboard.model import Name, Program

from .record_index import Official, Replayed
from .state import is_official, program_state, state_words
from .words import STATUS, award_name


@dataclass
class Line:
    """One competitor's line of a result sheet."""

    cid: str
    rank: int | None
    bib: str
    name: Name
    members: list[Name]
    delegation: str
    delegation_name: Name
    criteria: dict[str, str]
    components: dict[str, str]
    total: str
    standardised: str
    award: str | None
    titles: list[str]
    status: str
    provisional: bool
    guest: bool

    @property
    def award_name(self) -> Name:
        return award_name(self.award)

    @property
    def status_words(self) -> tuple[str, str]:
        return STATUS.get(self.status, (self.status, self.status))


@dataclass
class Sheet:
    program: Program
    state: str
    criteria: list[tuple[str, Name]]
    components: list[tuple[str, Name]]
    lines: list[Line]
    official: Official | None
    venue: Name | None = None
    days: list[str] = field(default_factory=list)

    @property
    def state_words(self) -> tuple[str, str]:
        return state_words(self.state)

    @property
    def is_official(self) -> bool:
        return is_official(self.state)

    @property
    def standardised(self) -> bool:
        return self.program.standardisation is not None


def line(comp: Competition, row: dict[str, Any]) -> Line:
    c = row["competitor"]
    code = c.get("delegation") or ""
    deleg = comp.delegations.get(code)
    return Line(
        cid=c["id"],
        rank=row.get("rank"),
        bib=c["bib"],
        name=c["name"],
        members=list(c.get("members") or []),
        delegation=code,
        delegation_name=deleg.name if deleg else {"zh": "", "en": ""},
        criteria=dict(row.get("criteria") or {}),
        components=dict(row.get("components") or {}),
        total=row.get("total") or "",
        standardised=row.get("standardised") or "",
        award=row.get("award"),
        titles=list(row.get("titles") or []),
        status=row.get("status") or "ok",
        provisional=bool(row.get("provisional")),
        guest=bool(c.get("guest")),
    )


def sheet(rec: Replayed, pid: str) -> Sheet:
    comp, board = rec.competition, rec.board
    prog = comp.programs[pid]
    view = board.view(program_channel(pid, JURY))
    lines = [line(comp, view.rows[cid]) for cid in view.order]
    venue = comp.plan.venues.get(prog.venue) if prog.venue else None
    return Sheet(
        program=prog,
        state=program_state(board, pid),
        criteria=[(c.id, c.name) for c in prog.criteria.values()],
        components=[(k.id, k.name) for k in prog.components],
        lines=lines,
        official=rec.index.official.get(pid),
        venue=venue.name if venue else None,
        days=list(prog.days),
    )


def sheets(rec: Replayed, program: str | None = None) -> list[Sheet]:
    pids = [program] if program else list(rec.competition.programs)
    return [sheet(rec, pid) for pid in pids]


@dataclass
class MedalLine:
    rank: int | None
    delegation: str
    name: Name
    medals: dict[str, int]
    points: int
    total: int


def medal_lines(board: Scoreboard, comp: Competition) -> list[MedalLine]:
    """The official medal table (final results only: a program in 公示 is not counted yet), ranked delegations first; a
    delegation with no medal is listed without a rank."""
    out = []
    for r in board.medal_table(PUBLIC):
        d = comp.delegations.get(r["delegation"])
        won = int(r["total"]) > 0
        out.append(
            MedalLine(
                rank=r["rank"] if won else None,
                delegation=r["delegation"],
                name=d.name if d else {"zh": r["delegation"], "en": r["delegation"]},
                medals=dict(r["medals"]),
                points=int(r["points"]),
                total=int(r["total"]),
            )
        )
    return sorted(out, key=lambda m: m.rank is None)
