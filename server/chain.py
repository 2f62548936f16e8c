"""The ledger's hash chain (issue 13): each event's hash covers the previous hash and its own bytes.

    h_0 = 32 zero bytes
    h_n = SHA-256(h_{n-1} ‖ canonical(seq, key, event))

``canonical`` is JSON (sorted keys, no spaces, UTF-8) of ``[seq, key, event]``: the same bytes
whatever the backend stores, so anyone can recompute the chain from ``scorecast export-ledger``.
SQLite computes each link inside the append transaction (one writer); for Redis each hub computes
the links as it applies events in ledger order and stores them (``Ledger.seal``); see
docs/operations.md, "The record is verifiable".
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .logs import log

GENESIS = "0" * 64


def canonical(seq: int, key: str, event: Any) -> bytes:
    return json.dumps(
        [seq, key, event], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def link(prev: str, seq: int, key: str, event: Any) -> str:
    """The hash of event ``seq`` given the previous event's hash (hex)."""
    return hashlib.sha256(bytes.fromhex(prev) + canonical(seq, key, event)).hexdigest()


class Links:
    """The links a hub computes as it applies events in ledger order (Redis), until stored."""

    def __init__(self, prev: str | None = GENESIS) -> None:
        self.prev = prev  # the hash of the last event applied; None: unknown (no links computed)
        self.pending: list[tuple[int, str]] = []

    def add(self, seq: int, key: str | None, event: Any) -> None:
        if self.prev is None or key is None:
            self.prev = None  # an event without its key cannot be linked: leave it to catch-up
            return
        self.prev = link(self.prev, seq, key, event)
        self.pending.append((seq, self.prev))

    def take(self) -> list[tuple[int, str]]:
        out, self.pending = self.pending, []
        return out

    @staticmethod
    async def store(links: Links | None, ledger: Any) -> None:
        """``ledger.seal`` the pending links; a failure is logged (verify shows them unsealed)."""
        if links is None or not links.pending:
            return
        try:
            await ledger.seal(links.take())
        except Exception as e:  # noqa: BLE001 — a later hub's catch-up fills them in
            log("hub.seal_failed", error=repr(e))
