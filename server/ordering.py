"""How a hub orders events: the interface both orderings implement, and what they need of the hub.

* ``LocalOrder`` (``server/local_order.py``): one hub, a ledger that stores in the order it is
  given (SQLite). The hub applies in memory in check order and commits in that order.
* ``GlobalOrder`` (``server/global_order.py``): several hubs, a ledger that assigns the order
  (Redis). The hub appends first and applies in the ledger's order.

The ledger says which one it needs (``Ledger.order``); the hub picks the ordering from it. An
ordering reaches the hub only through ``OrderHost``, which ``server.hub.Hub`` implements.
"""

from __future__ import annotations

from typing import Any, Protocol

from scoreboard import Event, EventRefused, Scoreboard, Update

from .broker import Broker
from .ledger import Ledger
from .metrics import Metrics


class Ordering(Protocol):
    append_error: str | None  # the last append's failure, for /healthz

    def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def submit(self, key: str, event: Event) -> tuple[int, bool]:
        """Check, append and apply one event; (seq, duplicate) once it is durable.

        Raises ``EventRefused`` (nothing changed) or ``LedgerUnavailable`` (retry).
        """
        ...

    async def resync(self) -> None:
        """The broker (re)subscribed: read what it may have missed."""
        ...


class OrderHost(Protocol):
    """What an ordering may use of the hub: its board, backends, and the applied position."""

    board: Scoreboard
    ledger: Ledger
    broker: Broker
    metrics: Metrics
    keys: dict[str, int]  # idempotency key → seq, of every event applied here
    refused: dict[str, EventRefused]  # keys of ledger events refused when applied in order
    applied: int  # the last ledger seq applied to the board

    async def catch_up(self, log_it: bool = True) -> int: ...
    def apply_logged(
        self, seq: int, body: dict[str, Any], fan_out: bool, key: str | None = None
    ) -> bool: ...
    async def wait_applied(self, seq: int, timeout: float) -> bool: ...
    def record(self, key: str, seq: int) -> None: ...
    def fan_out(self, updates: list[Update]) -> None: ...
    async def rebuild(self) -> None: ...
    async def seal(self) -> None: ...
    async def snapshot_if_due(self) -> None: ...
    def close_viewers(self, code: int, reason: str) -> int: ...
