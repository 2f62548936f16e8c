"""Ledger backends, picked by URL: ``sqlite:///path.db`` (default), ``redis://host:port/db``
or a Sentinel group, ``redis+sentinel://s1:26379,s2:26379/<service>/<db>?wait=1``.

A ledger is the append-only truth: events in one order (``seq`` from 1, no gaps),
each under a unique idempotency key, plus judge credentials (hashed) and
state snapshots for fast restarts. Every backend provides ``Ledger``.

How a backend orders events is part of its contract (``Ledger.order``):

* ``EventOrder.LOCAL``: the ledger stores events in the order one hub gives them
  (SQLite); the hub applies in memory first and commits in that order.
* ``EventOrder.GLOBAL``: the ledger assigns the order itself, for several hubs at once
  (Redis), and publishes each appended event on the broker channel ``namespace``; each
  hub applies in that order (``server/global_order.py``).
"""

from __future__ import annotations

import enum
from typing import Any, ClassVar, Protocol

from ..errors import LedgerCorrupt, LedgerUnavailable, UnknownBackend

# Events about the competition itself (issue 13), not marks: the first one is its definition,
# the later ones amendments. The board never applies them; their keys start with ``record:``.
RECORD_KINDS = ("competition", "amendment")


class EventOrder(enum.Enum):
    LOCAL = "local"
    GLOBAL = "global"


class Ledger(Protocol):
    url: str
    order: ClassVar[EventOrder]
    # True: the ledger computes each event's hash link as it appends (SQLite). False: each hub
    # computes them in ledger order and stores them with ``seal`` (Redis; server/chain.py).
    sealed_by_ledger: ClassVar[bool]

    async def open(self) -> None:
        """Connect; ``BackendUnreachable`` or ``LedgerCorrupt`` when it cannot be used."""
        ...

    async def close(self) -> None: ...
    async def append(self, items: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, bool]]:
        """Append (key, event) pairs in order; return (seq, created) each. A known key keeps its seq."""
        ...

    async def read(self, after: int, limit: int = 10000) -> list[tuple[int, str, dict[str, Any]]]:
        """Up to ``limit`` events (seq, key, event) after ``after``, in seq order."""
        ...

    async def confirm(self) -> None:
        """Return once every write so far is as durable as an ack promises (Redis ``?wait=``:
        on enough replicas); ``LedgerUnavailable`` if it is not. Before acking a resend."""
        ...

    async def last_seq(self) -> int: ...
    async def seq_of(self, key: str) -> int | None:
        """The seq stored under an idempotency key, if any."""
        ...

    async def read_chain(
        self, after: int, limit: int = 10000
    ) -> list[tuple[int, str, bytes, str | None]]:
        """Events (seq, key, stored bytes, link or None) after ``after``, undecoded."""
        ...

    async def records(self) -> list[tuple[int, str, dict[str, Any]]]:
        """The competition's definition and amendments (``RECORD_KINDS``), in seq order."""
        ...

    async def head(self) -> tuple[int, str]:
        """The last seq and its stored link (``chain.GENESIS`` for an empty ledger)."""
        ...

    async def hash_at(self, seq: int) -> str | None: ...
    async def seal(self, links: list[tuple[int, str]]) -> None:
        """Store links a hub computed, keeping any already stored."""
        ...

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
    if url.startswith(("redis://", "rediss://", "redis+sentinel://")):
        from .redis import RedisLedger

        return RedisLedger(url, namespace)
    raise UnknownBackend(
        f"unknown store URL {url!r}; use sqlite:///path/to/ledger.db, redis://host:port/0 "
        "or redis+sentinel://s1:26379,s2:26379/<service>/0"
    )


__all__ = [
    "RECORD_KINDS",
    "EventOrder",
    "Ledger",
    "LedgerCorrupt",
    "LedgerUnavailable",
    "namespace",
    "open_ledger",
]
