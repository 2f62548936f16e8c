"""``standardise`` in whole numbers gives exactly what the formula in fractions gives
(scoring.md §5, §9.7): the reference below is the plain formula."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scoreboard.model import Spread, Standardisation
from scoreboard.numbers import ZERO, round_half_up, sqrt
from scoreboard.standardise import MAD_SCALE, standardise


def _median(xs: list[Fraction]) -> Fraction:
    v = sorted(xs)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def reference(rule: Standardisation, raw: dict[str, Fraction]) -> dict[str, Fraction]:
    if not raw:
        return {}
    xs = list(raw.values())
    if rule.spread is Spread.MAD:
        middle = _median(xs)
        spread = _median([abs(x - middle) for x in xs]) * MAD_SCALE
    else:
        middle = sum(xs, ZERO) / len(xs)
        spread = sqrt(sum(((x - middle) ** 2 for x in xs), ZERO) / len(xs))
    return {
        cid: round_half_up(
            rule.centre + rule.factor * (ZERO if spread == 0 else (x - middle) / spread),
            rule.places,
        )
        for cid, x in raw.items()
    }


VALUES = st.builds(
    Fraction, st.integers(-500, 30000), st.sampled_from([1, 10, 100, 3, 7])
) | st.sampled_from([Fraction(70), Fraction(7005, 100)])
RULES = st.builds(
    Standardisation,
    st.sampled_from([Fraction(700), Fraction(500), Fraction(0), Fraction(25, 2)]),
    st.sampled_from([Fraction(50), Fraction(-20), Fraction(3, 2), Fraction(100)]),
    st.sampled_from([Spread.SD, Spread.MAD]),
    st.integers(0, 3),
)


@settings(max_examples=400, deadline=None)
@given(RULES, st.lists(VALUES, max_size=15))
def test_standardise_equals_the_formula_in_fractions(
    rule: Standardisation, xs: list[Fraction]
) -> None:
    raw = {f"c{i}": x for i, x in enumerate(xs)}
    got = standardise(rule, raw)
    assert got == reference(rule, raw)
    assert all(isinstance(v, Fraction) for v in got.values())
