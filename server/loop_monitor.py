"""Event-loop stalls, measured from inside: a task sleeps ``interval`` and records how late it wakes.

Whatever holds the loop (a long apply, a snapshot pickled on the loop, a full GC pass, a burst of
fan-out writes) delays every judge's ack and every viewer's frame by as much; the overshoot of a
short sleep is that delay. Exported on ``/metrics`` as

* ``scorecast_loop_lag_seconds`` (histogram): every wake-up's overshoot;
* ``scorecast_loop_lag_max_seconds``: the longest since the hub started;
* ``scorecast_loop_lag_recent_max_seconds``: the longest in the last ``window`` seconds (a scraper
  polling more often than that sees every stall).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque

from .metrics import Metrics

BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class LoopMonitor:
    def __init__(self, metrics: Metrics, interval: float = 0.01, window: float = 10.0) -> None:
        self.interval = interval
        self.window = window
        self.buckets = [0] * len(BUCKETS)
        self.count = 0
        self.total = 0.0
        self.max = 0.0
        self.recent: deque[tuple[float, float]] = deque()  # (when, lag), lag decreasing
        self._task: asyncio.Task[None] | None = None
        metrics.renderers.append(self.render)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="loop-monitor")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        clock = time.perf_counter
        while True:
            before = clock()
            await asyncio.sleep(self.interval)
            self.record(max(0.0, clock() - before - self.interval), time.monotonic())

    def record(self, lag: float, now: float) -> None:
        for i, le in enumerate(BUCKETS):
            if lag <= le:
                self.buckets[i] += 1
        self.count += 1
        self.total += lag
        self.max = max(self.max, lag)
        # a monotonic deque: only lags that could still be the window's maximum are kept
        while self.recent and self.recent[-1][1] <= lag:
            self.recent.pop()
        self.recent.append((now, lag))

    def recent_max(self, now: float) -> float:
        while self.recent and self.recent[0][0] < now - self.window:
            self.recent.popleft()
        return self.recent[0][1] if self.recent else 0.0

    def render(self) -> list[str]:
        name = "scorecast_loop_lag_seconds"
        lines = [
            f"# HELP {name} how late the event loop ran a {self.interval * 1000:g} ms timer",
            f"# TYPE {name} histogram",
        ]
        for le, n in zip(BUCKETS, self.buckets, strict=True):
            lines.append(f'{name}_bucket{{le="{le}"}} {n}')
        lines += [
            f'{name}_bucket{{le="+Inf"}} {self.count}',
            f"{name}_sum {self.total}",
            f"{name}_count {self.count}",
            "# HELP scorecast_loop_lag_max_seconds the longest event-loop stall since the start",
            "# TYPE scorecast_loop_lag_max_seconds gauge",
            f"scorecast_loop_lag_max_seconds {self.max}",
            f"# HELP scorecast_loop_lag_recent_max_seconds the longest stall in the last "
            f"{self.window:g} s",
            "# TYPE scorecast_loop_lag_recent_max_seconds gauge",
            f"scorecast_loop_lag_recent_max_seconds {self.recent_max(time.monotonic())}",
        ]
        return lines
