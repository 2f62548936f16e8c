"""What the judge-side tests read back: the hub's ledger file and the jury board."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

import msgpack

from tests.hubkit import Board, HubProcess, viewer


def ledger_events(hub: HubProcess) -> list[tuple[int, str, dict[str, Any]]]:
    """(seq, key, event) for every judges' event in the hub's SQLite ledger, in ledger order
    (not the competition's record: its definition at seq 1 and amendments)."""
    path = hub.store.removeprefix("sqlite:///")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute(
            "SELECT seq, key, body FROM events WHERE key NOT LIKE 'record:%' ORDER BY seq"
        ).fetchall()
    finally:
        db.close()
    return [(seq, key, msgpack.unpackb(body, raw=False)) for seq, key, body in rows]


def ledger_seq_count(hub: HubProcess) -> tuple[int, int]:
    """(number of judges' events, highest seq), both less the competition's record events
    (its definition at seq 1): equal when the ledger has no gaps."""
    path = hub.store.removeprefix("sqlite:///")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count, top = db.execute("SELECT count(*), coalesce(max(seq), 0) FROM events").fetchone()
        (records,) = db.execute("SELECT count(*) FROM events WHERE key LIKE 'record:%'").fetchone()
    finally:
        db.close()
    return int(count) - int(records), int(top) - int(records)


def marks_by_cell(
    events: list[tuple[int, str, dict[str, Any]]], judge: str
) -> dict[tuple[str, str], list[str]]:
    """Mark ids per (competitor, aspect) in ledger order, for one judge."""
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for _seq, _key, e in events:
        if e.get("kind") == "mark" and e.get("judge") == judge:
            cells[(e["competitor"], e["aspect"])].append(e["id"])
    return cells


async def jury_board(hub: HubProcess, program: str, chief: str) -> dict[str, Any]:
    """The program's jury snapshot, as the chief desk receives it."""
    v = await viewer(hub, f"program:{program}:jury", token=hub.tokens[chief])
    board = Board()
    board.take(await v.recv())
    await v.close()
    assert board.snapshot is not None
    return board.snapshot
