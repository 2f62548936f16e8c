"""Snapshots and deltas with ``ranks`` (review of core5, issue 11's fifth pass): a snapshot saved
by main (format 13) or core5 (14: its history's deltas with ``ranks`` hold no whole rows) is
ignored, never misread; one of this format keeps, across a restart, the rows a client that did
not ask for ``ranks`` is sent when it resumes from a version."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import pytest

from scoreboard import MarkSubmitted, Scoreboard, apply_delta, load_competition
from server import snapshots
from server.broker.memory import MemoryBroker
from server.hub import Hub
from server.ledger.sqlite import SQLiteLedger
from tests.hubkit import small_competition

COMPETITION = load_competition(small_competition())
CHANNELS = ["program:weld", "program:weld:jury"]


@pytest.mark.parametrize("old", [13, 14])
def test_a_snapshot_of_main_or_core5_is_ignored(old: int) -> None:
    assert snapshots.FORMAT > 14
    body = b"scorecast-snapshot:%d\nhead\n" % old + pickle.dumps(Scoreboard(COMPETITION))
    assert snapshots.load(body, 1) is None


def marked() -> tuple[Scoreboard, dict[str, dict[str, Any]]]:
    """Each competitor in turn takes the lead: those below move by one (``ranks``)."""
    sb = Scoreboard(COMPETITION)
    first = {ch: sb.snapshot(ch) for ch in CHANNELS}
    for i in range(1, 7):
        sb.apply(MarkSubmitted(f"m{i}", "weld", f"weld-{i}", "B1", "weld-j1", str(i), 1))
    assert any(d.get("ranks") for d in sb.deltas_since(CHANNELS[0], 0) or [])
    return sb, first


def test_a_restored_board_resumes_old_clients_with_whole_rows(tmp_path: Path) -> None:
    sb, first = marked()
    loaded = snapshots.load(snapshots.dump(snapshots.pickled(sb), "h"), 1)
    assert loaded is not None
    hub = Hub(
        COMPETITION, "t", SQLiteLedger(f"sqlite:///{tmp_path / 'l.db'}"), MemoryBroker("memory://")
    )
    hub.board = loaded[0]
    for ch in CHANNELS:
        for ranks in (False, True):
            board = first[ch]
            frames = hub.resume_frames(ch, 0, ranks)
            assert any("ranks" in f.frame for f in frames) is ranks
            for f in frames:
                board = apply_delta(board, f.frame)
            assert board == hub.board.snapshot(ch) == sb.snapshot(ch), (ch, ranks)
