"""How far a program's marking is, competitor by competitor; a judge's mark as the state holds
it (``Mark``), and corrections as marks.

A competitor is *settled* when every aspect's panel is complete, or when they have nothing
left to be marked on (DNS, DNF, DSQ): the public progress ("12 of 15 complete") and the
review gate count these. A reviewer's or the chief's correction (``MarkCorrected``) changes a
judge's mark as that judge's own later mark would (scoring.md §9.4).
"""

from __future__ import annotations

from fractions import Fraction
from typing import NamedTuple, Protocol

from ..events import MarkSubmitted
from ..lifecycle.events import MarkCorrected
from ..model import Program, Status
from ..scoring import COMPLETE, AspectResult


class Mark(NamedTuple):
    """A judge's mark as the state holds it (a named tuple: one is made per mark applied, and
    a frozen dataclass is several times slower to make)."""

    event: str  # the mark's id
    judge: str
    value: str
    raw: Fraction
    ts: int


class Marking(Protocol):
    program: Program
    statuses: dict[str, Status]
    aspect_results: dict[str, dict[str, AspectResult]]


def settled(state: Marking, cid: str) -> bool:
    if state.statuses[cid] is not Status.OK:
        return True
    results = state.aspect_results[cid]
    return len(results) == len(state.program.aspects) and all(
        r.state is COMPLETE for r in results.values()
    )


def as_mark(program: str, event: MarkCorrected) -> MarkSubmitted:
    """The correction as the judge's mark it replaces the earlier one with."""
    return MarkSubmitted(
        event.id, program, event.competitor, event.aspect, event.judge, event.value, event.ts
    )
