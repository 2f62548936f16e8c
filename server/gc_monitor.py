"""Garbage-collector pauses, measured: how long each collection held the hub, by generation.

A collection runs inside whatever allocation triggered it and holds the interpreter until it is
done: every ack and every frame waits. A full one walks every tracked object (1.1-1.3 s at the
real scale before the restored board was frozen, issue 17). The loop monitor
(``server/loop_monitor.py``) shows how long a stall was; this says whether a collection was in
it. ``gc.callbacks`` tells when each collection starts and stops. Exported on ``/metrics`` as

* ``scorecast_gc_pause_seconds{generation}`` (histogram): every collection's duration;
* ``scorecast_gc_pause_max_seconds{generation}``: the longest since the hub started.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from .loop_monitor import BUCKETS
from .metrics import Metrics

GENERATIONS = (0, 1, 2)


class GcMonitor:
    def __init__(self, metrics: Metrics) -> None:
        self.buckets = {g: [0] * len(BUCKETS) for g in GENERATIONS}
        self.count = dict.fromkeys(GENERATIONS, 0)
        self.total = dict.fromkeys(GENERATIONS, 0.0)
        self.max = dict.fromkeys(GENERATIONS, 0.0)
        self._started: float | None = None
        metrics.renderers.append(self.render)

    def start(self) -> None:
        if self._callback not in gc.callbacks:
            gc.callbacks.append(self._callback)

    def stop(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.record(int(info.get("generation", 2)), time.perf_counter() - self._started)
            self._started = None

    def record(self, generation: int, seconds: float) -> None:
        g = generation if generation in self.count else 2
        buckets = self.buckets[g]
        for i, le in enumerate(BUCKETS):
            if seconds <= le:
                buckets[i] += 1
        self.count[g] += 1
        self.total[g] += seconds
        self.max[g] = max(self.max[g], seconds)

    def render(self) -> list[str]:
        name = "scorecast_gc_pause_seconds"
        lines = [
            f"# HELP {name} how long each garbage collection held the hub, by generation",
            f"# TYPE {name} histogram",
        ]
        for g in GENERATIONS:
            for le, n in zip(BUCKETS, self.buckets[g], strict=True):
                lines.append(f'{name}_bucket{{generation="{g}",le="{le}"}} {n}')
            lines += [
                f'{name}_bucket{{generation="{g}",le="+Inf"}} {self.count[g]}',
                f'{name}_sum{{generation="{g}"}} {self.total[g]}',
                f'{name}_count{{generation="{g}"}} {self.count[g]}',
            ]
        lines += [
            "# HELP scorecast_gc_pause_max_seconds the longest garbage collection since the start",
            "# TYPE scorecast_gc_pause_max_seconds gauge",
        ]
        lines += [
            f'scorecast_gc_pause_max_seconds{{generation="{g}"}} {self.max[g]}' for g in GENERATIONS
        ]
        return lines
