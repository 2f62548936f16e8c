"""A viewer of the fan-out: straight writes to its socket, a bounded queue when it falls behind.

A viewer whose socket accepts data (``RawSocket.ready``: open, its write
buffer under the high-water mark, nothing queued before) gets the bytes
written straight to its transport, as ``websockets.broadcast`` does: no
task, no coroutine, no ASGI message per viewer and update. Otherwise the
update goes on the viewer's bounded queue, drained by a writer task that
exists only while there is something queued. A socket whose queue is full
is a slow viewer: its queue is emptied and it is sent a fresh snapshot of
each channel instead (it skips to the latest board); a viewer that keeps
falling behind is closed with 1013 (try again later) and resumes with its
version. Nobody else waits for it, and nor does a judge's ack.

What the viewer itself asks for (a subscription's first frames, a pong, an error) is queued past
that limit, but not without bound: a client that keeps sending and never reads is closed with 1013
once ``CONTROL_FACTOR`` times the limit waits, and a subscription made while the viewer is behind
queues one fresh snapshot, not up to 256 missed deltas (its first frames are written straight
while the socket takes them).

Without a ``RawSocket`` (another ASGI server than the hub's uvicorn set-up)
every update takes the queue and the ASGI ``send``: slower, same behaviour.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from .metrics import Metrics
from .wire import Batch, Encoded, Payload, RawSocket

__all__ = ["CONTROL_FACTOR", "EMPTY", "OVERFLOWS_BEFORE_CLOSE", "SLOW_CLOSE", "Viewer"]

SLOW_CLOSE = 1013
OVERFLOWS_BEFORE_CLOSE = 3
CONTROL_FACTOR = (
    4  # what a viewer asked for may queue this many times ``limit`` before it is closed
)


class _Empty(deque):  # type: ignore[type-arg]
    """The queue of every viewer with nothing queued (shared, never appended to): no deque each."""

    def append(self, item: object) -> None:
        raise RuntimeError("the shared empty queue is never appended to")


EMPTY: deque = _Empty()  # type: ignore[type-arg]


async def _gone_send(payload: Payload) -> None:
    return None


async def _gone_close(code: int, reason: str) -> None:
    return None


class Viewer:
    __slots__ = (
        "send",
        "close",
        "binary",
        "limit",
        "snapshot",
        "metrics",
        "raw",
        "queue",
        "channels",
        "overflows",
        "closed",
        "task",
    )

    def __init__(
        self,
        send: Callable[[Payload], Awaitable[None]],
        close: Callable[[int, str], Coroutine[Any, Any, None]],
        binary: bool,
        limit: int,
        snapshot: Callable[[str], Encoded],
        metrics: Metrics,
        raw: RawSocket | None = None,
    ) -> None:
        self.send = send
        self.close = close
        self.binary = binary
        self.limit = limit
        self.snapshot = snapshot
        self.metrics = metrics
        self.raw = raw
        self.queue: deque[Encoded | tuple[str]] = (
            EMPTY  # a deque of its own once something is queued
        )
        self.channels: set[str] = set()
        self.overflows = 0
        self.closed = False
        # The writer: only while something is queued. No task means nothing is queued or in flight.
        self.task: asyncio.Task[None] | None = None

    def push(self, item: Encoded) -> None:
        if self.closed:
            return
        raw = self.raw
        if raw is not None and self.task is None and raw.ready():
            raw.write(item.wire(self.binary))
            return
        if len(self.queue) >= self.limit:
            self._overflow()
            return
        self._queue().append(item)
        self._wake()

    def push_batch(self, batch: Batch) -> None:
        if self.closed:
            return
        raw = self.raw
        if raw is not None and self.task is None and raw.ready():
            raw.write(batch.wire(self.binary))
            return
        for item in batch.items:  # each counts against the limit, as if published one by one
            self.push(item)

    def push_now(self, item: Encoded) -> None:
        """Queue past the update limit (a pong, an error), up to ``CONTROL_FACTOR`` times it."""
        if self.closed:
            return
        raw = self.raw
        if raw is not None and self.task is None and raw.ready():
            raw.write(item.wire(self.binary))
            return
        self._queue_asked(item)

    def push_subscribed(self, channel: str, items: list[Encoded]) -> None:
        """A subscription's first frames (missed deltas, or a snapshot): written straight while
        the socket takes them; once it is behind, the rest is one snapshot made when it is sent
        (a client drops any later delta that snapshot already holds)."""
        if self.closed:
            return
        raw = self.raw
        for n, item in enumerate(items):
            if raw is not None and self.task is None and raw.ready():
                raw.write(item.wire(self.binary))
            elif n == len(items) - 1:
                self._queue_asked(item)
            else:
                self._queue_asked((channel,))
                return

    def _queue_asked(self, item: Encoded | tuple[str]) -> None:
        if len(self.queue) >= self.limit * CONTROL_FACTOR:
            # sends and never reads: what it asked for would pile up without end
            self.metrics.inc("scorecast_viewers_dropped_total", action="close")
            self._close_slow()
            return
        self._queue().append(item)
        self._wake()

    def _queue(self) -> deque[Encoded | tuple[str]]:
        if self.queue is EMPTY:
            self.queue = deque()
        return self.queue

    def _wake(self) -> None:
        if self.task is None and not self.closed:
            self.task = asyncio.get_running_loop().create_task(self.run())

    def stop(self) -> None:
        """The socket is gone: drop what is queued and the writer."""
        self.closed = True
        self.queue = EMPTY
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def detach(self) -> None:
        """Drop the references to the session's ``send`` and ``close`` once it has ended."""
        self.send = _gone_send
        self.close = _gone_close

    def _overflow(self) -> None:
        self.overflows += 1
        self.metrics.inc(
            "scorecast_viewers_dropped_total",
            action="snapshot" if self.overflows < OVERFLOWS_BEFORE_CLOSE else "close",
        )
        self.queue = EMPTY
        if self.overflows >= OVERFLOWS_BEFORE_CLOSE:
            self._close_slow()
            return
        queue = self._queue()
        for channel in sorted(self.channels):
            queue.append((channel,))  # a marker: send this channel's latest snapshot
        self._wake()

    def _close_slow(self) -> None:
        # The writer may be stuck in a send to this very socket: close from outside it.
        self.stop()
        asyncio.get_running_loop().create_task(
            self.close(SLOW_CLOSE, "too slow: reconnect and resume with your version")
        )

    async def run(self) -> None:
        """The writer: send what is queued, in order, then end."""
        try:
            raw = self.raw
            while self.queue:
                if raw is not None:
                    if not raw.writable.is_set():
                        await raw.writable.wait()  # the transport is over its high-water mark
                    if not raw.is_open():
                        self.queue = EMPTY
                        return
                item = self.queue.popleft()
                if isinstance(item, tuple):
                    if item[0] not in self.channels:
                        continue
                    item = self.snapshot(item[0])
                if raw is not None:
                    raw.write(item.wire(self.binary))
                else:
                    await self.send(item.payload(self.binary))
        finally:
            if self.task is asyncio.current_task():
                self.task = None
                if not self.queue:
                    self.queue = EMPTY
