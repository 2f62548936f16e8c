"""A program's award rules and its minimum field (scoring.md §7, §9.10)."""

from __future__ import annotations

from ..model import AwardRule, AwardType, MinField
from .reader import Reader

AWARD_TYPES = tuple(t.value for t in AwardType)
AWARD_FIELDS = {
    "type",
    "awards",
    "award",
    "percents",
    "counts",
    "key",
    "min",
    "fraction",
    "top",
    "eligible",
}


def read_award(r: Reader) -> AwardRule:
    r.unknown(AWARD_FIELDS)
    text = r.str("type", required=True)
    kind = AwardType(text) if text in AWARD_TYPES else None
    if text and kind is None:
        r.p.add(r.at("type"), f"is {text!r}; use one of {', '.join(AWARD_TYPES)}")
    names = r.strs("awards") or ((r.str("award"),) if r.has("award") else ())
    if not names:
        r.p.add(
            r.at("awards"),
            'is missing; name the award(s), like awards = ["gold", "silver", "bronze"]',
        )
    percents = tuple(r.numbers("percents")) if kind is AwardType.BANDS else ()
    counts = tuple(r.counts("counts")) if kind is AwardType.COUNTS else ()
    if kind is AwardType.BANDS and len(percents) != len(names):
        r.p.add(r.at("percents"), f"gives {len(percents)} percentages for {len(names)} awards")
    if kind is AwardType.COUNTS and len(counts) != len(names):
        r.p.add(r.at("counts"), f"gives {len(counts)} counts for {len(names)} awards")
    rule = AwardRule(
        # a missing or unknown type is reported above, and the file is refused; medals
        # stands in for it meanwhile (it asks for nothing the other checks look at)
        type=kind or AwardType.MEDALS,
        awards=names,
        percents=percents,
        counts=counts,
        key=r.str("key", "total"),
        min=r.num("min", required=kind is AwardType.THRESHOLD),
        fraction=r.num("fraction", required=kind is AwardType.FRACTION),
        top=r.int("top", 0, low=0),
        eligible=r.str("eligible") or None,
    )
    if kind is AwardType.TITLE and (rule.top < 1 or rule.eligible is None):
        r.p.add(r.path, 'a title needs top = N and eligible = "TAG"')
    return rule


def read_min_field(r: Reader) -> MinField | None:
    """Fewer entrants than ``size``: only the listed awards are given."""
    if not r.has("min_field"):
        return None
    mr = Reader(r.data["min_field"], r.at("min_field"), r.p)
    mr.unknown({"size", "awards"})
    return MinField(mr.int("size", 1, low=1), mr.strs("awards") or ())
