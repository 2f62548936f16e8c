"""The score review (复核): which competitors are re-checked, and when the review must widen.

On entering review the hub draws the review set: every one of the top ``top`` places and a
sample of at least ``share`` of the rest, drawn with the verifiable draw of
:mod:`scoreboard.draw` (purpose ``review``) from a seed recorded in the ledger. Reviewers confirm
or correct each competitor of the set; when the share of reviewed competitors that needed a
correction passes ``threshold``, the review must extend to every competitor before 公示.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .draw import seed, shuffle

DEFAULT_TOP = 10
DEFAULT_SHARE = Fraction(15, 100)
DEFAULT_THRESHOLD = Fraction(5, 100)


@dataclass(frozen=True)
class ReviewSet:
    top: tuple[str, ...]  # the top places, in board order
    sample: tuple[str, ...]  # the drawn rest, in board order

    @property
    def members(self) -> tuple[str, ...]:
        return self.top + self.sample


def review_set(
    order: Sequence[str],
    seed_input: str,
    head_hash: str,
    top: int = DEFAULT_TOP,
    share: Fraction = DEFAULT_SHARE,
) -> ReviewSet:
    """``order``: the competitors with a result, in board order (the ranked field first)."""
    head, rest = list(order[:top]), list(order[top:])
    k = math.ceil(share * len(rest))
    drawn = set(shuffle(sorted(rest), seed("review", seed_input, head_hash))[:k])
    return ReviewSet(tuple(head), tuple(c for c in rest if c in drawn))


def error_rate(reviewed: int, corrected: int) -> Fraction:
    """The share of reviewed competitors whose marks needed a correction."""
    if corrected > reviewed or corrected < 0:
        raise ValueError(f"{corrected} corrected of {reviewed} reviewed")
    return Fraction(corrected, reviewed) if reviewed else Fraction(0)


def must_review_all(reviewed: int, corrected: int, threshold: Fraction = DEFAULT_THRESHOLD) -> bool:
    """Whether the error rate passed the threshold (strictly above it), so the review must
    extend to every competitor."""
    return error_rate(reviewed, corrected) > threshold
