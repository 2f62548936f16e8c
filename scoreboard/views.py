"""Versioned views: snapshots, and the deltas between versions.

A view is a header plus rows keyed by id, in an order. Each change that
alters what the view shows bumps its version by one and records the delta
(only the rows that changed, the new order when it changed, and header
fields that changed; rows whose rank alone changed by id and rank, ``ranks``).
``apply_delta(snapshot, delta)`` gives the next
snapshot, so a screen that holds version v can be brought to v+k with the
k deltas since v, or with a fresh snapshot when the history no longer has them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

Row = dict[str, Any]
# rows whose rank alone changed, by id, and their ranks by id (``View.update``)
Moved = tuple[dict[str, Row], dict[str, Any]]


class Delta(dict):  # type: ignore[type-arg]
    """A delta (a plain dict on the wire) that names rows whose rank alone changed in ``ranks``
    keeps those rows whole in ``whole`` (as the view held them at ``version``): a client that
    does not know ``ranks`` is sent them as rows instead (``old_shape``)."""

    __slots__ = ("whole",)
    whole: dict[str, Row]  # set by ``View.update`` (no ``__init__`` of its own: made per update)


def old_shape(delta: dict[str, Any]) -> dict[str, Any]:
    """``delta`` as a client that knows only ``rows`` / ``order`` / ``removed`` / ``header``
    applies it: each ``ranks`` entry sent as the whole row the view held at that version.
    A delta without ``ranks`` is returned as it is."""
    ranks = delta.get("ranks")
    if not ranks:
        return delta
    whole = getattr(delta, "whole", None) or {}
    missing = [rid for rid in ranks if rid not in whole]
    if missing:
        raise ValueError(f"delta {delta['version']} does not hold the rows of ranks {missing}")
    out = {k: v for k, v in delta.items() if k != "ranks"}
    out["rows"] = [*delta["rows"], *(whole[rid] for rid in ranks)]
    return out


def row_id(row: Row) -> str:
    ident = row.get("id")
    if ident is None:
        ident = row["competitor"]["id"]
    return str(ident)


class View:
    def __init__(self, header: dict[str, Any], history: int = 256) -> None:
        self.header = dict(header)
        self.rows: dict[str, Row] = {}
        self.order: list[str] = []
        self.version = 0
        self.history: deque[dict[str, Any]] = deque(maxlen=history)

    def snapshot(self) -> dict[str, Any]:
        return {**self.header, "version": self.version, "rows": [self.rows[i] for i in self.order]}

    def update(
        self,
        rows: Iterable[Row] = (),
        order: list[str] | None = None,
        header: dict[str, Any] | None = None,
        removed: Iterable[str] = (),
        ids: Iterable[str] | None = None,
        moved: Moved | None = None,
    ) -> dict[str, Any] | None:
        """Take new rows / order / header; return the delta, or None if nothing changed.
        ``ids``: the rows' ids, in their order, when the caller knows them. The view keeps
        ``order`` itself, not a copy: a caller never changes a list it gave (orders are
        replaced, never changed in place), so views and deltas may share one. ``moved``: rows
        by id that differ from the ones held in their ``rank`` alone (the caller knows it), and
        those ranks by id: sent as the delta's ``ranks`` instead of whole rows (the delta keeps
        that dict)."""
        changed = []
        held = self.rows
        rows = list(rows)
        for rid, row in zip(map(row_id, rows) if ids is None else ids, rows, strict=True):
            if held.get(rid) != row:
                held[rid] = row
                changed.append(row)
        gone = [rid for rid in removed if held.pop(rid, None) is not None] if removed else []
        head: dict[str, Any] = {}
        if header:
            mine = self.header
            for k, v in header.items():
                if mine.get(k) != v:
                    head[k] = v
                    mine[k] = v
        new_order = None
        if order is not None and order is not self.order and order != self.order:
            self.order = new_order = order
        if moved is not None and not moved[1]:
            moved = None
        if not (changed or gone or head or new_order is not None or moved is not None):
            return None
        delta: dict[str, Any]
        if moved is not None:
            held.update(moved[0])
            delta = Delta(
                {
                    "from": self.version,
                    "version": self.version + 1,
                    "rows": changed,
                    "ranks": moved[1],
                }
            )
            delta.whole = moved[0]
        else:
            delta = {"from": self.version, "version": self.version + 1, "rows": changed}
        if new_order is not None:
            delta["order"] = new_order  # shared: an order is replaced, never changed
        if gone:
            delta["removed"] = gone
        if head:
            delta["header"] = head
        self.version += 1
        self.history.append(delta)
        return delta

    def replace(self, rid: str, row: Row) -> dict[str, Any]:
        """``update([row], ids=[rid])`` for a row the caller knows differs from the one held
        (a mark on one of its aspects): the delta."""
        self.rows[rid] = row
        delta: dict[str, Any] = {"from": self.version, "version": self.version + 1, "rows": [row]}
        self.version += 1
        self.history.append(delta)
        return delta

    def deltas_since(self, version: int) -> list[dict[str, Any]] | None:
        """The deltas that bring ``version`` to the current one, or None (send a snapshot)."""
        if version == self.version:
            return []
        if version > self.version or version < 0:
            return None
        if not self.history or self.history[0]["from"] > version:
            return None
        start = version - self.history[0]["from"]
        return list(self.history)[start:]


def apply_delta(snapshot: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """The snapshot after ``delta``; raises ValueError on a version gap."""
    if delta["from"] != snapshot["version"]:
        raise ValueError(
            f"delta from version {delta['from']} does not apply to version {snapshot['version']}"
        )
    rows = {row_id(r): r for r in snapshot["rows"]}
    order = [row_id(r) for r in snapshot["rows"]]
    for r in delta.get("rows", ()):
        rid = row_id(r)
        if rid not in rows:
            order.append(rid)
        rows[rid] = r
    for rid in delta.get("removed", ()):
        rows.pop(rid, None)
    for rid, rank in delta.get("ranks", {}).items():  # rows whose rank alone changed
        held = rows.get(rid)
        if held is None:
            raise ValueError(
                f"delta ranks {rid!r}, which is not a row of version {snapshot['version']}"
            )
        rows[rid] = {**held, "rank": rank}
    if "order" in delta:
        order = list(delta["order"])
    else:
        order = [rid for rid in order if rid in rows]
    out = {k: v for k, v in snapshot.items() if k not in ("rows", "version")}
    out.update(delta.get("header", {}))
    out["version"] = delta["version"]
    out["rows"] = [rows[rid] for rid in order]
    return out
