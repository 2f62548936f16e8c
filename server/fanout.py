"""Fan-out to viewers: the same bytes to every socket, updates of a channel coalesced in time.

An update is encoded once per format and, on the hot path, framed once too:
``Encoded.wire`` is the complete WebSocket frame (server frames are not
masked and the hub negotiates no compression, so the bytes are the same
for every socket). Updates published in one turn of the event loop (a
group-committed batch of marks, and the several channels one mark moves)
are coalesced: each socket gets one write with all their frames, in order.

**The fan-out window** (``SCORECAST_FANOUT_WINDOW_MS``, Centrifugo's "write
delay"): a channel flushed less than ``window`` seconds ago holds its next
updates until the window ends, then writes them all, in order, in one write
per viewer (``Batch``). An update to a channel that was not flushed within
the window goes out when the loop turn ends, as without a window: a lone
mark is never delayed; at high rates each busy channel costs one write per
viewer and window instead of one per update. ``window = 0`` turns it off.

**A busy hub widens it** (issue 17, fifth pass): while the hub publishes more than
``BUSY_UPDATES`` updates a second (some 700 marks a second; the first user's peak is 150),
the window is ``BUSY_FACTOR`` times as long. At 1,800 marks a second the overview (a fifth of
the viewers) then costs 10 writes a second per viewer instead of 25-40, and the CPU goes to
checking, committing and acking marks; its screens get their updates up to 100 ms later,
where acks were already late. The rate is counted in whole seconds of the loop's clock, so a
hub is "busy" from the second after such a second until one below the threshold. Set
``BUSY_FACTOR = 1`` to keep one window at every rate.
Judges' acks go on their own sockets and never wait for it.

A newcomer is sent the channel's board as it is now (``resume_frames``),
which already holds every update pending on the channel: ``add`` first
flushes what is pending to the others, so the newcomer gets nothing twice
and nothing later is missed. Slow viewers (``server/viewer.py``) take each
frame of a batch on their bounded queue, as if published one by one.
"""

from __future__ import annotations

import asyncio
import time

from .metrics import Metrics
from .viewer import EMPTY, OVERFLOWS_BEFORE_CLOSE, SLOW_CLOSE, Viewer
from .wire import Batch, Encoded, RawSocket, old_item, resumed, ws_frame

__all__ = [
    "Batch",
    "EMPTY",
    "Encoded",
    "Fanout",
    "OVERFLOWS_BEFORE_CLOSE",
    "RawSocket",
    "SLOW_CLOSE",
    "resumed",
    "Viewer",
    "ws_frame",
]

NEVER = float("-inf")
BUSY_UPDATES = 2000  # updates published in a second of the loop's clock that make the hub busy
BUSY_FACTOR = 4  # the window of a busy hub: 100 ms for the default 25


class Fanout:
    """Who is subscribed to what, on this hub; updates of one loop turn, or one window, go out together."""

    def __init__(self, metrics: Metrics | None = None, window: float = 0.0) -> None:
        self.subscribers: dict[str, set[Viewer]] = {}
        # those of them that asked for deltas with ``ranks``; the others get ``old_item``s
        self.ranked: dict[str, set[Viewer]] = {}
        self.window = max(0.0, window)  # seconds between two flushes of one channel
        self._pending: dict[str, list[Encoded]] = {}  # written when this loop turn ends
        self._held: dict[str, list[Encoded]] = {}  # written when the channel's window ends
        self._last: dict[str, float] = {}  # loop time of each channel's last flush
        self._scheduled = False
        self._second = NEVER  # the loop time when the current second of counting ends
        self._count = 0  # updates published to subscribers since it began
        self.busy = False  # the last counted second had more than BUSY_UPDATES
        # told how long each flush took (the fan-out latency histogram)
        self.observe = metrics.observe if metrics is not None else None
        # what went out: channel flushes, writes (one per subscriber and flush), frames delivered
        self.flushes = self.writes = self.frames = 0
        if metrics is not None:
            metrics.collectors.append(lambda: self._collect(metrics))

    def _collect(self, metrics: Metrics) -> None:
        """The counters, for /metrics (read when it is scraped)."""
        metrics.set("scorecast_fanout_flushes_total", self.flushes)
        metrics.set("scorecast_fanout_writes_total", self.writes)
        metrics.set("scorecast_fanout_frames_total", self.frames)

    def add(self, channel: str, viewer: Viewer, ranks: bool = False) -> None:
        # What is pending on the channel is already in the board a new subscriber was sent: flush it
        # to the others first, so the newcomer does not get it twice.
        for waiting in (self._pending, self._held):
            if channel in waiting:
                self._flush_channel(channel, waiting.pop(channel))
        self.subscribers.setdefault(channel, set()).add(viewer)
        if ranks:
            self.ranked.setdefault(channel, set()).add(viewer)
        viewer.channels.add(channel)

    def remove(self, channel: str, viewer: Viewer) -> None:
        subs = self.subscribers.get(channel)
        if subs is not None:
            subs.discard(viewer)
        ranked = self.ranked.get(channel)
        if ranked is not None:
            ranked.discard(viewer)
        viewer.channels.discard(channel)

    def drop(self, viewer: Viewer) -> None:
        for channel in list(viewer.channels):
            self.remove(channel, viewer)

    def publish(self, channel: str, item: Encoded) -> int:
        """Queue ``item`` for every subscriber of ``channel``: written when this loop turn ends, or
        when the channel's window does."""
        subs = self.subscribers.get(channel)
        if not subs:
            return 0
        self._count += 1
        held = self._held.get(channel)
        if held is not None:
            held.append(item)
            return len(subs)
        pending = self._pending.get(channel)
        if pending is not None:
            pending.append(item)
            return len(subs)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop running (a synchronous caller): write now
            self._flush_channel(channel, [item])
            return len(subs)
        if self.window:
            now = loop.time()
            if now >= self._second:  # a second counted (or more: the rate over them all)
                self.busy = self._count > BUSY_UPDATES * (now - self._second + 1.0)
                self._second, self._count = now + 1.0, 0
            window = self.window * BUSY_FACTOR if self.busy else self.window
            due = self._last.get(channel, NEVER) + window
            if now < due:  # flushed within the window: wait for its end
                self._held[channel] = [item]
                loop.call_at(due, self._release, channel)
                return len(subs)
        self._pending[channel] = [item]
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self.flush)
        return len(subs)

    def flush(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, {}
        started = time.perf_counter()
        for channel, items in pending.items():
            self._flush_channel(channel, items)
        if self.observe is not None:
            self.observe(time.perf_counter() - started)

    def release(self, channels: set[str]) -> None:
        """Write now what the windows of ``channels`` hold: a viewer's ping is answered after
        every update of its channels published before it (the pong is an ordering barrier):
        those a window holds, and those published this loop turn (pending its end)."""
        for channel in channels & self._held.keys():
            self._release(channel)
        for channel in channels & self._pending.keys():
            self._flush_channel(channel, self._pending.pop(channel))

    def _release(self, channel: str) -> None:
        """A channel's window ended: write what it held (nothing if ``add`` flushed it already)."""
        items = self._held.pop(channel, None)
        if items is None:
            return
        started = time.perf_counter()
        self._flush_channel(channel, items)
        if self.observe is not None:
            self.observe(time.perf_counter() - started)

    def _flush_channel(self, channel: str, items: list[Encoded]) -> None:
        if self.window:
            try:
                self._last[channel] = asyncio.get_running_loop().time()
            except RuntimeError:
                pass
        subs = self.subscribers.get(channel)
        if not subs:
            return
        self.flushes += 1
        self.writes += len(subs)
        self.frames += len(subs) * len(items)
        ranked = self.ranked.get(channel) or ()
        # the old shape (``ranks`` as whole rows) is made once, for all who did not ask for ranks
        old = [old_item(i) for i in items] if len(ranked) < len(subs) else items
        if len(items) == 1:
            item, old_one = items[0], old[0]
            for viewer in subs:
                viewer.push(item if viewer in ranked else old_one)
        else:
            batch = Batch(items)
            old_batch = batch if old == items else Batch(old)
            for viewer in subs:
                viewer.push_batch(batch if viewer in ranked else old_batch)

    def close_all(self, code: int, reason: str) -> int:
        """Close every viewer, dropping what is queued for it; how many there were."""
        viewers = {v for subs in self.subscribers.values() for v in subs}
        for v in viewers:
            self.drop(v)
            v.stop()  # what is queued belongs to the board before whatever made us close
            asyncio.get_running_loop().create_task(v.close(code, reason))
        return len(viewers)

    def count(self) -> int:
        return sum(len(s) for s in self.subscribers.values())
