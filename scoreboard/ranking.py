"""Ranking by a chain of keys (scoring.md §6, §9.3, §9.8, §9.9).

Values compared are the printed (rounded) ones. A key with a tolerance puts
values within ε of the best of their group in one group, not chained.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

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


def sort_keys(
    entries: Sequence[str], keys: Sequence[RankKey], values: Mapping[str, Sequence[Value]]
) -> dict[str, tuple[object, ...]]:
    """Each entry's sort key: per ranking key ``(0, ±value)``, or ``(1, 0)`` for no value (last).

    Keys with a tolerance compare their group's anchor instead of the value (§9.8).
    """
    cols: list[dict[str, Value]] = []
    for i, key in enumerate(keys):
        col = {cid: values[cid][i] for cid in entries}
        if key.tolerance is not None:
            col = dict(_tolerance_groups(col, key))
            for cid in entries:
                col.setdefault(cid, None)
        cols.append(col)

    def sort_key(cid: str) -> tuple[object, ...]:
        parts: list[object] = []
        for key, col in zip(keys, cols, strict=True):
            v = col[cid]
            if v is None:
                parts.append((1, 0))
            else:
                parts.append((0, -v if key.descending else v))
        return tuple(parts)

    return {cid: sort_key(cid) for cid in entries}


_PLACINGS: dict[tuple[int | None, int, bool, bool], Placing] = {}


def shared_placing(shown: int | None, standard: int, tied: bool, unresolved: bool) -> Placing:
    """Placings are immutable: share one object per distinct value instead of making one per entry."""
    k = (shown, standard, tied, unresolved)
    p = _PLACINGS.get(k)
    if p is None:
        if len(_PLACINGS) > 100_000:
            _PLACINGS.clear()
        p = _PLACINGS[k] = Placing(shown, standard, tied, unresolved)
    return p


def place(
    entries: Sequence[str],
    skeys: dict[str, Any],
    mode: RankMode,
    tiebreak: dict[str, Any] | None = None,
    order_keys: dict[str, Any] | None = None,
) -> tuple[list[str], dict[str, Placing]]:
    """Order ``entries`` by their sort keys ``skeys`` (then ``tiebreak``) and place them.

    Entries whose sort keys are equal are tied: they share the standard rank of the
    first of them; dense ranks count distinct keys; ordinal ranks count entries, and in
    ordinal mode the rank awards follow (``Placing.standard``) is the ordinal one (§9.16).
    ``order_keys[id]``, when given, is ``(skeys[id], tiebreak[id])`` made beforehand.
    """
    if order_keys is not None:
        order = sorted(entries, key=order_keys.__getitem__)
    elif tiebreak:
        tb = tiebreak
        order = sorted(entries, key=lambda c: (skeys[c], tb.get(c, c)))
    else:
        order = sorted(entries, key=lambda c: (skeys[c], c))
    placings: dict[str, Placing] = {}
    n = len(order)
    dense = 0
    unique = mode is RankMode.UNIQUE
    i = 0
    while i < n:
        k = skeys[order[i]]
        j = i + 1
        while j < n and skeys[order[j]] == k:
            j += 1
        dense += 1
        standard = i + 1
        tied = j - i > 1
        for pos in range(i, j):
            if tied and unique:
                placings[order[pos]] = shared_placing(None, standard, True, True)
                continue
            if mode is RankMode.DENSE:
                shown = dense
            elif mode is RankMode.ORDINAL:
                # §9.16: where ties cannot be shown, the rank shown decides the awards too
                shown = standard = pos + 1
            else:
                shown = standard
            placings[order[pos]] = shared_placing(shown, standard, tied, False)
        i = j
    return order, placings


def rank(
    entries: Sequence[str],
    keys: Sequence[RankKey],
    values: Mapping[str, Sequence[Value]],
    mode: RankMode,
    tiebreak: dict[str, Any] | None = None,
) -> tuple[list[str], dict[str, Placing]]:
    """Order ``entries`` by ``keys`` and place them.

    ``values[cid][i]`` is the value of key ``i``. Returns the order and each placing.
    ``tiebreak`` gives the stable order among equals (e.g. bib), never a rank.
    """
    return place(entries, sort_keys(entries, keys, values), mode, tiebreak)
