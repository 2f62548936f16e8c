"""Standardised scores (scoring.md §5, §9.7): centre + factor × (x − centre statistic) / spread.

Exact, in whole numbers: the field's values over their common denominator, each score
one integer quotient rounded half up; the standard deviation's square root is the one
inexact step (``numbers.sqrt``, on the exact variance: 40 digits, in whole numbers).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import lcm

from .model import Spread, Standardisation
from .numbers import _half_up, sqrt

MAD_SCALE = Fraction("1.4826")


def _median2(v: list[int]) -> int:
    """Twice the median of the sorted whole numbers ``v``."""
    n = len(v)
    return 2 * v[n // 2] if n % 2 else v[n // 2 - 1] + v[n // 2]


def standardise(rule: Standardisation, raw: dict[str, Fraction]) -> dict[str, Fraction]:
    """Standardised score of each competitor in ``raw`` (the ranked field), rounded."""
    scale = 10**rule.places
    return {cid: score(k, scale) for cid, k in standardise_scaled(rule, raw).items()}


_SCORES: dict[tuple[int, int], Fraction] = {}


def score(k: int, scale: int) -> Fraction:
    """k / scale: one shared object per value (scores repeat; fractions are immutable)."""
    v = _SCORES.get((k, scale))
    if v is None:
        if len(_SCORES) > 100_000:
            _SCORES.clear()
        v = _SCORES[(k, scale)] = Fraction(k, scale)
    return v


def standardise_scaled(rule: Standardisation, raw: dict[str, Fraction]) -> dict[str, int]:
    """``standardise`` × 10 ** places: each score as the whole number it is on its scale."""
    den = common_denominator(raw.values())
    return standardise_ints(
        rule, {cid: x.numerator * (den // x.denominator) for cid, x in raw.items()}, den
    )


def common_denominator(xs: Iterable[Fraction]) -> int:
    den = 1
    for x in xs:
        if den % x.denominator:
            den = lcm(den, x.denominator)
    return den


def standardise_ints(rule: Standardisation, ints: dict[str, int], den: int) -> dict[str, int]:
    """``standardise_scaled`` of the values ``ints[cid] / den``."""
    if not ints:
        return {}
    n = len(ints)
    c, f = rule.centre, rule.factor
    # score = centre + factor × dev / spread = (cn·fd·s + cd·fn·dev·t) / (cd·fd·s), where the
    # deviation over the spread is dev·t/s in whole numbers
    if rule.spread is Spread.MAD:
        m2 = _median2(sorted(ints.values()))  # twice the median
        devs = {cid: 2 * x - m2 for cid, x in ints.items()}  # twice x − median
        md2 = _median2(sorted(abs(d) for d in devs.values()))  # 4 × the median deviation
        # (x − median) / (MAD × 1.4826) = (dev / 2) / (md2 / 4 × p / q) = dev·2q / (md2·p)
        s, t = md2 * MAD_SCALE.numerator, 2 * MAD_SCALE.denominator
    else:
        total = sum(ints.values())
        devs = {cid: n * x - total for cid, x in ints.items()}  # (x − mean) × n × den
        # population standard deviation (§9.7), on the exact variance
        spread = sqrt(Fraction(sum(d * d for d in devs.values()), n**3 * den**2))
        # (x − mean) / spread = dev / (n·den) × b / a
        s, t = n * den * spread.numerator, spread.denominator
    scale = 10**rule.places
    if s == 0:  # no spread: everyone at the centre
        return dict.fromkeys(ints, _round(c.numerator, c.denominator, scale))
    # k = score × scale rounded half up = (|v| + q) // 2q with v = 2 × scale × numerator
    q = c.denominator * f.denominator * s
    base = 2 * scale * c.numerator * f.denominator * s
    mult = 2 * scale * c.denominator * f.numerator * t
    q2 = 2 * q
    out: dict[str, int] = {}
    cache: dict[int, int] = {}
    for cid, d in devs.items():
        got = cache.get(d)
        if got is None:
            v = base + mult * d
            got = cache[d] = (v + q) // q2 if v >= 0 else -((q - v) // q2)
        out[cid] = got
    return out


def _round(num: int, den: int, scale: int) -> int:
    """num / den (den > 0) rounded half up to 1 / scale, as ``numbers.round_half_up``, times
    scale."""
    k = _half_up(num, den, scale)
    return k if num >= 0 else -k
