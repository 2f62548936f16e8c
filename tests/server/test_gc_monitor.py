"""server.gc_monitor: each garbage collection shows in /metrics with its generation and length."""

from __future__ import annotations

import gc

from server.gc_monitor import GcMonitor
from server.metrics import Metrics


def value(text: str, name: str) -> float:
    line = next(ln for ln in text.splitlines() if ln.startswith(name + " "))
    return float(line.split()[1])


def test_collections_are_counted_and_timed_by_generation() -> None:
    metrics = Metrics()
    monitor = GcMonitor(metrics)
    monitor.start()
    try:
        junk = [[i] for i in range(20_000)]  # something for the collector to walk
        gc.collect(2)
        gc.collect(0)
        del junk
    finally:
        monitor.stop()
    text = metrics.render()
    assert value(text, 'scorecast_gc_pause_seconds_count{generation="2"}') >= 1
    assert value(text, 'scorecast_gc_pause_seconds_count{generation="0"}') >= 1
    assert value(text, 'scorecast_gc_pause_max_seconds{generation="2"}') > 0
    assert 'scorecast_gc_pause_seconds_bucket{generation="2",le="0.1"}' in text
    # stopped: later collections are not counted, and the callback is gone
    full = value(text, 'scorecast_gc_pause_seconds_count{generation="2"}')
    gc.collect(2)
    assert value(metrics.render(), 'scorecast_gc_pause_seconds_count{generation="2"}') == full
    assert all(getattr(cb, "__self__", None) is not monitor for cb in gc.callbacks)


def test_a_pause_falls_in_the_buckets_at_and_above_its_length() -> None:
    metrics = Metrics()
    monitor = GcMonitor(metrics)
    monitor.record(2, 0.3)
    monitor.record(1, 0.004)
    text = metrics.render()
    assert value(text, 'scorecast_gc_pause_seconds_bucket{generation="2",le="0.25"}') == 0
    assert value(text, 'scorecast_gc_pause_seconds_bucket{generation="2",le="0.5"}') == 1
    assert value(text, 'scorecast_gc_pause_seconds_bucket{generation="1",le="0.005"}') == 1
    assert value(text, 'scorecast_gc_pause_max_seconds{generation="2"}') == 0.3
    assert value(text, 'scorecast_gc_pause_seconds_count{generation="0"}') == 0
