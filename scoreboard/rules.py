"""How a program ranks and awards: its key chain, standardisation and award rules
(scoring.md §5–§7). Part of the competition model (``model`` re-exports them)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction


class RankMode(enum.StrEnum):
    STANDARD = "standard"
    DENSE = "dense"
    ORDINAL = "ordinal"
    UNIQUE = "unique"  # no shared ranks: unresolved ties are reported


class KeyKind(enum.StrEnum):
    """What a ranking key ranks by: the part of ``RankKey.key`` before any ``:ID``."""

    TOTAL = "total"
    STANDARDISED = "standardised"
    COMPONENT = "component"
    CRITERION = "criterion"
    ASPECT = "aspect"


@dataclass(frozen=True)
class RankKey:
    key: str  # total | standardised | component:<id> | criterion:<id> | aspect:<id>
    descending: bool
    tolerance: Fraction | None = None


@dataclass(frozen=True)
class Ranking:
    keys: tuple[RankKey, ...]
    mode: RankMode


@dataclass(frozen=True)
class Standardisation:
    centre: Fraction
    factor: Fraction
    spread: Spread
    places: int


class AwardType(enum.StrEnum):
    """How an award rule gives its awards (scoring.md §6)."""

    MEDALS = "medals"
    BANDS = "bands"
    COUNTS = "counts"
    THRESHOLD = "threshold"
    FRACTION = "fraction"
    TITLE = "title"


class Spread(enum.StrEnum):
    """The spread a standardisation divides by: standard deviation or mean absolute deviation."""

    SD = "sd"
    MAD = "mad"


@dataclass(frozen=True)
class AwardRule:
    """One award rule of a program."""

    type: AwardType
    awards: tuple[str, ...] = ()
    percents: tuple[Fraction, ...] = ()
    counts: tuple[int, ...] = ()
    key: str = "total"
    min: Fraction | None = None
    fraction: Fraction | None = None
    top: int = 0
    eligible: str | None = None


@dataclass(frozen=True)
class MinField:
    size: int
    awards: tuple[str, ...]


@dataclass(frozen=True)
class LifecycleRules:
    """A program's way to official results (the competition file's ``[programs.lifecycle]``)."""

    review_top: int = 10  # every one of the top places is reviewed (复核)
    review_share: Fraction = Fraction(15, 100)  # and at least this share of the rest
    error_threshold: Fraction = Fraction(5, 100)  # above it the review extends to everyone
    appeal_window_ms: int = 2 * 3600 * 1000  # 公示 lasts this long from its start
    appeals_public: bool = False  # whether the public sees 申诉中 on a row
