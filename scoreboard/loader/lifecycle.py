"""A program's ``lifecycle`` table: how its results become official (review, 公示, appeals).

Every field is optional; the defaults are the usual procedure::

    [programs.lifecycle]
    review_top = 10           # the top places are all reviewed (复核)
    review_share = "15%"      # and at least this share of the rest, drawn from a recorded seed
    error_threshold = "5%"    # above this error rate the review extends to every competitor
    appeal_window = "2h"      # 公示 lasts this long: "2h", "90min", "30s"
    appeals_public = false    # whether the public sees 申诉中 on an appealed row
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from ..numbers import parse_number
from ..rules import LifecycleRules
from .reader import Reader

FIELDS = {"review_top", "review_share", "error_threshold", "appeal_window", "appeals_public"}
UNITS_MS = {"h": 3_600_000, "min": 60_000, "s": 1000}
DURATION = re.compile(r"^\s*(\d+)\s*(h|min|s)\s*$")
DEFAULT = LifecycleRules()


def read_lifecycle(r: Reader) -> LifecycleRules:
    """The program's lifecycle rules; problems go to ``r``'s list."""
    if not r.has("lifecycle"):
        return DEFAULT
    lr = Reader(r.data.get("lifecycle"), r.at("lifecycle"), r.p)
    lr.unknown(FIELDS)
    return LifecycleRules(
        review_top=lr.int("review_top", DEFAULT.review_top, low=0, high=10_000),
        review_share=_share(lr, "review_share", DEFAULT.review_share),
        error_threshold=_share(lr, "error_threshold", DEFAULT.error_threshold),
        appeal_window_ms=_duration(lr, "appeal_window", DEFAULT.appeal_window_ms),
        appeals_public=lr.bool("appeals_public", DEFAULT.appeals_public),
    )


def _share(r: Reader, key: str, default: Fraction) -> Fraction:
    """A percentage: ``"15%"`` or the number ``15``; 0 to 100."""
    v: Any = r.data.get(key)
    if v is None:
        return default
    text = v.strip().removesuffix("%") if isinstance(v, str) else v
    try:
        pct = parse_number(text)
    except ValueError:
        r.p.add(r.at(key), f'must be a percentage like "15%", found {v!r}')
        return default
    if not 0 <= pct <= 100:
        r.p.add(r.at(key), f"must be between 0% and 100%, found {v!r}")
        return default
    return pct / 100


def _duration(r: Reader, key: str, default: int) -> int:
    v = r.data.get(key)
    if v is None:
        return default
    m = DURATION.match(v) if isinstance(v, str) else None
    if m is None:
        r.p.add(r.at(key), f'must be a duration like "2h", "90min" or "30s", found {v!r}')
        return default
    return int(m.group(1)) * UNITS_MS[m.group(2)]
