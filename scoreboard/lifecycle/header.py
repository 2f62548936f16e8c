"""The lifecycle as a program's board shows it (every audience, every channel, every page).

- ``lifecycle``: the stage, and in 公示 when objections close (``objections_until``, ms)
- ``progress``: competitors whose marking is complete, of all (a competitor who did not
  start, finish or was disqualified has nothing left to mark); ``{}`` (not public) while the
  board is hidden or frozen
- ``moving``: standardised scores are shown while marking is incomplete: they will move
- ``appeals``: the open appeals (the jury; the public only if the program says so)
- ``corrections``: results changed after they were public (更正), previous and new value
"""

from __future__ import annotations

from typing import Any, Protocol

from ..kinds import Lifecycle, Visibility
from ..model import Program
from ..numbers import fmt
from .record import LifecycleState


class Shown(Protocol):
    program: Program
    visibility: Visibility
    lifecycle: LifecycleState
    settled: set[str]


def lifecycle_header(state: Shown, jury: bool) -> dict[str, Any]:
    lc = state.lifecycle
    prog = state.program
    vis = state.visibility
    results_public = jury or vis in (Visibility.LIVE, Visibility.PUBLISHED)
    complete = len(state.settled)
    stage: dict[str, Any] = {"stage": lc.stage.value}
    if lc.ends is not None and lc.stage in (Lifecycle.PUBLICATION, Lifecycle.FINAL):
        stage["objections_until"] = lc.ends
    shows_appeals = lc.appeals and (jury or prog.lifecycle.appeals_public)
    places = prog.value_places
    bib = prog.competitors
    return {
        "lifecycle": stage,
        "progress": {"complete": complete, "of": len(prog.competitors)} if results_public else {},
        "moving": prog.standardisation is not None
        and results_public
        and complete < len(prog.competitors),
        "appeals": [
            {"competitor": a.competitor, "aspect": a.aspect or None} for a in lc.open_appeals()
        ]
        if shows_appeals
        else [],
        "corrections": [
            {
                "competitor": c.competitor,
                "bib": bib[c.competitor].bib,
                "previous": fmt(c.previous, places) if c.previous is not None else None,
                "value": fmt(c.value, places) if c.value is not None else None,
                "ts": c.ts,
            }
            for c in lc.corrections
        ]
        if results_public
        else [],
    }
