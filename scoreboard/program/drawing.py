"""The draw as an event: what the hub records is checked against the published recipe.

``derive`` is what the hub records for a program's draw (``scoreboard/draw.py`` applied to
the program's competitors in bib order); ``check_draw`` refuses a draw event whose
recorded result is not what its own inputs give (a replay re-derives every draw), a redraw
without a reason, and any draw once marking has started.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..draw import codes, draw
from ..errors import InvalidValue, StateConflict
from ..events import DrawMade
from ..model import Program


@dataclass(frozen=True)
class DrawResult:
    stations: tuple[str, ...]  # competitor ids at workstation 1, 2, …
    order: tuple[str, ...]
    codes: tuple[str, ...]  # in ``stations`` order

    def workstation(self, cid: str) -> int:
        return self.stations.index(cid) + 1


def derive(program: Program, seed_input: str, head_hash: str) -> DrawResult:
    field = list(program.competitors)  # bib order, as the loader keeps it
    d = draw(field, seed_input, head_hash)
    stations = tuple(sorted(field, key=lambda cid: d.workstations[cid]))
    code_of = codes(field, seed_input, head_hash)
    return DrawResult(stations, d.order, tuple(code_of[cid] for cid in stations))


class Drawn(Protocol):
    program: Program
    draw: DrawMade | None
    marks_applied: int


def check_draw(state: Drawn, event: DrawMade) -> None:
    if not state.program.competitors:
        raise StateConflict(f"program {state.program.id} has no competitors to draw", "no_field")
    if not event.seed_input.strip():
        raise InvalidValue(
            "a draw needs a seed input: the value the supervisor enters at the draw",
            "seed_input_required",
        )
    if not event.head_hash:
        raise InvalidValue("a draw needs the ledger head hash it was seeded with", "invalid_event")
    if state.marks_applied:
        raise StateConflict(
            f"marking of {state.program.id} has started; a draw must come before the first mark",
            "marking_started",
        )
    if state.draw is not None and not event.reason.strip():
        raise InvalidValue(
            f"{state.program.id} was drawn already; a redraw needs a reason", "reason_required"
        )
    expected = derive(state.program, event.seed_input, event.head_hash)
    recorded = DrawResult(event.stations, event.order, event.codes)
    if recorded != expected:
        raise InvalidValue(
            "the recorded draw is not what its seed input and head hash give "
            "(scoreboard/draw.py); it is refused",
            "draw_mismatch",
        )
