"""What a program's lifecycle holds: its stage, the review, overrides, appeals, corrections.

Changed only by ``transitions.apply_lifecycle``; read by the gates, the checks and the boards.
``history`` keeps every step as the desk shows it (the ledger holds the events themselves).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..kinds import Lifecycle
from ..review import ReviewSet, error_rate, must_review_all


@dataclass
class Appeal:
    id: str
    competitor: str
    aspect: str
    author: str
    text: str
    ts: int
    ruling: str = ""  # "" while open, then dismissed | upheld
    arbitrator: str = ""
    reason: str = ""
    ruled: int = 0

    @property
    def open(self) -> bool:
        return not self.ruling

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "competitor": self.competitor,
            "aspect": self.aspect or None,
            "author": self.author,
            "text": self.text,
            "ts": self.ts,
            "ruling": self.ruling or None,
            "arbitrator": self.arbitrator or None,
            "reason": self.reason or None,
            "ruled": self.ruled or None,
        }


@dataclass(frozen=True)
class Correction:
    """A result changed after it was public (公示 or final): shown as 更正 with both values."""

    competitor: str
    aspect: str
    judge: str
    previous: Fraction | None  # the competitor's total before
    value: Fraction | None  # and after
    ts: int
    appeal: str
    author: str
    reason: str


@dataclass
class LifecycleState:
    stage: Lifecycle = Lifecycle.MARKING
    ends: int | None = None  # when 公示 closes (ms since the epoch)
    seed: str = ""  # the review draw's recorded seed input and ledger head
    head: str = ""
    review: ReviewSet | None = None
    threshold: Fraction = Fraction(5, 100)
    full_review: bool = False  # the error rate passed the threshold: everyone is reviewed
    reviewed: dict[str, str] = field(default_factory=dict)  # competitor → reviewer
    corrected: set[str] = field(default_factory=set)  # competitors corrected in the review
    pending: dict[str, tuple[str, str]] = field(default_factory=dict)  # gate → (chief, reason)
    confirmed: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # + supervisor
    appeals: dict[str, Appeal] = field(default_factory=dict)
    corrections: list[Correction] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    legacy: bool = False  # final through the old publish (visibility ``published``)

    def members(self, ranked: Iterable[str]) -> list[str]:
        """Who must be reviewed: the drawn set, or (full review) every ranked competitor."""
        drawn = list(self.review.members) if self.review is not None else []
        if not self.full_review:
            return drawn
        seen = set(drawn)
        return drawn + [c for c in ranked if c not in seen]

    def open_appeals(self) -> list[Appeal]:
        return [a for a in self.appeals.values() if a.open]

    def error_rate(self) -> Fraction:
        reviewed = len(self.reviewed)
        return error_rate(reviewed, len(self.corrected & self.reviewed.keys()))

    def widen(self) -> None:
        """After a review: extend it to everyone once the error rate passed the threshold."""
        n = len(self.reviewed)
        bad = len(self.corrected & self.reviewed.keys())
        if not self.full_review and must_review_all(n, bad, self.threshold):
            self.full_review = True

    def note(self, what: str, author: str, ts: int, **details: Any) -> None:
        self.history.append({"what": what, "author": author, "ts": ts, **details})
