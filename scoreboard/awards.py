"""Awards on final ranks, and the medal table across programs (scoring.md §7, §9.10)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .model import AwardRule, AwardType, MinField

# §9.10: a competitor gets at most one award, in this order of precedence.
PRECEDENCE = {
    AwardType.MEDALS: 0,
    AwardType.BANDS: 1,
    AwardType.COUNTS: 1,
    AwardType.THRESHOLD: 2,
    AwardType.FRACTION: 3,
}


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
    values = {e.id: e.values for e in field}

    def reaches(rule: AwardRule, cid: str) -> bool:
        v = values[cid].get(rule.key)
        return v is not None and rule.min is not None and v >= rule.min

    return award_ranked(
        rules,
        [e.id for e in field],
        {e.id: e.standard_rank for e in field},
        reaches,
        {e.id: e.tags for e in field},
        min_field,
    )


def award_ranked(
    rules: Iterable[AwardRule],
    order: list[str],
    standard: Mapping[str, int | None],
    reaches: Callable[[AwardRule, str], bool],
    tags: Mapping[str, tuple[str, ...]],
    min_field: MinField | None,
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """``award`` on plain lookups: ``order`` the ranked field best first, ``standard[id]`` its
    standard rank (None: an unresolved tie, no award), ``reaches(rule, id)`` whether it reaches
    a threshold rule's minimum, ``tags[id]`` its tags.
    """
    n = len(order)
    allowed = allowed_awards(min_field, n)  # "fewer than 5 entrants → gold only"
    awards: dict[str, str] = {}
    titles: dict[str, list[str]] = {}
    ordered = sorted(rules, key=lambda r: PRECEDENCE.get(r.type, 9))
    for rule in ordered:
        if rule.type is AwardType.TITLE:
            eligible = [
                cid for cid in order if rule.eligible in tags[cid] and standard[cid] is not None
            ]
            # top N of the eligible, ties at the cut kept
            cut = standard[eligible[rule.top - 1]] if len(eligible) >= rule.top else None
            for cid in eligible:
                r = standard[cid]
                assert r is not None
                if cut is None or r <= cut:
                    if allowed is None or rule.awards[0] in allowed:
                        titles.setdefault(cid, []).append(rule.awards[0])
            continue
        if rule.type is AwardType.THRESHOLD:
            reached = rule.awards[0]
            if allowed is not None and reached not in allowed:
                continue
            for cid in order:
                if cid not in awards and standard[cid] is not None and reaches(rule, cid):
                    awards[cid] = reached
            continue
        # the other rules go by rank only: standard ranks never fall along the ranked
        # field, so past the last rank a rule can reach, no one else gets it
        last = last_rank(rule, n)
        for cid in order:
            r = standard[cid]
            if r is None or cid in awards:
                continue
            if r > last:
                break
            name = _rule_award(rule, r, n)
            if name is not None and (allowed is None or name in allowed):
                awards[cid] = name
    return awards, titles


def by_precedence(rules: Iterable[AwardRule]) -> list[tuple[int, AwardRule]]:
    """The rules other than titles, each with its index, in the order ``award_ranked`` applies them."""
    ordered = sorted(enumerate(rules), key=lambda ir: PRECEDENCE.get(ir[1].type, 9))
    return [(i, r) for i, r in ordered if r.type is not AwardType.TITLE]


def allowed_awards(min_field: MinField | None, n: int) -> set[str] | None:
    """The awards a field of ``n`` may give (None: all of them)."""
    return set(min_field.awards) if min_field is not None and n < min_field.size else None


def award_one(
    ordered: list[tuple[int, AwardRule]],
    standard_rank: int | None,
    n: int,
    reached: Mapping[int, bool],
    allowed: set[str] | None,
) -> str | None:
    """One entrant's award (titles aside), as ``award_ranked`` gives it: the first rule, in
    order of precedence (``by_precedence``), that gives an award the field allows (§9.10).
    It depends on the entrant's standard rank, its own values (``reached[i]``: it reaches
    threshold rule ``i``) and the field's size only.
    """
    if standard_rank is None:
        return None
    for i, rule in ordered:
        if rule.type is AwardType.THRESHOLD:
            name = rule.awards[0] if reached[i] else None
        else:
            name = _rule_award(rule, standard_rank, n)
        if name is not None and (allowed is None or name in allowed):
            return name
    return None


def last_rank(rule: AwardRule, n: int) -> int:
    """The worst standard rank that ``rule`` can award."""
    if rule.type is AwardType.MEDALS:
        return len(rule.awards)
    if rule.type in (AwardType.BANDS, AwardType.COUNTS):
        return sum(c for _, c in zip(rule.awards, _counts(rule, n), strict=False))
    if rule.type is AwardType.FRACTION:
        assert rule.fraction is not None
        return int(n * rule.fraction)
    return 0


def _counts(rule: AwardRule, n: int) -> tuple[int, ...]:
    return (
        rule.counts
        if rule.type is AwardType.COUNTS
        else tuple(int(n * p / 100) for p in rule.percents)
    )


def _rule_award(rule: AwardRule, r: int, n: int) -> str | None:
    """The award a rank-based rule gives standard rank ``r`` in a field of ``n``."""
    if rule.type is AwardType.MEDALS:
        # standard ranks: two golds → rank 3 next → bronze; three golds → no medal left
        return rule.awards[r - 1] if r <= len(rule.awards) else None
    if rule.type in (AwardType.BANDS, AwardType.COUNTS):
        cutoff = 0
        for name, c in zip(rule.awards, _counts(rule, n), strict=False):
            cutoff += c
            if r <= cutoff:
                return name
        return None
    if rule.type is AwardType.FRACTION:
        assert rule.fraction is not None
        return rule.awards[0] if r <= int(n * rule.fraction) else None
    return None


@dataclass(frozen=True)
class MedalRow:
    delegation: str
    counts: tuple[int, ...]
    points: int
    rank: int | None  # None: nothing won, so not ranked (issue 16)


def medal_table(
    medal_names: tuple[str, ...],
    won: Iterable[tuple[str, str]],
    delegations: Iterable[str],
    points: tuple[int, ...] | None = None,
) -> list[MedalRow]:
    """Rank delegations by gold, then silver, then bronze, or by medal points; a delegation
    that won nothing is listed after them without a rank.

    ``won`` yields (delegation, medal name) per medal; ``points[i]`` is the worth of medal i.
    """
    index = {m: i for i, m in enumerate(medal_names)}
    tally: dict[str, list[int]] = {d: [0] * len(medal_names) for d in delegations}
    for deleg, medal in won:
        if medal in index and deleg in tally:
            tally[deleg][index[medal]] += 1

    def pts(c: list[int]) -> int:
        return sum(
            p * x for p, x in zip(points or (), c, strict=False)
        )  # points may name fewer medals

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
        won_any = any(tally[d])
        rows.append(MedalRow(d, tuple(tally[d]), pts(tally[d]), rank if won_any else None))
    return rows
