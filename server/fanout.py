"""Fan-out to viewers: a bounded queue and one writer task per socket.

An update is encoded once per format and the same object is queued on
every subscribed socket (websockets' broadcast guide). A socket whose queue
is full is a slow viewer: its queue is emptied and it is sent a fresh
snapshot of each channel instead (it skips to the latest board); a viewer
that keeps falling behind is closed with 1013 (try again later) and resumes
with its version. Nobody else waits for it, and nor does a judge's ack.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from .codec import encode_json, encode_msgpack
from .metrics import Metrics

Payload = str | bytes
SLOW_CLOSE = 1013
OVERFLOWS_BEFORE_CLOSE = 3


class Encoded:
    """One frame, encoded at most once per format."""

    __slots__ = ("frame", "_json", "_msgpack")

    def __init__(self, frame: dict[str, Any]) -> None:
        self.frame = frame
        self._json: str | None = None
        self._msgpack: bytes | None = None

    def payload(self, binary: bool) -> Payload:
        if binary:
            if self._msgpack is None:
                self._msgpack = encode_msgpack(self.frame)
            return self._msgpack
        if self._json is None:
            self._json = encode_json(self.frame)
        return self._json


class Viewer:
    def __init__(
        self,
        send: Callable[[Payload], Awaitable[None]],
        close: Callable[[int, str], Awaitable[None]],
        binary: bool,
        limit: int,
        snapshot: Callable[[str], Encoded],
        metrics: Metrics,
    ) -> None:
        self.send = send
        self.close = close
        self.binary = binary
        self.limit = limit
        self.snapshot = snapshot
        self.metrics = metrics
        self.queue: deque[Payload | tuple[str]] = deque()
        self.channels: set[str] = set()
        self.wakeup = asyncio.Event()
        self.overflows = 0
        self.closed = False
        self.task: asyncio.Task[None] | None = None

    def push(self, item: Encoded) -> None:
        if self.closed:
            return
        if len(self.queue) >= self.limit:
            self._overflow()
            return
        self.queue.append(item.payload(self.binary))
        self.wakeup.set()

    def push_now(self, item: Encoded) -> None:
        """Queue without the limit (a subscription's first frames)."""
        self.queue.append(item.payload(self.binary))
        self.wakeup.set()

    def _overflow(self) -> None:
        self.overflows += 1
        self.metrics.inc("scorecast_viewers_dropped_total", action="snapshot" if self.overflows
                         < OVERFLOWS_BEFORE_CLOSE else "close")  # fmt: skip
        self.queue.clear()
        if self.overflows >= OVERFLOWS_BEFORE_CLOSE:
            # The writer may be stuck in a send to this very socket: close from outside it.
            self.closed = True
            if self.task is not None:
                self.task.cancel()
            asyncio.get_running_loop().create_task(
                self.close(SLOW_CLOSE, "too slow: reconnect and resume with your version"))
            return
        else:
            for channel in sorted(self.channels):
                self.queue.append((channel,))  # a marker: send this channel's latest snapshot
        self.wakeup.set()

    async def run(self) -> None:
        """The writer: send what is queued, in order, until closed."""
        while True:
            while not self.queue:
                self.wakeup.clear()
                await self.wakeup.wait()
            item = self.queue.popleft()
            if isinstance(item, tuple):
                if item[0] not in self.channels:
                    continue
                item = self.snapshot(item[0]).payload(self.binary)
            await self.send(item)


class Fanout:
    """Who is subscribed to what, on this hub."""

    def __init__(self) -> None:
        self.subscribers: dict[str, set[Viewer]] = {}

    def add(self, channel: str, viewer: Viewer) -> None:
        self.subscribers.setdefault(channel, set()).add(viewer)
        viewer.channels.add(channel)

    def remove(self, channel: str, viewer: Viewer) -> None:
        subs = self.subscribers.get(channel)
        if subs is not None:
            subs.discard(viewer)
        viewer.channels.discard(channel)

    def drop(self, viewer: Viewer) -> None:
        for channel in list(viewer.channels):
            self.remove(channel, viewer)

    def publish(self, channel: str, item: Encoded) -> int:
        subs = self.subscribers.get(channel)
        if not subs:
            return 0
        for viewer in subs:
            viewer.push(item)
        return len(subs)

    def count(self) -> int:
        return sum(len(s) for s in self.subscribers.values())
