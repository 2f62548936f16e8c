"""The lifecycle's events: how a program's results become official, each step on the record.

marking → review (复核) → publication (公示, with an end time) → final. Like every event,
each carries its author and its time (``ts``, set by whoever records it: the core has no
clock). ``scoreboard.events`` lists them with the others.
"""

from __future__ import annotations

from dataclasses import dataclass

HUB = "hub"  # the author of what the hub's clock records (the end of 公示)


@dataclass(frozen=True)
class StageChanged:
    """The chief moves a program to ``review`` or ``publication`` (or reopens ``marking`` from
    review, with a reason). Entering review, the hub records the draw's ``seed`` and the
    ledger ``head`` hash it draws the review set from."""

    id: str
    program: str
    stage: str
    author: str
    ts: int
    seed: str = ""
    head: str = ""
    reason: str = ""
    kind: str = "stage"


@dataclass(frozen=True)
class GateOverridden:
    """The chief asks to pass a gate that is not met (``review`` or ``publication``), saying
    why; it takes effect once a supervisor confirms it."""

    id: str
    program: str
    gate: str
    reason: str
    author: str
    ts: int
    kind: str = "override"


@dataclass(frozen=True)
class OverrideConfirmed:
    """A supervisor confirms the chief's pending override of ``gate``."""

    id: str
    program: str
    gate: str
    author: str
    ts: int
    kind: str = "override_confirm"


@dataclass(frozen=True)
class Reviewed:
    """A reviewer has re-checked a competitor of the review set (after any corrections)."""

    id: str
    program: str
    competitor: str
    author: str
    ts: int
    kind: str = "reviewed"


@dataclass(frozen=True)
class MarkCorrected:
    """A judge's mark corrected, with a reason: by a reviewer in the review, or by the chief
    after an upheld appeal (``appeal``: its id), also after final."""

    id: str
    program: str
    competitor: str
    aspect: str
    judge: str  # whose mark is corrected
    value: str
    reason: str
    author: str
    ts: int
    appeal: str = ""
    kind: str = "correct"


@dataclass(frozen=True)
class AppealFiled:
    """A delegation leader appeals a competitor's result (optionally one aspect) during 公示."""

    id: str
    program: str
    competitor: str
    text: str
    author: str
    ts: int
    aspect: str = ""
    kind: str = "appeal"


@dataclass(frozen=True)
class AppealRuled:
    """An arbitrator's ruling on an appeal: ``dismissed`` or ``upheld`` (the chief then
    corrects the marks, naming the appeal)."""

    id: str
    program: str
    appeal: str
    ruling: str
    reason: str
    author: str
    ts: int
    kind: str = "ruling"


@dataclass(frozen=True)
class Finalised:
    """The program's results are final: recorded by the hub's clock once 公示 has ended with
    no appeal open."""

    id: str
    program: str
    ts: int
    author: str = HUB
    kind: str = "final"


LifecycleEvent = (
    StageChanged
    | GateOverridden
    | OverrideConfirmed
    | Reviewed
    | MarkCorrected
    | AppealFiled
    | AppealRuled
    | Finalised
)

LIFECYCLE_EVENTS: dict[str, type[LifecycleEvent]] = {
    "stage": StageChanged,
    "override": GateOverridden,
    "override_confirm": OverrideConfirmed,
    "reviewed": Reviewed,
    "correct": MarkCorrected,
    "appeal": AppealFiled,
    "ruling": AppealRuled,
    "final": Finalised,
}
