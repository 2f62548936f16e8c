"""From judges' marks to an aspect's value (scoring.md §2, §9); ``totals`` adds them up.

Pure functions over exact Fractions. Rounding happens only where the
program's rounding stage says (§9.2), half-up on the exact value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from .errors import InvalidValue
from .model import Aggregation, AgreementAction, Aspect, AspectType, Competitor, Stage
from .numbers import ZERO, fmt, is_multiple, parse_number, round_half_up

PASS_WORDS = {"pass": 1, "fail": 0, "true": 1, "false": 0, "yes": 1, "no": 0}


class AspectState(enum.StrEnum):
    """Where an aspect's panel stands."""

    COMPLETE = "complete"
    PENDING = "pending"  # marks missing: counts as 0 (§9.4)
    DISAGREEMENT = "disagreement"  # the panel is outside its tolerance and held (§9.5)


COMPLETE = AspectState.COMPLETE
PENDING = AspectState.PENDING
DISAGREEMENT = AspectState.DISAGREEMENT


def parse_entry(aspect: Aspect, value: str, places: int = 2) -> Fraction:
    """What a judge typed, checked against the aspect's range and step."""
    text = value.strip().lower()
    if aspect.type is AspectType.MEASUREMENT and text in PASS_WORDS:
        return Fraction(PASS_WORDS[text])
    try:
        x = parse_number(text)
    except ValueError:
        hint = (
            'enter "pass" or "fail"' if aspect.type is AspectType.MEASUREMENT else "enter a number"
        )
        raise InvalidValue(
            f"{value!r} is not a valid mark for {aspect.id}; {hint}", "invalid_value"
        ) from None
    if x < aspect.low or x > aspect.high:
        raise InvalidValue(
            f"{value} is out of range for {aspect.id}; enter a value from {_show(aspect.low)} to {_show(aspect.high)}",
            "out_of_range",
        )
    if not is_multiple(x, aspect.step, aspect.low):
        raise InvalidValue(
            f"{value} is not on the step of {aspect.id}; use steps of {_show(aspect.step)} from {_show(aspect.low)}",
            "off_step",
        )
    return x


def _show(x: Fraction) -> str:
    for places in range(0, 7):
        if (x * 10**places).denominator == 1:
            return fmt(x, places)
    return fmt(x, 6)


def convert(aspect: Aspect, raw: Fraction) -> Fraction:
    """One judge's entry as points (before the panel is aggregated)."""
    t = aspect.type
    mx = aspect.max if aspect.max is not None else ZERO
    if t is AspectType.MEASUREMENT:
        return mx if raw else ZERO
    if t is AspectType.BANDED:
        deviation = abs(raw - (aspect.nominal or ZERO))
        for band in aspect.bands:  # sorted by `within`, tightest first
            if deviation <= band.within:
                return band.points
        return ZERO
    if t is AspectType.DEDUCTION:
        return max(ZERO, mx - aspect.per_unit * raw)
    if t is AspectType.PENALTY:
        amount = aspect.per_unit * raw
        if aspect.cap is not None and abs(amount) > abs(aspect.cap):
            amount = abs(aspect.cap) * (1 if amount >= 0 else -1)
        return amount
    if t is AspectType.JUDGEMENT:
        # WorldSkills judgement: max × score / 3 (the mean of these is max × mean(scores) / 3)
        return mx * raw / aspect.scale
    return raw  # score, time


def aggregate(agg: Aggregation, values: list[Fraction], trim: int) -> Fraction:
    v = sorted(values)
    n = len(v)
    if agg is Aggregation.MEAN:
        return sum(v, ZERO) / n
    if agg is Aggregation.MEDIAN:
        mid = n // 2
        return v[mid] if n % 2 else (v[mid - 1] + v[mid]) / 2
    if agg is Aggregation.TRIMMED:
        kept = v[trim : n - trim]
        return sum(kept, ZERO) / len(kept)
    if agg is Aggregation.MIDDLE_SUM:
        return sum(v[trim : n - trim], ZERO)
    return v[0]  # single: one agreed value


@dataclass(frozen=True, slots=True)
class AspectResult:
    value: Fraction | None  # None until the panel is complete and agrees
    state: AspectState
    spread: Fraction = ZERO


PENDING_RESULT = AspectResult(
    None, PENDING
)  # results are immutable: one will do for every pending aspect


def score_aspect(
    aspect: Aspect, competitor: Competitor, raws: list[Fraction], stage: Stage, places: int
) -> AspectResult:
    """The aspect's points for one competitor from the panel's raw entries."""
    if len(raws) < aspect.panel:
        return PENDING_RESULT
    judge_factor = competitor.judge_factors.get(aspect.id)
    if judge_factor is None and stage > Stage.JUDGE and aspect.type in _LINEAR:
        fast = _score_linear(aspect, raws)
        if fast is not None:
            return _finish(aspect, competitor, fast, stage, places)
    spread = max(raws) - min(raws)
    agg = aspect.aggregation
    # scoring.md §9.5: agreement is broken when the spread is strictly greater than the tolerance.
    if aspect.agreement is not None and spread > aspect.agreement.tolerance:
        if aspect.agreement.action is AgreementAction.HOLD:
            return AspectResult(None, DISAGREEMENT, spread)
        agg = Aggregation.MEAN  # FIG aerobic: the mean of all scores instead
    points = []
    for raw in raws:
        p = convert(aspect, raw)
        if judge_factor is not None:
            p = p * judge_factor
        if stage <= Stage.JUDGE and aspect.type not in MEASURED:
            p = round_half_up(p, places)
        points.append(p)
    return _finish(aspect, competitor, (aggregate(agg, points, aspect.trim), spread), stage, places)


def _finish(
    aspect: Aspect,
    competitor: Competitor,
    panel: tuple[Fraction, Fraction] | AspectResult,
    stage: Stage,
    places: int,
) -> AspectResult:
    """From the panel's aggregate: rounding, multipliers and offsets; a held disagreement as is."""
    if isinstance(panel, AspectResult):
        return panel
    value, spread = panel
    if aspect.round_panel_first:
        value = round_half_up(value, places)
    multiplier = competitor.multipliers.get(aspect.id)
    if aspect.multiplier != 1:
        value = value * aspect.multiplier
    if multiplier is not None:
        value = value * multiplier
    offset = competitor.offsets.get(aspect.id)
    if offset is not None:
        value = value + offset
    if stage <= Stage.ASPECT and aspect.type not in MEASURED:
        value = round_half_up(value, places)
    return AspectResult(value, COMPLETE, spread)


# Aspect types whose points are the entry times a constant (judgement: max / scale;
# measurement: max, on entries 0 or 1; score and time: 1). Every aggregation commutes
# with multiplying by a constant c >= 0, so the panel can be aggregated on whole numbers.
# Values never rounded on their own: a time keeps its measured value (§9.15), a penalty is
# subtracted from the total before the total is rounded (§9.14).
MEASURED = frozenset({AspectType.TIME, AspectType.PENALTY})

_LINEAR = frozenset(
    {AspectType.JUDGEMENT, AspectType.MEASUREMENT, AspectType.SCORE, AspectType.TIME}
)


def _score_linear(
    aspect: Aspect, raws: list[Fraction]
) -> tuple[Fraction, Fraction] | AspectResult | None:
    """``score_aspect``'s panel step in whole numbers: (aggregate points, spread), a held
    disagreement, or None when this shortcut does not apply. Exactly the same values."""
    t = aspect.type
    factor = aspect.linear_factor
    if factor.numerator < 0:
        return None  # a negative factor would turn the order (and so "single") round
    den = 1
    pairs = [r.as_integer_ratio() for r in raws]  # (numerator and denominator: two properties)
    for _, d in pairs:
        if d != 1 and den % d:
            den = lcm(den, d)
    ints = sorted([n * (den // d) for n, d in pairs])
    if t is AspectType.MEASUREMENT and (ints[0] < 0 or ints[-1] > den):
        return None  # entries are 0 or 1 (fail or pass); anything else: the general way
    spread = Fraction(ints[-1] - ints[0], den)
    agg = aspect.aggregation
    # scoring.md §9.5: agreement is broken when the spread is strictly greater than the tolerance.
    if aspect.agreement is not None and spread > aspect.agreement.tolerance:
        if aspect.agreement.action is AgreementAction.HOLD:
            return AspectResult(None, DISAGREEMENT, spread)
        agg = Aggregation.MEAN  # FIG aerobic: the mean of all scores instead
    if t is AspectType.MEASUREMENT:
        ints = [1 if x else 0 for x in ints]  # pass is worth max, fail nothing (as convert)
        den = 1
    n = len(ints)
    if agg is Aggregation.MEAN:
        total, count = sum(ints), n
    elif agg is Aggregation.MEDIAN:
        mid = n // 2
        total, count = (ints[mid], 1) if n % 2 else (ints[mid - 1] + ints[mid], 2)
    elif agg is Aggregation.TRIMMED:
        kept = ints[aspect.trim : n - aspect.trim]
        total, count = sum(kept), len(kept)
    elif agg is Aggregation.MIDDLE_SUM:
        total, count = sum(ints[aspect.trim : n - aspect.trim]), 1
    else:  # single
        total, count = ints[0], 1
    # factor × total / (den × count), made once (one normalisation instead of two)
    return Fraction(factor.numerator * total, factor.denominator * den * count), spread
