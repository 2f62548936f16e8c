"""Standardised scores (scoring.md §5, §9.7): centre + factor × (x − centre statistic) / spread."""

from __future__ import annotations

from fractions import Fraction

from .model import Spread, Standardisation
from .numbers import ZERO, round_half_up, sqrt

MAD_SCALE = Fraction("1.4826")


def _median(xs: list[Fraction]) -> Fraction:
    v = sorted(xs)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def standardise(rule: Standardisation, raw: dict[str, Fraction]) -> dict[str, Fraction]:
    """Standardised score of each competitor in ``raw`` (the ranked field), rounded."""
    if not raw:
        return {}
    xs = list(raw.values())
    if rule.spread is Spread.MAD:
        middle = _median(xs)
        spread = _median([abs(x - middle) for x in xs]) * MAD_SCALE
    else:
        middle = sum(xs, ZERO) / len(xs)
        # population standard deviation (§9.7); the square root is the one inexact step
        spread = sqrt(sum(((x - middle) ** 2 for x in xs), ZERO) / len(xs))
    out = {}
    for cid, x in raw.items():
        z = ZERO if spread == 0 else (x - middle) / spread
        out[cid] = round_half_up(rule.centre + rule.factor * z, rule.places)
    return out
