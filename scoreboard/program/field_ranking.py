"""Ranking a program's whole field: standardised scores, places, awards, titles, best of
delegation, and the board's order (scoring.md §5–§7, §9.6–§9.11)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..awards import award_ranked
from ..model import STATUS_ORDER, AwardRule, KeyKind, Program, RankMode, Status
from ..ranking import Placing, place, rank, sort_keys
from ..standardise import standardise
from ..totals import Result
from .standings import (
    Entry,
    RankMemo,
    Standing,
    entry_of,
    plain_value,
    scaled_totals,
    standing_of,
    std_reaches,
)


@dataclass
class Ranked:
    """What ranking the field gives: the new standings (an unchanged competitor keeps its
    ``Standing`` object), who changed, the unresolved ties and the board's order."""

    standings: dict[str, Standing]
    changed: set[str]
    unresolved: list[list[str]]
    order: list[str]


def rank_field(
    prog: Program,
    memo: RankMemo,
    statuses: dict[str, Status],
    results: dict[str, Result],
    old: dict[str, Standing],
    incremental: bool,
) -> Ranked:
    """Rank the whole field; ``memo`` is left as ``incremental.rank_one`` needs it when
    ``incremental``."""
    ok = Status.OK
    # the previous order first: sorting a nearly sorted list is fast
    ranked = [cid for cid in memo.sequence if statuses[cid] is ok and results[cid].has_result]
    entries = {cid: entry_of(prog, memo, cid, results[cid]) for cid in ranked}
    std: dict[str, Fraction] = {}
    if prog.standardisation is not None:
        std = standardise(prog.standardisation, {cid: results[cid].total for cid in ranked})
    order, placings = _place(prog, memo, ranked, entries, std)
    unresolved = _unresolved(prog, order, placings)
    won, titles = _awards(prog, memo, order, placings, entries, std)
    best = _best_of_delegations(order, memo.delegation)
    new, changed = _standings(prog, old, placings, std, won, titles, best)
    memo.sequence = [*order, *(cid for cid in memo.regular if cid not in placings)]
    memo.placings = placings
    memo.won = won
    if incremental:
        memo.ranked = list(order)
        memo.okeys = [entries[cid].order_key for cid in order]
        memo.okey_of = {cid: entries[cid].order_key for cid in order}
        memo.best = {memo.delegation[cid]: cid for cid in best}
    if prog.standardisation is not None:
        scale = 10**prog.standardisation.places
        memo.std_k = {cid: v.numerator * (scale // v.denominator) for cid, v in std.items()}
        if incremental:
            memo.std_reach = {cid: std_reaches(memo, k) for cid, k in memo.std_k.items()}
            scaled_totals(memo, {cid: results[cid].total for cid in ranked})
    # guests: a score but no rank (§9.6), listed after every ranked competitor and
    # ordered among themselves by the key chain: they never move the ranked field (§9.11)
    guests = [cid for cid in memo.guests if statuses[cid] is ok and results[cid].has_result]
    if guests:
        keys = prog.ranking.keys
        gv = {cid: [_key_value(prog, new, results, cid, k.key) for k in keys] for cid in guests}
        guest_order, _ = rank(guests, keys, gv, prog.ranking.mode, memo.bibs)
        order = order + guest_order
    # §9.6: competitors without a result yet, by bib; then DNS, DNF, DSQ
    waiting = [cid for cid in memo.by_bib if statuses[cid] is ok and not results[cid].has_result]
    out = sorted(
        (cid for cid in memo.by_bib if statuses[cid] is not ok),
        key=lambda c: STATUS_ORDER[statuses[c]],
    )
    memo.tail = waiting + out
    return Ranked(new, changed, unresolved, order + memo.tail)


def guest_places(
    prog: Program, standings: dict[str, Standing], results: dict[str, Result], guests: list[str]
) -> dict[str, int]:
    """Each guest's standard place among the guests by the key chain: guests with equal values
    share one (their order among themselves is only the tiebreak's, the bib)."""
    keys = prog.ranking.keys
    gv = {cid: [_key_value(prog, standings, results, cid, k.key) for k in keys] for cid in guests}
    _, places = rank(guests, keys, gv, prog.ranking.mode)
    return {cid: p.standard for cid, p in places.items()}


def _key_value(
    prog: Program, standings: dict[str, Standing], results: dict[str, Result], cid: str, key: str
) -> Fraction | None:
    if key.partition(":")[0] == KeyKind.STANDARDISED:
        st = standings.get(cid)
        return st.standardised if st else None  # already rounded to its own places
    return plain_value(prog, results[cid], key)


def _place(
    prog: Program,
    memo: RankMemo,
    ranked: list[str],
    entries: dict[str, Entry],
    std: dict[str, Fraction],
) -> tuple[list[str], dict[str, Placing]]:
    """The ranked field in order, and each one's placing."""
    keys = prog.ranking.keys
    mode = prog.ranking.mode
    if memo.std_keys or memo.tolerance:
        values: dict[str, list[Fraction | None]] = {}
        if memo.std_keys:
            for cid, e in entries.items():
                vals = list(e.values)
                for i in memo.std_keys:
                    vals[i] = std.get(cid)
                values[cid] = vals
        else:
            values = {cid: e.values for cid, e in entries.items()}
        return place(ranked, sort_keys(ranked, keys, values), mode, memo.tiebreak)
    return place(
        ranked,
        {cid: e.sort_key for cid, e in entries.items()},
        mode,
        memo.tiebreak,
        {cid: e.order_key for cid, e in entries.items()},
    )


def _unresolved(prog: Program, order: list[str], placings: dict[str, Placing]) -> list[list[str]]:
    """Ties the chain cannot break under the unique mode, each in order (§9.9)."""
    unresolved: dict[int, list[str]] = {}
    if prog.ranking.mode is RankMode.UNIQUE:
        for cid in order:
            if placings[cid].unresolved:
                unresolved.setdefault(placings[cid].standard, []).append(cid)
    return list(unresolved.values())


def _awards(
    prog: Program,
    memo: RankMemo,
    order: list[str],
    placings: dict[str, Placing],
    entries: dict[str, Entry],
    std: dict[str, Fraction],
) -> tuple[dict[str, str], dict[str, list[str]]]:
    standard = {cid: None if p.unresolved else p.standard for cid, p in placings.items()}
    rules = prog.awards
    rule_index = {id(r): i for i, r in enumerate(rules)}

    def reaches(rule: AwardRule, cid: str) -> bool:
        if rule.key == KeyKind.STANDARDISED:
            v = std.get(cid)
            return v is not None and rule.min is not None and v >= rule.min
        return entries[cid].reaches[rule_index[id(rule)]]

    return award_ranked(rules, order, standard, reaches, memo.tags, prog.min_field)


def _best_of_delegations(order: list[str], delegation: dict[str, str | None]) -> set[str]:
    best: set[str] = set()
    seen: set[str | None] = set()
    for cid in order:
        d = delegation[cid]
        if d is not None and d not in seen:  # no delegation: nobody to be the best of
            seen.add(d)
            best.add(cid)
    return best


def _standings(
    prog: Program,
    old: dict[str, Standing],
    placings: dict[str, Placing],
    std: dict[str, Fraction],
    won: dict[str, str],
    titles: dict[str, list[str]],
    best: set[str],
) -> tuple[dict[str, Standing], set[str]]:
    """The new standings, an unchanged competitor keeping its object; and who changed."""
    new: dict[str, Standing] = {}
    changed: set[str] = set()
    for cid in prog.competitors:
        placing = placings.get(cid)
        sv = std.get(cid)
        aw = won.get(cid)
        t = tuple(titles[cid]) if cid in titles else ()
        b = cid in best
        s = old.get(cid)
        if (
            s is None
            or (s.placing is not placing and s.placing != placing)
            or s.standardised != sv
            or s.award != aw
            or s.titles != t
            or s.best_of_delegation is not b
        ):
            s = standing_of(placing, sv, aw, t, b)
            changed.add(cid)
        new[cid] = s
    return new, changed
