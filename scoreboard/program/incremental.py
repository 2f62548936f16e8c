"""Ranking after one ranked competitor's result changed, by moving it in the order and
re-placing only the stretch between its old and new places.

Only for programs where that gives exactly what ranking the whole field does
(``RankMemo.allows_incremental``): sort keys are each competitor's own (no tolerance,
no key on the standardised score), ranks are standard or ordinal (a place depends on its tie group
only), no titles and no guests; and the field's size is unchanged (it is still
ranked), so each award depends on the competitor's own rank and values alone
(``awards.award_one``). A standardised score depends on the whole field: when the
program has standardisation, every ranked competitor's score is recomputed (in whole
numbers) and those whose printed score moved get a new standing, and a new award when they
cross a threshold on it. A property test checks it against ``field_ranking``.
"""

from __future__ import annotations

from bisect import bisect_left
from fractions import Fraction
from typing import Any

from ..awards import allowed_awards, award_one, last_rank
from ..model import AwardType, Program, RankMode
from ..ranking import Placing, shared_placing
from ..standardise import score, standardise_ints
from ..totals import Result
from .standings import (
    PLAIN_STANDINGS,
    RankMemo,
    Standing,
    entry_of,
    scaled_totals,
    standing_of,
    std_reaches,
)


def rank_one(
    prog: Program,
    memo: RankMemo,
    cid: str,
    result: Result,
    standings: dict[str, Standing],
    changed: set[str],
    awarded: set[str] | None = None,
    rank_moves: dict[str, Standing] | None = None,
) -> bool:
    """Update ``memo`` and ``standings`` (in place; who changed goes to ``changed``, of
    them whose award changed to ``awarded``, and of them whose standing moved in its rank
    alone to ``rank_moves``, with the standing it had) for ``cid``'s new ``result``. True
    when the order changed (``memo.ranked + memo.tail``)."""
    new_key = entry_of(prog, memo, cid, result).order_key
    p, q = _move(memo, cid, new_key)
    moved = _replace(memo, cid, p, q, prog.ranking.mode is RankMode.ORDINAL)
    restd = _restandardise(prog, memo, cid) if prog.standardisation is not None else {}
    reached = {c for c in restd if _rereach(memo, c)}
    # whose award and whose best of delegation may have changed: for anyone else the standing
    # shows them as they are (standings follow the memo's awards and bests after every ranking)
    reawarded = _reaward(prog, memo, cid, moved, reached)
    rebest = _best_of_delegation(memo, cid, new_key)
    more = rebest | restd.keys() if restd else set(rebest)  # (a few: besides those moved)
    more.difference_update(moved)
    placings, won, best, delegation = memo.placings, memo.won, memo.best, memo.delegation
    shared = PLAIN_STANDINGS
    for c in (*moved, *more) if more else moved:
        now = placings[c]
        s = standings[c]
        aw = won.get(c) if c in reawarded else s.award
        b = best.get(delegation[c]) == c if c in rebest else s.best_of_delegation
        if s.placing is not now or s.award != aw or s.best_of_delegation is not b or c in restd:
            sv = restd.get(c, s.standardised) if restd else s.standardised
            # rows compare standings by identity: a shared one per value (``standing_of``)
            new = shared.get((id(now), aw, b)) if sv is None else None
            standings[c] = new if new is not None else standing_of(now, sv, aw, (), b)
            changed.add(c)
            if s.award != aw:
                if awarded is not None:
                    awarded.add(c)
            elif (
                rank_moves is not None
                and sv is None
                and s.standardised is None
                and s.best_of_delegation is b
                and not s.titles
            ):
                was = s.placing
                if (
                    was is not None
                    and now is not None
                    and was.tied is now.tied
                    and was.unresolved is now.unresolved
                ):
                    rank_moves[c] = s  # a row shows the new standing as the old, but its rank
    return p != q


def _restandardise(prog: Program, memo: RankMemo, cid: str) -> dict[str, Fraction]:
    """The field's standardised scores again, after ``cid``'s total changed: those that
    changed."""
    rule = prog.standardisation
    assert rule is not None
    total = memo.entries[cid].result.total
    if memo.std_den % total.denominator:
        entries = memo.entries
        scaled_totals(memo, {c: entries[c].result.total for c in memo.ranked})
    else:
        memo.std_ints[cid] = total.numerator * (memo.std_den // total.denominator)
    ks = standardise_ints(rule, memo.std_ints, memo.std_den)
    scale = 10**rule.places
    old = memo.std_k
    out = {}
    for c, k in ks.items():
        if old.get(c) != k:
            old[c] = k
            out[c] = score(k, scale)
    return out


def _rereach(memo: RankMemo, c: str) -> bool:
    """Note whether ``c``'s new standardised score reaches each threshold on it: True when
    that changed."""
    if not memo.std_rules:
        return False
    new = std_reaches(memo, memo.std_k[c])
    if memo.std_reach.get(c) == new:
        return False
    memo.std_reach[c] = new
    return True


def _move(memo: RankMemo, cid: str, new_key: Any) -> tuple[int, int]:
    """Move ``cid`` to its new key's place in the ranked field: (old index, new index)."""
    okeys, ranked = memo.okeys, memo.ranked
    old_key = memo.okey_of[cid]
    p = bisect_left(okeys, old_key)
    q = p
    if new_key != old_key:
        del okeys[p], ranked[p]
        q = bisect_left(okeys, new_key)
        okeys.insert(q, new_key)
        ranked.insert(q, cid)
        memo.okey_of[cid] = new_key
    return p, q


def _replace(memo: RankMemo, cid: str, p: int, q: int, ordinal: bool) -> dict[str, Placing | None]:
    """Place again the stretch from the start of the tie group before the move to the end of
    the one after it. Returns whose placing changed (and ``cid``), each with its old one."""
    okeys, ranked, placings = memo.okeys, memo.ranked, memo.placings
    n = len(ranked)
    lo = max(min(p, q) - 1, 0)
    while lo > 0 and okeys[lo - 1][0] == okeys[lo][0]:
        lo -= 1
    hi = min(max(p, q) + 1, n - 1)
    while hi < n - 1 and okeys[hi + 1][0] == okeys[hi][0]:
        hi += 1
    moved: dict[str, Placing | None] = {cid: placings.get(cid)}
    solo = memo.solo  # the placing of each position alone on its rank
    while len(solo) < n:
        solo.append(shared_placing(len(solo) + 1, len(solo) + 1, False, False))
    i = lo
    while i <= hi:
        k = okeys[i][0]
        j = i + 1
        while j < n and okeys[j][0] == k:
            j += 1
        if j == i + 1:  # alone on its rank (the common case)
            c = ranked[i]
            placing = solo[i]
            before = placings[c]
            if before is not placing:  # placings are shared: the same value, the same object
                placings[c] = placing
                moved.setdefault(c, before)
            i = j
            continue
        for pos in range(i, j):
            c = ranked[pos]
            r = pos + 1 if ordinal else i + 1  # §9.16: ordinal ranks decide the awards too
            placing = shared_placing(r, r, True, False)
            before = placings[c]
            if before is not placing:
                placings[c] = placing
                moved.setdefault(c, before)
        i = j
    return moved


def _reaward(
    prog: Program,
    memo: RankMemo,
    cid: str,
    moved: dict[str, Placing | None],
    reached: set[str],
) -> set[str]:
    """Awards of those moved and of those whose standardised score crossed a threshold
    (``reached``): each depends on the competitor's own standard rank and values, and on the
    field's size (unchanged); past the last rank a rule can award, only thresholds count.
    Returns those awarded again (anyone else's award is as it was)."""
    n = len(memo.ranked)
    ordered = memo.by_precedence
    allowed = allowed_awards(prog.min_field, n)
    last = memo.last_ranks.get(n)
    if last is None:
        last = memo.last_ranks[n] = max(
            (last_rank(r, n) for _, r in ordered if r.type is not AwardType.THRESHOLD), default=0
        )
    placings = memo.placings
    again = {
        c
        for c, was in moved.items()
        if c == cid or (was is not None and (was.standard <= last or placings[c].standard <= last))
    }
    # a standardised score that crossed a threshold is awarded again whether or not its place
    # moved too: one moved only past the last rank-based award was left out above
    again |= reached
    for c in again:
        reaches = memo.entries[c].reaches
        if memo.std_rules:
            reaches = {**reaches, **memo.std_reach[c]}
        aw = award_one(ordered, memo.placings[c].standard, n, reaches, allowed)
        if aw is None:
            memo.won.pop(c, None)
        else:
            memo.won[c] = aw
    return again


def _best_of_delegation(memo: RankMemo, cid: str, new_key: Any) -> set[str]:
    """Only the moved competitor's delegation can have a new first: who gained or lost it."""
    delegation = memo.delegation
    d = delegation[cid]
    old_best = memo.best.get(d)
    if d is None:
        new_best = old_best = None  # no delegation: nobody to be the best of
    elif old_best == cid or old_best is None:
        new_best = next(c for c in memo.ranked if delegation[c] == d)
    else:
        new_best = cid if new_key < memo.okey_of[old_best] else old_best
    affected: set[str] = set()
    if new_best is not None and new_best != old_best:
        memo.best[d] = new_best
        affected.add(new_best)
        if old_best is not None:
            affected.add(old_best)
    return affected
