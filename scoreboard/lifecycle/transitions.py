"""Applying a checked lifecycle event to a program: its stage, review, appeals, corrections.

Entering review draws the review set (``scoreboard.review``) from the seed and ledger head the
event records, over the board order at that moment: anyone can draw it again from the ledger.
Entering 公示 makes the results public (visibility ``published``) until ``ts`` plus the
program's appeal window.
"""

from __future__ import annotations

from typing import Any, Protocol

from ..kinds import Lifecycle, Visibility
from ..review import review_set
from .checks import Checkable
from .events import (
    AppealFiled,
    AppealRuled,
    Finalised,
    GateOverridden,
    LifecycleEvent,
    MarkCorrected,
    OverrideConfirmed,
    Reviewed,
    StageChanged,
)
from .gates import ranked
from .record import Appeal, Correction, LifecycleState


class Applied(Checkable, Protocol):
    visibility: Visibility

    def correct(self, event: MarkCorrected) -> bool:
        """Replace the judge's mark with the corrected value; True when the result changed."""
        ...


def apply_lifecycle(state: Applied, event: LifecycleEvent) -> bool:
    """Apply ``event`` (checked); True when a result changed (the program must be re-ranked)."""
    lc = state.lifecycle
    if isinstance(event, StageChanged):
        _stage(state, event)
    elif isinstance(event, GateOverridden):
        lc.pending[event.gate] = (event.author, event.reason)
        lc.note("override", event.author, event.ts, gate=event.gate, reason=event.reason)
    elif isinstance(event, OverrideConfirmed):
        chief, reason = lc.pending.pop(event.gate)
        lc.confirmed[event.gate] = (chief, reason, event.author)
        lc.note("override_confirm", event.author, event.ts, gate=event.gate, chief=chief)
    elif isinstance(event, Reviewed):
        lc.reviewed[event.competitor] = event.author
        was = lc.full_review
        lc.widen()
        lc.note(
            "reviewed",
            event.author,
            event.ts,
            competitor=event.competitor,
            corrected=event.competitor in lc.corrected,
        )
        if lc.full_review and not was:
            lc.note("full_review", event.author, event.ts, error_rate=str(lc.error_rate()))
    elif isinstance(event, MarkCorrected):
        return _correct(state, event)
    elif isinstance(event, AppealFiled):
        lc.appeals[event.id] = Appeal(
            event.id, event.competitor, event.aspect, event.author, event.text, event.ts
        )
        lc.note("appeal", event.author, event.ts, appeal=event.id, competitor=event.competitor)
    elif isinstance(event, AppealRuled):
        a = lc.appeals[event.appeal]
        a.ruling, a.arbitrator, a.reason, a.ruled = (
            event.ruling,
            event.author,
            event.reason,
            event.ts,
        )
        lc.note("ruling", event.author, event.ts, appeal=a.id, ruling=event.ruling)
    elif isinstance(event, Finalised):
        lc.stage = Lifecycle.FINAL
        lc.note("final", event.author, event.ts)
    return False


def _stage(state: Applied, event: StageChanged) -> None:
    lc = state.lifecycle
    rules = state.program.lifecycle
    if event.stage == Lifecycle.MARKING:  # reopened from review: the review starts again
        state.lifecycle = LifecycleState(
            history=lc.history, appeals=lc.appeals, corrections=lc.corrections
        )
        state.lifecycle.note("reopen", event.author, event.ts, reason=event.reason)
        return
    overridden = lc.confirmed.pop(event.stage, None)
    details: dict[str, Any] = {"override": list(overridden)} if overridden else {}
    if event.stage == Lifecycle.REVIEW:
        lc.stage = Lifecycle.REVIEW
        lc.seed, lc.head, lc.threshold = event.seed, event.head, rules.error_threshold
        lc.review = review_set(
            ranked(state), event.seed, event.head, rules.review_top, rules.review_share
        )
        details["review_set"] = list(lc.review.members)
    else:
        lc.stage = Lifecycle.PUBLICATION
        lc.ends = event.ts + rules.appeal_window_ms
        state.visibility = Visibility.PUBLISHED
        details["ends"] = lc.ends
    lc.note("stage", event.author, event.ts, stage=event.stage, **details)


def _correct(state: Applied, event: MarkCorrected) -> bool:
    lc = state.lifecycle
    before = state.results[event.competitor].total
    changed = state.correct(event)
    if lc.stage is Lifecycle.REVIEW:
        lc.corrected.add(event.competitor)
    else:
        after = state.results[event.competitor].total
        lc.corrections.append(
            Correction(
                event.competitor,
                event.aspect,
                event.judge,
                before,
                after,
                event.ts,
                event.appeal,
                event.author,
                event.reason,
            )
        )
    lc.note(
        "correct",
        event.author,
        event.ts,
        competitor=event.competitor,
        aspect=event.aspect,
        judge=event.judge,
        value=event.value,
        reason=event.reason,
    )
    return changed
