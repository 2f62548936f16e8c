"""The lifecycle as the jury desk, the reviewers and the arbitrators read it.

``report`` is everything: the stage, the next gate and what it is missing, the overrides,
the review (its seed, set, who was reviewed and corrected, the error rate), the appeals,
the corrections and the history. ``for_leader`` is what a delegation's leader may see: the
window and their own delegation's appeals.
"""

from __future__ import annotations

from typing import Any

from ..kinds import Lifecycle
from ..numbers import fmt
from .checks import NEXT
from .gates import Order, gate, ranked
from .transitions import Applied


def _pct(x: Any) -> str:
    return f"{fmt(x * 100, 1)}%"


def report(state: Applied, order: Order | None = None) -> dict[str, Any]:
    """The lifecycle report; ``order`` lists the gate's missing items as a reader does."""
    lc = state.lifecycle
    prog = state.program
    rules = prog.lifecycle
    nxt = NEXT.get(lc.stage)
    review = None
    members: list[str] = []
    if lc.review is not None:
        members = lc.members(ranked(state))
        review = {
            "seed": lc.seed,
            "head": lc.head,
            "top": list(lc.review.top),
            "sample": list(lc.review.sample),
            "members": members,
            "reviewed": dict(lc.reviewed),
            "corrected": sorted(lc.corrected),
            "error_rate": _pct(lc.error_rate()),
            "threshold": _pct(lc.threshold),
            "full": lc.full_review,
            "left": len([c for c in members if c not in lc.reviewed]),
        }
    return {
        "program": prog.id,
        "stage": lc.stage.value,
        "objections_until": lc.ends,
        "window_ms": rules.appeal_window_ms,
        "legacy": lc.legacy,
        "gate": gate(state, nxt).to_dict(prog, order) if nxt is not None else None,
        "overrides": {
            "pending": {g: {"chief": c, "reason": r} for g, (c, r) in lc.pending.items()},
            "confirmed": {
                g: {"chief": c, "reason": r, "supervisor": s}
                for g, (c, r, s) in lc.confirmed.items()
            },
        },
        "review": review,
        "appeals": [a.to_dict() for a in lc.appeals.values()],
        # the marks a reviewer or the chief may correct: the review's and the appeals'
        "marks": {
            cid: {
                aid: {j: m.value for j, m in panel.items()}
                for aid, panel in state.marks[cid].items()
            }
            for cid in sorted(set(members) | {a.competitor for a in lc.appeals.values()})
        },
        "corrections": corrections(state),
        "history": list(lc.history),
    }


def corrections(state: Applied) -> list[dict[str, Any]]:
    places = state.program.value_places
    comps = state.program.competitors
    return [
        {
            "competitor": c.competitor,
            "bib": comps[c.competitor].bib,
            "aspect": c.aspect,
            "judge": c.judge,
            "previous": fmt(c.previous, places) if c.previous is not None else None,
            "value": fmt(c.value, places) if c.value is not None else None,
            "ts": c.ts,
            "appeal": c.appeal,
            "author": c.author,
            "reason": c.reason,
        }
        for c in state.lifecycle.corrections
    ]


def for_leader(state: Applied, delegation: str | None) -> dict[str, Any]:
    lc = state.lifecycle
    comps = state.program.competitors
    own = {cid for cid, c in comps.items() if delegation is not None and c.delegation == delegation}
    return {
        "program": state.program.id,
        "stage": lc.stage.value,
        "objections_until": lc.ends,
        "open": lc.stage is Lifecycle.PUBLICATION,
        "competitors": sorted(own, key=lambda c: comps[c].bib.zfill(8)),
        "appeals": [a.to_dict() for a in lc.appeals.values() if a.competitor in own],
    }
