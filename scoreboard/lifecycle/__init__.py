"""How a program's results become official: marking → review (复核) → 公示 → final.

- ``events``       the lifecycle's events (stages, overrides, reviews, corrections, appeals)
- ``record``       ``LifecycleState``: what a program's lifecycle holds
- ``gates``        the gates between stages and what each is missing
- ``checks``       who may do what, when (refusals with codes, never a change)
- ``transitions``  applying a checked event
- ``header``       the lifecycle as every board shows it
- ``report``       the lifecycle as the desk and a leader read it

Clock-free like the rest of the core: the hub records the end of 公示 as an event.
"""

from __future__ import annotations

from .checks import check_lifecycle
from .events import HUB, LIFECYCLE_EVENTS, LifecycleEvent
from .gates import Gate, gate, publication_gate, review_gate
from .header import lifecycle_header
from .record import Appeal, Correction, LifecycleState
from .report import for_leader, report
from .transitions import apply_lifecycle

__all__ = [
    "HUB",
    "LIFECYCLE_EVENTS",
    "Appeal",
    "Correction",
    "Gate",
    "LifecycleEvent",
    "LifecycleState",
    "apply_lifecycle",
    "check_lifecycle",
    "gate",
    "for_leader",
    "lifecycle_header",
    "report",
    "publication_gate",
    "review_gate",
]
