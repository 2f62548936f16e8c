"""An aspect: what one judge's entry is, its range and step, and how a panel's entries combine."""

from __future__ import annotations

from fractions import Fraction

from ..model import Aggregation, Agreement, AgreementAction, Aspect, AspectType, Band, Name
from ..numbers import ZERO, fmt, is_multiple, parse_number
from .reader import Reader

ASPECT_FIELDS = {
    "id",
    "name",
    "type",
    "max",
    "min",
    "step",
    "range",
    "panel",
    "aggregation",
    "trim",
    "agreement",
    "multiplier",
    "round_panel_first",
    "counts",
    "scale",
    "per_error",
    "per_unit",
    "cap",
    "nominal",
    "bands",
    "description",
    "descriptions",
    "double_entry",
}

# an aspect's entry limits as read so far: low, high, step, max
Limits = tuple[Fraction | None, Fraction | None, Fraction | None, Fraction | None]


def read_aspect(r: Reader, criterion: str, places: int) -> Aspect:
    """One aspect of ``criterion``; the problems go to ``r``'s list (in the file's field order)."""
    r.unknown(ASPECT_FIELDS)
    aid = r.str("id", required=True)
    atype = _aspect_type(r)
    mx = r.num("max")
    panel, agg, trim = _panel(r)
    scale = r.int("scale", 3, low=1)
    step = r.num("step")
    if step is not None and step <= 0:
        r.p.add(r.at("step"), "must be greater than 0")
        step = None
    low, high = _range(r)
    per_unit = r.num("per_error") if atype is AspectType.DEDUCTION else r.num("per_unit")
    cap = r.num("cap")
    nominal = r.num("nominal")
    needs_max = atype not in (AspectType.TIME, AspectType.PENALTY, AspectType.SCORE)
    if needs_max and mx is None:
        r.p.add(r.at("max"), f"is missing; a {atype.value} aspect needs the points it is worth")
    bands: list[Band] = []
    low, high, step, mx = _limits(r, atype, scale, per_unit, bands, (low, high, step, mx))
    if low is not None and high is not None and low > high:
        r.p.add(r.at("range"), f"starts above its end ({fmt(low, 2)} > {fmt(high, 2)})")
    elif low is not None and high is not None and step and not is_multiple(high, step, low):
        if r.has("step"):
            r.p.add(
                r.at("step"),
                f"{_plain(step)} never reaches the maximum {_plain(high)} from {_plain(low)}: "
                f"use a step that divides {_plain(high - low)}",
            )
        else:
            r.p.add(
                r.at("range"),
                f"ends on {_plain(high)}, which steps of {_plain(step)} from {_plain(low)} "
                "never reach: give the step, or end the range on a step",
            )
    agreement = _agreement(r)
    return Aspect(
        id=aid,
        name=r.name(fallback=aid),
        type=atype,
        criterion=criterion,
        max=mx,
        low=low if low is not None else ZERO,
        high=high if high is not None else ZERO,
        step=step or Fraction(1),
        panel=panel,
        aggregation=agg,
        trim=trim,
        agreement=agreement,
        multiplier=_one_if_none(r.num("multiplier", Fraction(1))),
        round_panel_first=r.bool("round_panel_first", False),
        counts=r.bool("counts", True),
        scale=scale,
        per_unit=per_unit or ZERO,
        cap=cap,
        nominal=nominal,
        bands=tuple(sorted(bands, key=lambda b: b.within)),
        description=r.name("description") if r.has("description") else None,
        descriptions=_descriptions(r, atype, scale),
        double_entry=r.bool("double_entry", False),
    )


def _descriptions(r: Reader, atype: AspectType, scale: int) -> tuple[Name, ...]:
    """Judgement: one text per score 0..scale (WorldSkills: what 0, 1, 2 and 3 mean)."""
    items = r.list("descriptions")
    if items and atype is not AspectType.JUDGEMENT:
        r.p.add(r.at("descriptions"), "is only used by judgement aspects; remove it")
    elif items and len(items) != scale + 1:
        r.p.add(
            r.at("descriptions"),
            f"has {len(items)} texts; give one per score 0..{scale} ({scale + 1} texts)",
        )
    return tuple(
        Reader({"name": d}, f"{r.at('descriptions')}[{i}]", r.p).name() for i, d in enumerate(items)
    )


def _aspect_type(r: Reader) -> AspectType:
    atype: AspectType | None = r.choice("type", AspectType, None)
    if atype is None:
        if not r.has("type"):  # a wrong type is reported by choice() already
            r.p.add(
                r.at("type"), "is missing; use one of " + ", ".join(t.value for t in AspectType)
            )
        atype = AspectType.SCORE
    return atype


def _panel(r: Reader) -> tuple[int, Aggregation, int]:
    """The panel's size, how its entries combine, and how many are dropped at each end."""
    panel = r.int("panel", 1, low=1)
    default_agg = Aggregation.SINGLE if panel == 1 else Aggregation.MEAN
    agg: Aggregation = r.choice("aggregation", Aggregation, default_agg)
    trim = r.int("trim", 1 if agg in (Aggregation.TRIMMED, Aggregation.MIDDLE_SUM) else 0, low=0)
    if agg in (Aggregation.TRIMMED, Aggregation.MIDDLE_SUM) and panel <= 2 * trim:
        r.p.add(
            r.at("trim"),
            f"drops {2 * trim} of {panel} marks; a panel of {panel} needs trim < {panel / 2:g}",
        )
    if agg is Aggregation.SINGLE and panel != 1:
        r.p.add(
            r.at("aggregation"), f"single needs panel = 1 (the agreed value), found panel = {panel}"
        )
    return panel, agg, trim


def _range(r: Reader) -> tuple[Fraction | None, Fraction | None]:
    low = r.num("min")
    high: Fraction | None = None
    rng = r.data.get("range")
    if rng is not None:
        try:
            low, high = (parse_number(x) for x in rng)
        except (TypeError, ValueError):
            r.p.add(r.at("range"), 'must be two numbers, like ["0", "10"]')
    return low, high


def _limits(
    r: Reader,
    atype: AspectType,
    scale: int,
    per_unit: Fraction | None,
    bands: list[Band],
    given: Limits,
) -> Limits:
    """What a judge may enter for this type of aspect (low, high, step) and its max; a
    banded aspect's bands are read into ``bands``."""
    low, high, step, mx = given
    if atype is AspectType.JUDGEMENT:
        low, high, step = ZERO, Fraction(scale), Fraction(1)
    elif atype is AspectType.MEASUREMENT:
        low, high, step = ZERO, Fraction(1), Fraction(1)
    elif atype in (AspectType.DEDUCTION, AspectType.PENALTY):
        if per_unit is None:
            key = "per_error" if atype is AspectType.DEDUCTION else "per_unit"
            r.p.add(r.at(key), "is missing; say what one error or count is worth")
        low, step = ZERO, Fraction(1)
        high = high if high is not None else Fraction(1000)
    elif atype is AspectType.BANDED:
        bands.extend(_bands(r))
        step = step or Fraction(1, 1000)
        low = low if low is not None else Fraction(-(10**9))
        high = high if high is not None else Fraction(10**9)
    else:  # score, time
        if low is None or high is None:
            what = "seconds" if atype is AspectType.TIME else "marks"
            r.p.add(
                r.at("range"),
                f'is missing; give the {what} a judge may enter, like range = ["0", "10"]',
            )
            low, high = low or ZERO, high or Fraction(10)
        step = step or Fraction(1, 100)
        if atype is AspectType.SCORE and mx is None:
            mx = high
    return low, high, step, mx


def _bands(r: Reader) -> list[Band]:
    bands = []
    for i, b in enumerate(r.list("bands")):
        br = Reader(b, f"{r.at('bands')}[{i}]", r.p)
        br.unknown({"within", "points"})
        w, pts = br.num("within", required=True), br.num("points", required=True)
        if w is not None and pts is not None:
            bands.append(Band(w, pts))
    if not bands:
        r.p.add(
            r.at("bands"),
            'is missing; list tolerance bands like [{within = "0.10", points = "1.00"}]',
        )
    return bands


def _agreement(r: Reader) -> Agreement | None:
    if not r.has("agreement"):
        return None
    ar = Reader(r.data["agreement"], r.at("agreement"), r.p)
    ar.unknown({"tolerance", "action"})
    tol = ar.num("tolerance", required=True) or ZERO
    return Agreement(tol, ar.choice("action", AgreementAction, AgreementAction.HOLD))


def _one_if_none(x: Fraction | None) -> Fraction:
    return Fraction(1) if x is None else x


def _plain(x: Fraction) -> str:
    """``x`` with the decimals it needs (0.3, 100), as the file would write it."""
    for places in range(0, 7):
        if (x * 10**places).denominator == 1:
            return fmt(x, places)
    return fmt(x, 6)
