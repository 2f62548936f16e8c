"""The review set (复核) and the widening rule (issue 14)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from scoreboard.review import error_rate, must_review_all, review_set

HEAD = "ab" * 32
FIELD = [f"weld-{i:02d}" for i in range(1, 41)]


def test_the_top_ten_and_at_least_fifteen_percent_of_the_rest() -> None:
    s = review_set(FIELD, "supervisor-81", HEAD)
    assert s.top == tuple(FIELD[:10])
    assert len(s.sample) == 5  # ceil(0.15 × 30) = 5
    assert set(s.sample) <= set(FIELD[10:])
    assert list(s.sample) == [c for c in FIELD if c in s.sample]  # in board order


def test_the_set_is_reproducible_from_its_recorded_seed_and_depends_on_it() -> None:
    assert review_set(FIELD, "supervisor-81", HEAD) == review_set(FIELD, "supervisor-81", HEAD)
    samples = {review_set(FIELD, str(k), HEAD).sample for k in range(20)}
    assert len(samples) > 10


@given(st.integers(0, 60), st.integers(0, 15), st.fractions(0, 1))
def test_sizes_for_any_field(n: int, top: int, share: Fraction) -> None:
    field = [f"c{i}" for i in range(n)]
    s = review_set(field, "x", HEAD, top=top, share=share)
    rest = max(0, n - top)
    assert len(s.top) == min(n, top)
    assert len(s.sample) >= share * rest and len(s.sample) < share * rest + 1
    assert len(set(s.members)) == len(s.members)


def test_the_review_widens_above_the_threshold_only() -> None:
    assert error_rate(20, 1) == Fraction(1, 20)
    assert not must_review_all(20, 1)  # exactly 5 %: not above it
    assert must_review_all(15, 1)  # 6.7 %
    assert not must_review_all(0, 0)
