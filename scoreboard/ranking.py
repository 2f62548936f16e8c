"""Ranking by a chain of keys (scoring.md §6, §9.3, §9.8, §9.9).

Values compared are the printed (rounded) ones. A key with a tolerance puts
values within ε of the best of their group in one group, not chained.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .model import RankKey, RankMode

Value = Fraction | None  # None: no value (sorts after every value, in either direction)


@dataclass(frozen=True)
class Placing:
    rank: int | None  # as displayed (mode applied); None when unresolved under UNIQUE
    standard: int  # standard competition rank: awards follow this (§9.10)
    tied: bool  # shares its place with another
    unresolved: bool  # UNIQUE mode: a tie the chain cannot break


def _tolerance_groups(values: dict[str, Value], key: RankKey) -> dict[str, Fraction]:
    """Replace each value by its group's anchor: groups start at their best value (§9.8)."""
    assert key.tolerance is not None
    present = [(v, cid) for cid, v in values.items() if v is not None]
    present.sort(key=lambda t: t[0], reverse=key.descending)
    out: dict[str, Fraction] = {}
    anchor: Fraction | None = None
    for v, cid in present:
        if anchor is None or abs(anchor - v) > key.tolerance:
            anchor = v
        out[cid] = anchor
    return out


def rank(
    entries: Sequence[str], keys: Sequence[RankKey], values: dict[str, Sequence[Value]], mode: RankMode,
    tiebreak: dict[str, str] | None = None,
) -> tuple[list[str], dict[str, Placing]]:
    """Order ``entries`` by ``keys`` and place them.

    ``values[cid][i]`` is the value of key ``i``. Returns the order and each placing.
    ``tiebreak`` gives the stable order among equals (e.g. bib), never a rank.
    """
    cols: list[dict[str, Value]] = []
    for i, key in enumerate(keys):
        col = {cid: values[cid][i] for cid in entries}
        if key.tolerance is not None:
            col = dict(_tolerance_groups(col, key))  # type: ignore[arg-type]
            for cid in entries:
                col.setdefault(cid, None)
        cols.append(col)

    def sort_key(cid: str) -> tuple[object, ...]:
        parts: list[object] = []
        for key, col in zip(keys, cols):
            v = col[cid]
            if v is None:
                parts.append((1, 0))
            else:
                parts.append((0, -v if key.descending else v))
        return tuple(parts)

    skeys = {cid: sort_key(cid) for cid in entries}
    tb = tiebreak or {}
    order = sorted(entries, key=lambda c: (skeys[c], tb.get(c, c)))
    placings: dict[str, Placing] = {}
    prev: tuple[object, ...] | None = None
    standard = dense = 0
    groups: list[list[str]] = []
    for i, cid in enumerate(order):
        k = skeys[cid]
        if k != prev:
            standard = i + 1
            dense += 1
            groups.append([])
            prev = k
        groups[-1].append(cid)
        shown: int | None
        if mode is RankMode.DENSE:
            shown = dense
        elif mode is RankMode.ORDINAL:
            shown = i + 1
        else:
            shown = standard
        placings[cid] = Placing(shown, standard, False, False)
    for g in groups:
        if len(g) > 1:
            for cid in g:
                p = placings[cid]
                unresolved = mode is RankMode.UNIQUE
                placings[cid] = Placing(None if unresolved else p.rank, p.standard, True, unresolved)
    return order, placings
