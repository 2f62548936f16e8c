"""Snapshots are tied to the code: one in an older format is ignored (logged) and the ledger
replays; one in this format is used."""

from __future__ import annotations

import json
import logging
import pickle
from pathlib import Path

import pytest

from scoreboard import MarkSubmitted, Scoreboard, load_competition
from server import snapshots
from server.broker.memory import MemoryBroker
from server.hub import Hub
from server.ledger.sqlite import SQLiteLedger
from tests.hubkit import small_competition

COMPETITION = load_competition(small_competition())
JURY = "program:weld:jury"


def mark(mid: str, value: str) -> MarkSubmitted:
    return MarkSubmitted(
        id=mid,
        program="weld",
        competitor="weld-1",
        aspect="B1",
        judge="weld-j1",
        value=value,
        ts=1,
    )


def hub(path: Path) -> Hub:
    return Hub(COMPETITION, "t", SQLiteLedger(f"sqlite:///{path}"), MemoryBroker("memory://"))


async def marked_ledger(path: Path) -> dict[str, object]:
    first = hub(path)
    await first.start()
    await first.submit("weld-j1", mark("m1", "7"))
    await first.stop()  # saves a snapshot at seq 1, in this code's format
    return first.board.snapshot(JURY)


async def test_an_old_format_snapshot_is_ignored_and_the_ledger_replays(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "ledger.db"
    board = await marked_ledger(path)
    # what version 1 wrote: a bare pickle of a board, here an empty one at seq 1
    ledger = SQLiteLedger(f"sqlite:///{path}")
    await ledger.open()
    stale = Scoreboard(COMPETITION, 512)
    await ledger.save_snapshot(1, "t", pickle.dumps(stale))
    await ledger.close()
    again = hub(path)
    logger = logging.getLogger("scorecast")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="scorecast"):
            await again.start()
    finally:
        logger.removeHandler(caplog.handler)
    events = [json.loads(r.getMessage()) for r in caplog.records]
    ignored = [e for e in events if e["event"] == "hub.snapshot_ignored"]
    assert ignored and "unversioned" in ignored[0]["reason"], events
    restored = next(e for e in events if e["event"] == "hub.restored")
    assert restored["from_snapshot"] == 0 and restored["replayed"] == 1
    assert again.board.snapshot(JURY) == board  # the mark came back from the ledger
    await again.stop()


async def test_a_current_snapshot_is_used(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    board = await marked_ledger(path)
    ledger = SQLiteLedger(f"sqlite:///{path}")
    await ledger.open()
    snap = await ledger.load_snapshot("t")
    await ledger.close()
    assert snap is not None and snap[1].startswith(snapshots.HEADER)
    again = hub(path)
    await again.start()
    assert again.snapshot_seq == 1 and again.board.snapshot(JURY) == board
    await again.stop()


def test_a_format_2_snapshot_is_not_unpickled_into_this_code() -> None:
    """Format 2 boards had an overview without board/tallies.py's counts (issue 11): loaded
    into this code, their medal table and overall best would fail or be wrong."""
    body = b"scorecast-snapshot:2\n" + pickle.dumps(Scoreboard(COMPETITION))
    assert snapshots.FORMAT > 2
    assert snapshots.load(body, 1) is None
