"""The ledger's hash chain (issue 13): each event's hash covers the previous hash and its own bytes.

    h_0 = 32 zero bytes
    h_n = SHA-256(h_{n-1} ‖ seq as 8 bytes big-endian ‖ len(key) as 4 bytes ‖ key (UTF-8) ‖ body)

``body`` is the event's bytes exactly as the ledger stores them (msgpack): the append hashes what
it writes, with no second encoding (issue 13's budget: hashing costs at most 5 % of durable marks/s;
hashing canonical JSON cost about a third). ``scorecast verify`` recomputes each link from the
stored bytes, and ``scorecast export-ledger`` writes them (``body``, base64) beside the fields, so
anyone can recompute the chain from an export.

Ledgers written before this (format 1) hashed canonical JSON of ``[seq, key, event]`` (sorted keys,
no spaces, UTF-8): ``verify`` accepts a link in either format (``legacy_link``) and says how many
are in format 1; a new event is always linked in this format, on top of whichever link precedes
it. Either way a link that matches neither is broken: a tampered event never passes.

SQLite computes each link inside the append transaction (one writer); for Redis each hub computes
the links as it applies events in ledger order and stores them (``Ledger.seal``); see
docs/operations.md, "The record is verifiable".
"""

from __future__ import annotations

import hashlib
import json
import struct
from typing import Any

import msgpack

from .logs import log

GENESIS = "0" * 64
_SEQ_KEY = struct.Struct(">QI")  # seq (8 bytes), the key's length (4 bytes), big-endian


def link(prev: str, seq: int, key: str, body: bytes) -> str:
    """The hash of event ``seq`` (its stored bytes ``body``) given the previous event's hash."""
    k = key.encode()
    return hashlib.sha256(bytes.fromhex(prev) + _SEQ_KEY.pack(seq, len(k)) + k + body).hexdigest()


def packed(event: Any) -> bytes:
    """The bytes a ledger stores for ``event`` (msgpack; decoding and packing again gives them)."""
    return msgpack.packb(event)  # type: ignore[no-any-return]


def canonical(seq: int, key: str, event: Any) -> bytes:
    """Format 1's hashed bytes: canonical JSON of ``[seq, key, event]``."""
    return json.dumps(
        [seq, key, event], sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def legacy_link(prev: str, seq: int, key: str, event: Any) -> str:
    """A link as ledgers written before the stored-bytes chain computed it (format 1)."""
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
        self.prev = link(self.prev, seq, key, packed(event))
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
