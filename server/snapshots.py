"""State snapshots for fast restarts: a pickled scoreboard, tied to the code that wrote it.

A snapshot is only a cache of the ledger: one written by another version of the code,
or of another competition file, is ignored and the ledger is replayed instead. It records
the seq and the hash link (server/chain.py) it stands for; one whose hash is not the
ledger's at that seq (the ledger was replaced or edited) is ignored with a warning.
``FORMAT`` goes up whenever the scoreboard's classes change shape.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from typing import Any

from scoreboard import Scoreboard

from . import __version__
from .ledger import Ledger
from .logs import log

# 18: the merge of 17 and core5b's 15 (issue 11, sixth pass: Mark a named tuple, not a
# dataclass; ProgramState.rank_moves)
# 17: the merge of 16 and 15 (rev5): both state changes
# 16: the merge of 14 (fair5) and 15 (core5, rev5c): both state changes
# 15: review of issue 11's fifth pass (a delta with ``ranks`` in the views' history is a
# ``views.Delta`` that keeps those rows whole, sent to clients that did not ask for ``ranks``);
# 14: issue 11, fifth pass (the views' history holds deltas with ``ranks``, which a hub of 13
# would serve to clients that do not know them);
# 13: issue 11, fourth pass (RowCache.rows hold a Made record per competitor, not a tuple;
# standings shared by value);
# 15 (rev5): issue 15, review (ProgramState.layer_signed_at: a layer's sign-off time, for the
# signed sheets);
# 14 (fair5): issue 15 (ProgramState.signed_layers: sign-offs and locks by layer,
# program/layer_rule.py);
# 12: issue 15 (Program.public_before_decryption, Leaderboards.coded: public boards by code);
# 11: issue 15 (the jury's medal table and best scores leave out anonymous programs until
# decryption: an older snapshot counted them; the decrypt event's gate);
# 10: issue 11, third pass (Leaderboards.headers, RowCache.rows by program and audience;
# slots on Mark, Standing, Entry, Result, AspectResult);
# 9: issue 14 (MedalTally.publication: the public medal table counts final results only);
# 8: issue 15 (ProgramState.draw, .draws, .decrypted, .signed_at, .entries, .agreed);
# 7: issue 14 (the lifecycle on ProgramState);
# 6: issue 11 (RankMemo.descending/key_scale/thresholds, RowCache.agreements); 5: issue 17
# (Scoreboard.unsettled, ProgramState._unscored: a long replay absorbs events); 4: issue 13
# (the head hash line); 3: issue 11 (board/tallies.py: the overview's medal counts and best
# scores; the ranking memo's standardised scores); 2: issue 10 (the scoreboard split into
# packages); 1 had no header
FORMAT = 18
HEADER = b"scorecast-snapshot:%d\n" % FORMAT


def competition_tag(data: Any) -> str:
    """Snapshots are valid only for the same competition file and the same code."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return f"{__version__}:{hashlib.sha256(raw).hexdigest()[:16]}"


def pickled(board: Scoreboard) -> bytes:
    return pickle.dumps(board, protocol=pickle.HIGHEST_PROTOCOL)


def dump(raw: bytes, head: str) -> bytes:
    """A snapshot of a pickled board; ``head``: the hash link of the last event it holds."""
    return HEADER + head.encode() + b"\n" + raw


async def restore(ledger: Ledger, tag: str) -> tuple[int, Scoreboard, str] | None:
    """(seq, board, hash) of the saved snapshot if the ledger's link at its seq is its hash."""
    snap = await ledger.load_snapshot(tag)
    if snap is None:
        return None
    seq, body = snap
    loaded = load(body, seq)
    if loaded is None:
        return None
    board, head = loaded
    held = await ledger.hash_at(seq)
    if held != head:
        log(
            "hub.snapshot_ignored",
            logging.WARNING,
            seq=seq,
            reason=f"it stands for hash {head[:16]} but the ledger holds {(held or 'no link')[:16]} "
            "at that seq: replaying the ledger",
        )
        return None
    return seq, board, head


def load(body: bytes, seq: int) -> tuple[Scoreboard, str] | None:
    """The board a snapshot holds and its head hash, or None (logged) when it is not this code's."""
    if not body.startswith(HEADER):
        found = body.split(b"\n", 1)[0][:40] if body.startswith(b"scorecast-snapshot:") else b""
        log(
            "hub.snapshot_ignored",
            seq=seq,
            reason=f"format {found.decode(errors='replace') or 'unversioned'}, expected {FORMAT}",
        )
        return None
    try:
        head, rest = body[len(HEADER) :].split(b"\n", 1)
        board = pickle.loads(rest)
    except Exception as e:  # noqa: BLE001 — a snapshot only speeds up restarts
        log("hub.snapshot_ignored", seq=seq, reason=repr(e))
        return None
    if not isinstance(board, Scoreboard):
        log("hub.snapshot_ignored", seq=seq, reason=f"holds a {type(board).__name__}")
        return None
    return board, head.decode()
