"""``numbers.sqrt`` in whole numbers gives exactly what the 40-digit ``Decimal`` root gave
(issue 11, third pass: the standard deviation's root with ``math.isqrt``)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from scoreboard.numbers import _divided, sqrt


def decimal_sqrt(x: Fraction, digits: int = 40) -> Fraction:
    """The reference: the quotient and its root in ``Decimal`` at ``digits`` digits."""
    if x <= 0:
        return Fraction(0)
    with localcontext() as ctx:
        ctx.prec = digits
        root = (Decimal(x.numerator) / Decimal(x.denominator)).sqrt()
    return Fraction(root)


SIZES = st.sampled_from([10, 10**6, 10**20, 10**45, 10**90])


@settings(max_examples=3000, deadline=None)
@given(SIZES, SIZES, st.data(), st.sampled_from([40, 40, 40, 1, 2, 7, 60]))
def test_the_root_is_the_decimal_root(ns: int, ds: int, data: st.DataObject, digits: int) -> None:
    num = data.draw(st.integers(0, ns))
    den = data.draw(st.integers(1, ds))
    x = Fraction(num, den)
    assert sqrt(x, digits) == decimal_sqrt(x, digits)


@settings(deadline=None)
@given(st.integers(1, 10**12), st.integers(1, 10**6))
def test_perfect_squares_and_their_neighbours(k: int, den: int) -> None:
    for x in (
        Fraction(k * k, den * den),
        Fraction(k * k + 1, den * den),
        Fraction(k * k - 1, den * den),
    ):
        assert sqrt(x) == decimal_sqrt(x)


def test_worked_examples() -> None:
    assert sqrt(Fraction(4)) == 2
    assert sqrt(Fraction(1, 4)) == Fraction(1, 2)
    assert sqrt(Fraction(0)) == 0 and sqrt(Fraction(-1)) == 0
    # a quotient that rounds up to the next power of ten: 0.99…9 (45 nines) → 1
    nines = Fraction(10**45 - 1, 10**45)
    assert sqrt(nines) == decimal_sqrt(nines) == 1
    # quotients of 41 digits ending in 5, exactly half way: rounded to the even neighbour
    for tie in (2 * 10**40 + 5, 2 * 10**40 + 15, Fraction(2 * 10**40 + 25, 10**7)):
        assert sqrt(Fraction(tie)) == decimal_sqrt(Fraction(tie))
    assert sqrt(Fraction(2)) == Fraction("1.414213562373095048801688724209698078570")


@settings(max_examples=500, deadline=None)
@given(SIZES, SIZES, st.data())
def test_the_quotient_is_the_decimal_quotient(ns: int, ds: int, data: st.DataObject) -> None:
    num, den = data.draw(st.integers(1, ns)), data.draw(st.integers(1, ds))
    ties = [(2 * 10**40 + 5, 1), (2 * 10**40 + 15, 1), (4 * 10**41 + 50, 100)]
    for n, d in [(num, den), *ties]:
        m, e = _divided(n, d, 40)
        with localcontext() as ctx:
            ctx.prec = 40
            assert m * Fraction(10) ** e == Fraction(Decimal(n) / Decimal(d))
