"""Broker backends, picked by URL: ``memory://`` (one process), ``redis://host:port/db`` or
``redis+sentinel://…`` (a Sentinel group: the broker follows a failover).

The broker carries ledger events (``seq`` + event, msgpack bytes) between
hubs, so that every hub applies the same events in the same order and fans
out to its own viewers. A hub that sees a gap in ``seq`` catches up from
the ledger.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ..errors import UnknownBackend

Handler = Callable[[bytes], Awaitable[None]]


class Broker(Protocol):
    url: str

    async def open(
        self, on_message: Handler, on_reconnect: Callable[[], Awaitable[object]]
    ) -> None: ...
    async def close(self) -> None: ...
    async def publish(self, payload: bytes) -> None: ...
    def status(self) -> dict[str, Any]: ...


def open_broker(url: str, topic: str) -> Broker:
    if url.startswith("memory://"):
        from .memory import MemoryBroker

        return MemoryBroker(url)
    if url.startswith(("redis://", "rediss://", "redis+sentinel://")):
        from .redis import RedisBroker

        return RedisBroker(url, topic)
    raise UnknownBackend(
        f"unknown broker URL {url!r}; use memory://, redis://host:port/0 or redis+sentinel://…"
    )
