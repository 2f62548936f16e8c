"""What ranking gives each competitor (``Standing``), and what it remembers between events.

``RankMemo`` holds the facts of the field that never change (bibs, tags, delegations,
which keys are standardised) and what the last ranking left (the ranked field in
order with its order keys, placings, awards, each delegation's best): both the full
ranking (``field_ranking``) and the one-competitor update (``incremental``) work on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..awards import by_precedence
from ..model import AwardRule, AwardType, KeyKind, Program, RankMode
from ..numbers import round_half_up
from ..ranking import Placing
from ..standardise import common_denominator
from ..totals import Result


@dataclass(slots=True)
class Standing:
    """Everything ranking gives one competitor."""

    placing: Placing | None = None
    standardised: Fraction | None = None
    award: str | None = None
    titles: tuple[str, ...] = ()
    best_of_delegation: bool = False


# standings without a standardised score or titles, by (id of the placing, award, best of
# delegation): one object per distinct value (the table holds the placing, so its id is not
# reused while it is a key)
PLAIN_STANDINGS: dict[tuple[int, str | None, bool], Standing] = {}


def standing_of(
    placing: Placing | None,
    standardised: Fraction | None,
    award: str | None,
    titles: tuple[str, ...],
    best: bool,
) -> Standing:
    """A ``Standing``; shared when it has no standardised score and no titles (most of them):
    standings are never changed once made, and a row made from one standing is the row of any
    standing equal to it, so sharing one object per value saves making and collecting one
    per competitor and move."""
    if standardised is not None or titles:
        return Standing(placing, standardised, award, titles, best)
    key = (id(placing), award, best)
    s = PLAIN_STANDINGS.get(key)
    if s is None:
        if len(PLAIN_STANDINGS) > 100_000:
            PLAIN_STANDINGS.clear()
        s = PLAIN_STANDINGS[key] = Standing(placing, None, award, (), best)
    return s


@dataclass(frozen=True, slots=True)
class Entry:
    """What ranking needs of one competitor that depends on its own result only."""

    result: Result  # the result these were computed from
    values: list[Fraction | None]  # each ranking key's value as printed (standardised: None here)
    sort_key: tuple[object, ...] | None  # None when a key is the standardised score
    order_key: tuple[object, ...] | None  # (sort_key, tie-break by bib)
    reaches: dict[int, bool]  # threshold award rule index → reached (not standardised ones)


@dataclass
class RankMemo:
    """Ranking's memory of a program's field (never part of the state's value)."""

    regular: list[str]  # not guests, in the file's order
    guests: list[str]
    bibs: dict[str, str]  # zero-filled, to sort by
    tiebreak: dict[str, tuple[str, int]]  # bib, then the file's order
    by_bib: list[str]
    tags: dict[str, tuple[str, ...]]
    delegation: dict[str, str | None]
    std_keys: list[int]  # the ranking keys that are the standardised score
    tolerance: bool  # a ranking key has a tolerance
    by_precedence: list[tuple[int, AwardRule]]
    sequence: list[str]  # the last order first: sorting a nearly sorted list is fast
    entries: dict[str, Entry] = field(default_factory=dict)
    # as the last rank left them: placings, awards, the ranked field in order with its
    # order keys, each delegation's best, and those after the ranked field
    placings: dict[str, Placing] = field(default_factory=dict)
    won: dict[str, str] = field(default_factory=dict)
    ranked: list[str] = field(default_factory=list)
    okeys: list[Any] = field(default_factory=list)
    okey_of: dict[str, Any] = field(default_factory=dict)
    best: dict[str | None, str] = field(default_factory=dict)
    tail: list[str] = field(default_factory=list)
    last_ranks: dict[int, int] = field(default_factory=dict)  # field size → last awarded rank
    solo: list[Placing] = field(default_factory=list)  # position i alone on its rank: i + 1
    # threshold rules on the standardised score: (rule index, the minimum × 10 ** places,
    # rounded up); and, as the last rank left them, each ranked competitor's standardised
    # score × 10 ** places and whether it reaches each of those rules
    std_rules: list[tuple[int, int]] = field(default_factory=list)
    std_k: dict[str, int] = field(default_factory=dict)
    std_den: int = 1  # the ranked field's totals over a common denominator: total × std_den
    std_ints: dict[str, int] = field(default_factory=dict)
    std_reach: dict[str, dict[int, bool]] = field(default_factory=dict)
    # the sort keys' directions and scale, and the threshold rules not on the standardised
    # score: (rule index, key, the ranking key it is or None, minimum)
    descending: tuple[bool, ...] = ()
    key_scale: int = 1
    thresholds: list[tuple[int, str, int | None, Fraction]] = field(default_factory=list)

    @classmethod
    def of(cls, prog: Program) -> RankMemo:
        comps = prog.competitors
        regular = [cid for cid, c in comps.items() if not c.guest]
        bibs = {cid: c.bib.zfill(8) for cid, c in comps.items()}
        # equal bibs (after zero-filling) keep the file's order, as a stable sort does
        tiebreak = {cid: (bibs[cid], i) for i, cid in enumerate(comps)}
        keys = prog.ranking.keys
        return cls(
            regular=regular,
            guests=[cid for cid, c in comps.items() if c.guest],
            bibs=bibs,
            tiebreak=tiebreak,
            by_bib=sorted(comps, key=lambda c: tiebreak[c]),
            tags={cid: c.tags for cid, c in comps.items()},
            delegation={cid: c.delegation for cid, c in comps.items()},
            std_keys=[
                i for i, k in enumerate(keys) if k.key.partition(":")[0] == KeyKind.STANDARDISED
            ],
            tolerance=any(k.tolerance is not None for k in keys),
            by_precedence=by_precedence(prog.awards),
            sequence=list(regular),
            std_rules=_std_rules(prog),
            descending=tuple(k.descending for k in keys),
            key_scale=10**prog.key_places,
            thresholds=_thresholds(prog),
        )

    def allows_incremental(self, prog: Program) -> bool:
        """Whether moving one competitor (``incremental.rank_one``) gives exactly what
        ranking the whole field does: see there. Standardised programs ranked on the total
        qualify (tests/scoreboard/test_incremental_standardised.py holds it to the full
        ranking after every event)."""
        return (
            not self.std_keys
            and not self.tolerance
            and prog.ranking.mode in (RankMode.STANDARD, RankMode.ORDINAL)
            and not self.guests
            and all(r.type is not AwardType.TITLE for r in prog.awards)
        )


def _thresholds(prog: Program) -> list[tuple[int, str, int | None, Fraction]]:
    keys = [k.key for k in prog.ranking.keys]
    out = []
    for i, rule in enumerate(prog.awards):
        if rule.type is AwardType.THRESHOLD and rule.key != KeyKind.STANDARDISED:
            assert rule.min is not None  # the loader requires it
            out.append((i, rule.key, keys.index(rule.key) if rule.key in keys else None, rule.min))
    return out


def _std_rules(prog: Program) -> list[tuple[int, int]]:
    if prog.standardisation is None:
        return []
    scale = 10**prog.standardisation.places
    out = []
    for i, rule in enumerate(prog.awards):
        if rule.type is AwardType.THRESHOLD and rule.key == KeyKind.STANDARDISED:
            assert rule.min is not None  # the loader requires it
            # k / scale >= min  <=>  k >= ceil(min × scale)
            out.append((i, -((-rule.min.numerator * scale) // rule.min.denominator)))
    return out


def std_reaches(memo: RankMemo, k: int) -> dict[int, bool]:
    """Whether a standardised score of k / 10 ** places reaches each ``memo.std_rules``."""
    return {i: k >= low for i, low in memo.std_rules}


def scaled_totals(memo: RankMemo, totals: dict[str, Fraction]) -> None:
    """Note the ranked field's totals as whole numbers over their common denominator."""
    den = common_denominator(totals.values())
    memo.std_den = den
    memo.std_ints = {cid: x.numerator * (den // x.denominator) for cid, x in totals.items()}


def plain_value(prog: Program, res: Result, key: str) -> Fraction | None:
    """The value of a ranking key other than the standardised score, as printed."""
    kind, _, ref = key.partition(":")
    value: Fraction | None = None
    if kind == KeyKind.TOTAL:
        value = res.total
    elif kind == KeyKind.COMPONENT:
        value = res.components.get(ref)
    elif kind == KeyKind.CRITERION:
        value = res.criteria.get(ref)
    elif kind == KeyKind.ASPECT:
        a = res.aspects.get(ref)
        value = a.value if a is not None else None
        return None if value is None else round_half_up(value, prog.aspect_places(ref))
    return None if value is None else round_half_up(value, prog.value_places)


def entry_of(prog: Program, memo: RankMemo, cid: str, res: Result) -> Entry:
    """The competitor's ``Entry``, remembered until its result changes (results are
    immutable: a change is a new ``Result``)."""
    e = memo.entries.get(cid)
    if e is not None and e.result is res:
        return e
    keys = prog.ranking.keys
    values = [
        None if k.key == KeyKind.STANDARDISED else plain_value(prog, res, k.key) for k in keys
    ]
    skey: tuple[object, ...] | None = None
    if not memo.std_keys:
        # as ranking.sort_keys, on whole numbers (value x 10^places: exact, as values are
        # rounded to places), which compare much faster than fractions
        scale = memo.key_scale
        parts: list[tuple[int, int]] = []
        for descending, v in zip(memo.descending, values, strict=True):
            if v is None:
                parts.append((1, 0))
            else:
                n, d = v.as_integer_ratio()
                x = n * (scale // d)
                parts.append((0, -x if descending else x))
        skey = tuple(parts)
    reaches: dict[int, bool] = {}
    for i, key, j, low in memo.thresholds:
        # a threshold on a ranking key takes that key's value (the same value as printed)
        v = values[j] if j is not None else plain_value(prog, res, key)
        reaches[i] = v is not None and v >= low
    okey = None if skey is None else (skey, memo.tiebreak[cid])
    e = Entry(res, values, skey, okey, reaches)
    memo.entries[cid] = e
    return e


def best_standardised(prog: Program, memo: RankMemo) -> tuple[int, int, list[str]] | None:
    """The best standardised score as ``(k, scale)`` and who has it; None without one."""
    rule = prog.standardisation
    ks = memo.std_k  # as the last ranking left the standings' scores
    if rule is None or not ks:
        return None
    top = max(ks.values())
    return top, 10**rule.places, sorted(c for c, k in ks.items() if k == top)
