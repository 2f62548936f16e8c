"""An amendment and the results on their way to official (issue 14).

An amendment (issue 13) is recorded when it invalidates no accepted event, and a program it
changes is rebuilt on the new definition (``program.rebase``): a new maximum, weight, rule or
award would then move totals, ranks and awards. While marking that is the amendment's point;
once a program has left marking its results are being reviewed (复核), are public for
objections (公示) or are final, and they change only on the record of the lifecycle: a
reviewer's or the chief's correction with its reason, shown as 更正 after publication.
``moved`` says what an amendment would move in such a program, so that the hub refuses it
(``program_in_review``, ``results_published``) instead of changing a result silently.
An amendment that moves no result there (a name, a bib, a judge, a delegation's name) is
recorded as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from ..board import Scoreboard
from ..errors import EventRefused
from ..events import Event
from ..kinds import Lifecycle
from ..model import Competition
from ..numbers import fmt
from ..program import ProgramState
from ..program.rebase import rebased

Shown = tuple[Fraction | None, int | None, str | None, tuple[str, ...], str]


@dataclass(frozen=True)
class Moved:
    program: str
    stage: Lifecycle
    competitor: str
    what: str  # "total 18.00 → 19.00", "rank 2 → 1", "award silver → gold", "removed", …

    def __str__(self) -> str:
        return f"{self.program} ({self.stage.value}): {self.competitor}: {self.what}"


def shown(state: ProgramState) -> dict[str, Shown]:
    """Each competitor's result as the boards show it: total, rank, award, titles, status."""
    out: dict[str, Shown] = {}
    for cid in state.program.competitors:
        st = state.standings.get(cid)
        placing = st.placing if st else None
        out[cid] = (
            state.results[cid].total,
            placing.rank if placing else None,
            st.award if st else None,
            st.titles if st else (),
            state.statuses[cid].value,
        )
    return out


def _differences(pid: str, stage: Lifecycle, places: int, a: Shown, b: Shown) -> list[str]:
    def total(v: Fraction | None) -> str:
        return "–" if v is None else fmt(v, places)

    labels = ("total", "rank", "award", "titles", "status")
    out = []
    for label, x, y in zip(labels, a, b, strict=True):
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
        if program == old.program:
            continue
        before, after = shown(old), shown(rebased(old, program, competition))
        for cid in before.keys() - after.keys():
            out.append(Moved(pid, stage, cid, "removed"))
        for cid in after.keys() - before.keys():
            out.append(Moved(pid, stage, cid, "added"))
        places = program.value_places
        for cid in sorted(before.keys() & after.keys()):
            for what in _differences(pid, stage, places, before[cid], after[cid]):
                out.append(Moved(pid, stage, cid, what))
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
