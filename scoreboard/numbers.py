"""Exact numbers: fractions inside, decimals only to round and print (scoring.md §9.1)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from math import isqrt, lcm

ZERO = Fraction(0)
ONE = Fraction(1)
# Marks and maxima live far inside ±10**18 with at most a handful of decimals; a
# wider exponent (a judge typing "1e999999999") would make an exact Fraction huge.
MAX_EXPONENT = 18


def parse_number(text: object) -> Fraction:
    """Parse a decimal written as a string or an int into an exact Fraction.

    Floats are refused: ``0.1`` as a float is not one tenth.
    """
    if isinstance(text, bool):
        raise ValueError("a number is expected, not true/false")
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, Fraction):
        return text
    if isinstance(text, Decimal):
        return _exact(text, text)
    if isinstance(text, float):
        # JSON and TOML numbers arrive as floats; their shortest repr is what the
        # author typed, so go through it rather than through the binary value.
        if text != text or text in (float("inf"), float("-inf")):
            raise ValueError(f"{text!r} is not a finite number")
        return _exact(Decimal(repr(text)), text)
    if isinstance(text, str):
        try:
            d = Decimal(text.strip())
        except InvalidOperation:
            raise ValueError(f"{text!r} is not a number; write it like 9.50") from None
        return _exact(d, text)
    raise ValueError(f'{text!r} is not a number; write it like "9.50"')


def _exact(d: Decimal, text: object) -> Fraction:
    if not d.is_finite():
        raise ValueError(f"{text!r} is not a finite number")
    too_large = d != 0 and abs(d.adjusted()) > MAX_EXPONENT
    too_precise = int(d.as_tuple().exponent) < -MAX_EXPONENT  # finite: the exponent is an int
    if too_large or too_precise:
        raise ValueError(f"{text!r} is too large or too precise; write it like 9.50")
    return Fraction(d)


def _half_up(num: int, den: int, scale: int) -> int:
    """|num / den| x scale rounded half up, in whole numbers only (``den`` > 0)."""
    return (abs(num) * scale * 2 + den) // (den * 2)


def decimals(x: Fraction, most: int = 12) -> int:
    """How many decimals print ``x`` exactly (0.25 → 2, 3 → 0); ``most`` when none do."""
    for places in range(most):
        if (x * 10**places).denominator == 1:
            return places
    return most


def round_half_up(x: Fraction, places: int) -> Fraction:
    """Round half away from zero on the exact value (Decimal's ROUND_HALF_UP)."""
    scale = 10**places
    num, den = x.as_integer_ratio()  # (one call: numerator and denominator are two properties)
    if not scale % den:  # x has no more than ``places`` decimals already (whole numbers too)
        return x if isinstance(x, Fraction) else Fraction(num)
    n = _half_up(num, den, scale)
    return Fraction(n if num >= 0 else -n, scale)


_PRINTED: dict[tuple[int, int, int], str] = {}


def fmt(x: Fraction, places: int) -> str:
    """Print ``x`` rounded half-up to ``places`` decimals: 2/3, 2 -> '0.67'."""
    num, den = x.as_integer_ratio()
    text = _PRINTED.get((num, den, places))
    return text if text is not None else fmt_ratio(num, den, places)


def fmt_ratio(num: int, den: int, places: int) -> str:
    """``fmt`` of ``num / den`` (``den`` > 0, not necessarily in lowest terms), without
    making the fraction."""
    key = (num, den, places)
    text = _PRINTED.get(key)  # the same few values print again and again
    if text is None:
        scale = 10**places
        n = _half_up(num, den, scale)
        sign = "-" if num < 0 and n else ""
        if places == 0:
            text = f"{sign}{n}"
        else:
            whole, frac = divmod(n, scale)
            text = f"{sign}{whole}.{frac:0{places}d}"
        if len(_PRINTED) > 100_000:
            _PRINTED.clear()
        _PRINTED[key] = text
    return text


def sqrt(x: Fraction, digits: int = 40) -> Fraction:
    """Square root to ``digits`` significant digits (the one inexact step: a SD).

    Exactly what ``Decimal`` gives at precision ``digits`` (half even): the quotient
    ``numerator / denominator`` rounded to ``digits`` significant digits, then its square root
    rounded to as many; in whole numbers (``math.isqrt``) instead of decimals.
    """
    if x <= 0:
        return ZERO
    m, e = _divided(x.numerator, x.denominator, digits)
    # sqrt(m·10^e) = r·10^f with r of ``digits`` digits: its first digit is at 10^(lead − 1)
    lead = (len(str(m)) + e + 1) // 2
    f = lead - digits
    y = m * 10 ** (e - 2 * f)  # a whole number: e − 2f ≥ digits − 1
    r = isqrt(y)
    if y - r * r > r:  # √y > r + ½; never equal (y is whole: √y is whole or irrational)
        r += 1
    return Fraction(r * 10**f) if f >= 0 else Fraction(r, 10**-f)


def _divided(num: int, den: int, digits: int) -> tuple[int, int]:
    """num / den (both > 0) as m·10^e, m of ``digits`` digits, rounded half even."""
    e = len(str(num)) - len(str(den)) - digits
    while True:
        n, d = (num * 10**-e, den) if e <= 0 else (num, den * 10**e)
        m, rem = divmod(n, d)
        if m >= 10**digits:
            e += 1
        elif m < 10 ** (digits - 1):
            e -= 1
        else:
            break
    if 2 * rem > d or (2 * rem == d and m % 2):
        m += 1
        if m == 10**digits:
            m, e = 10 ** (digits - 1), e + 1
    return m, e


def fsum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum, as ``sum(values, ZERO)``: over one common denominator, not a gcd per addition."""
    num, den = 0, 1
    for v in values:
        n, d = v.as_integer_ratio()  # (one call: numerator and denominator are two properties)
        if d == den:
            num += n
        elif den % d == 0:
            num += n * (den // d)
        else:
            common = lcm(den, d)
            num = num * (common // den) + n * (common // d)
            den = common
    return Fraction(num, den)


def is_multiple(x: Fraction, step: Fraction, origin: Fraction = ZERO) -> bool:
    return ((x - origin) / step).denominator == 1
