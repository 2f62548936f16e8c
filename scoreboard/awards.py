"""Awards on final ranks, and the medal table across programs (scoring.md §7, §9.10)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .model import AwardRule, MinField

# §9.10: a competitor gets at most one award, in this order of precedence.
PRECEDENCE = {"medals": 0, "bands": 1, "counts": 1, "threshold": 2, "fraction": 3}


@dataclass(frozen=True)
class Entrant:
    id: str
    standard_rank: int | None  # None: unresolved tie, no award (§9.9)
    values: dict[str, Fraction | None]  # threshold keys: total, standardised, ...
    tags: tuple[str, ...]


def award(
    rules: Iterable[AwardRule], field: list[Entrant], min_field: MinField | None
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each entrant's award (at most one) and titles. ``field`` is the ranked field, best first."""
    n = len(field)
    allowed: set[str] | None = None
    if min_field is not None and n < min_field.size:
        allowed = set(min_field.awards)  # "fewer than 5 entrants → gold only"
    awards: dict[str, str] = {}
    titles: dict[str, list[str]] = {}
    ordered = sorted(rules, key=lambda r: PRECEDENCE.get(r.type, 9))
    for rule in ordered:
        if rule.type == "title":
            eligible = [e for e in field if rule.eligible in e.tags and e.standard_rank is not None]
            # top N of the eligible, ties at the cut kept
            cut = eligible[rule.top - 1].standard_rank if len(eligible) >= rule.top else None
            for e in eligible:
                assert e.standard_rank is not None
                if cut is None or e.standard_rank <= cut:
                    if allowed is None or rule.awards[0] in allowed:
                        titles.setdefault(e.id, []).append(rule.awards[0])
            continue
        for e in field:
            if e.id in awards or e.standard_rank is None:
                continue
            name = _rule_award(rule, e, n)
            if name is not None and (allowed is None or name in allowed):
                awards[e.id] = name
    return awards, titles


def _rule_award(rule: AwardRule, e: Entrant, n: int) -> str | None:
    r = e.standard_rank
    assert r is not None
    if rule.type == "medals":
        # standard ranks: two golds → rank 3 next → bronze; three golds → no medal left
        return rule.awards[r - 1] if r <= len(rule.awards) else None
    if rule.type in ("bands", "counts"):
        counts = rule.counts if rule.type == "counts" else tuple(int(n * p / 100) for p in rule.percents)
        cutoff = 0
        for name, c in zip(rule.awards, counts):
            cutoff += c
            if r <= cutoff:
                return name
        return None
    if rule.type == "threshold":
        v = e.values.get(rule.key)
        return rule.awards[0] if v is not None and rule.min is not None and v >= rule.min else None
    if rule.type == "fraction":
        assert rule.fraction is not None
        return rule.awards[0] if r <= int(n * rule.fraction) else None
    return None


@dataclass(frozen=True)
class MedalRow:
    delegation: str
    counts: tuple[int, ...]
    points: int
    rank: int


def medal_table(
    medal_names: tuple[str, ...], won: Iterable[tuple[str, str]], delegations: Iterable[str],
    points: tuple[int, ...] | None = None,
) -> list[MedalRow]:
    """Rank delegations by gold, then silver, then bronze, or by medal points.

    ``won`` yields (delegation, medal name) per medal; ``points[i]`` is the worth of medal i.
    """
    index = {m: i for i, m in enumerate(medal_names)}
    tally: dict[str, list[int]] = {d: [0] * len(medal_names) for d in delegations}
    for deleg, medal in won:
        if medal in index and deleg in tally:
            tally[deleg][index[medal]] += 1
    def pts(c: list[int]) -> int:
        return sum(p * x for p, x in zip(points or (), c))
    def key(d: str) -> tuple[object, ...]:
        c = tally[d]
        return ((-pts(c),) if points else ()) + tuple(-x for x in c)
    order = sorted(tally, key=lambda d: (key(d), d))
    rows = []
    prev = None
    rank = 0
    for i, d in enumerate(order):
        if key(d) != prev:
            rank = i + 1
            prev = key(d)
        rows.append(MedalRow(d, tuple(tally[d]), pts(tally[d]), rank))
    return rows
