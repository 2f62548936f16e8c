"""State snapshots for fast restarts: a pickled scoreboard, tied to the code that wrote it.

A snapshot is only a cache of the ledger: one written by another version of the code,
or of another competition file, is ignored and the ledger is replayed instead.
``FORMAT`` goes up whenever the scoreboard's classes change shape.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from typing import Any

from scoreboard import Scoreboard

from . import __version__
from .logs import log

# 3: issue 11 (board/tallies.py: the overview's medal counts and best scores; the ranking
# memo's standardised scores); 2: issue 10 (the scoreboard split into packages); 1 had no header
FORMAT = 3
HEADER = b"scorecast-snapshot:%d\n" % FORMAT


def competition_tag(data: Any) -> str:
    """Snapshots are valid only for the same competition file and the same code."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return f"{__version__}:{hashlib.sha256(raw).hexdigest()[:16]}"


def dump(board: Scoreboard) -> bytes:
    return HEADER + pickle.dumps(board, protocol=pickle.HIGHEST_PROTOCOL)


def load(body: bytes, seq: int) -> Scoreboard | None:
    """The board a snapshot holds, or None (logged) when it is not this code's format."""
    if not body.startswith(HEADER):
        found = body.split(b"\n", 1)[0][:40] if body.startswith(b"scorecast-snapshot:") else b""
        log(
            "hub.snapshot_ignored",
            seq=seq,
            reason=f"format {found.decode(errors='replace') or 'unversioned'}, expected {FORMAT}",
        )
        return None
    try:
        board = pickle.loads(body[len(HEADER) :])
    except Exception as e:  # noqa: BLE001 — a snapshot only speeds up restarts
        log("hub.snapshot_ignored", seq=seq, reason=repr(e))
        return None
    if not isinstance(board, Scoreboard):
        log("hub.snapshot_ignored", seq=seq, reason=f"holds a {type(board).__name__}")
        return None
    return board
