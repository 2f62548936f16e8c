"""Ledger backends, picked by URL: ``sqlite:///path.db`` (default) or ``redis://host:port/db``.

A ledger is the append-only truth: events in one global order (``seq``),
each under a unique idempotency key, plus judge credentials (hashed) and
state snapshots for fast restarts.

A ledger shared by several hubs (Redis) sets ``global_order = True``: it
assigns the order itself and publishes each appended event on the broker
channel ``namespace`` (see ``server/global_order.py``).
"""

from __future__ import annotations

from typing import Any, Protocol


class LedgerUnavailable(Exception):
    """The ledger cannot be written now; the client should retry (nothing was acknowledged)."""


class Ledger(Protocol):
    url: str

    async def open(self) -> None: ...
    async def close(self) -> None: ...
    async def append(self, items: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, bool]]:
        """Append (key, event) pairs in order; return (seq, created) each. A known key keeps its seq."""
        ...

    async def read(
        self, after: int, limit: int = 10000
    ) -> list[tuple[int, str, dict[str, Any]]]: ...
    async def last_seq(self) -> int: ...
    async def keys(self) -> dict[str, int]: ...
    async def put_credential(self, judge: str, digest: str) -> None: ...
    async def credential(self, judge: str) -> str | None: ...
    async def save_snapshot(self, seq: int, tag: str, body: bytes) -> None: ...
    async def load_snapshot(self, tag: str) -> tuple[int, bytes] | None: ...
    async def status(self) -> dict[str, Any]: ...


def namespace(competition_id: str) -> str:
    """The Redis key prefix and broker channel of one competition: every hub of it uses the same."""
    return f"scorecast:{competition_id}"


def open_ledger(url: str, namespace: str = "scorecast") -> Ledger:
    if url.startswith("sqlite://"):
        from .sqlite import SQLiteLedger

        return SQLiteLedger(url)
    if url.startswith("redis://") or url.startswith("rediss://"):
        from .redis import RedisLedger  # type: ignore[import-not-found,unused-ignore]

        return RedisLedger(url, namespace)  # type: ignore[no-any-return,unused-ignore]
    raise SystemExit(
        f"unknown store URL {url!r}; use sqlite:///path/to/ledger.db or redis://host:port/0"
    )
