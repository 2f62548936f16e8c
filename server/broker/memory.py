"""In-process broker: one hub, nothing to share; publishing is a no-op loopback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from . import Handler


class MemoryBroker:
    def __init__(self, url: str) -> None:
        self.url = url
        self.published = 0

    async def open(
        self, on_message: Handler, on_reconnect: Callable[[], Awaitable[object]]
    ) -> None:
        # The hub applies its own events as it commits them; with no other hub
        # there is nobody to deliver them to.
        self._on_message = on_message

    async def close(self) -> None:
        pass

    async def publish(self, payload: bytes) -> None:
        self.published += 1

    def status(self) -> dict[str, Any]:
        return {"backend": "memory", "connected": True, "published": self.published}
