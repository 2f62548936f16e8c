"""server.loop_monitor: a stall of the event loop shows in /metrics as its length."""

from __future__ import annotations

import asyncio
import time

from server.loop_monitor import LoopMonitor
from server.metrics import Metrics


def value(text: str, name: str) -> float:
    line = next(ln for ln in text.splitlines() if ln.startswith(name + " "))
    return float(line.split()[1])


async def test_a_blocked_loop_is_measured() -> None:
    metrics = Metrics()
    monitor = LoopMonitor(metrics, interval=0.01, window=10.0)
    monitor.start()
    await asyncio.sleep(0.05)
    time.sleep(0.12)  # the loop is held: the monitor's timer fires 110 ms late
    await asyncio.sleep(0.05)
    await monitor.stop()
    text = metrics.render()
    assert 0.1 <= value(text, "scorecast_loop_lag_max_seconds") < 1.0
    assert value(text, "scorecast_loop_lag_recent_max_seconds") >= 0.1
    assert value(text, "scorecast_loop_lag_seconds_count") >= 3
    assert 'scorecast_loop_lag_seconds_bucket{le="0.1"}' in text
    over = value(text, 'scorecast_loop_lag_seconds_bucket{le="+Inf"}') - value(
        text, 'scorecast_loop_lag_seconds_bucket{le="0.1"}'
    )
    assert over == 1  # the one late wake-up, and only it, above 100 ms


def test_the_recent_maximum_forgets_old_stalls() -> None:
    monitor = LoopMonitor(Metrics(), window=10.0)
    monitor.record(0.3, now=100.0)
    monitor.record(0.02, now=105.0)
    monitor.record(0.01, now=106.0)
    assert monitor.recent_max(108.0) == 0.3
    assert monitor.recent_max(112.0) == 0.02  # the 0.3 s stall is older than the window
    assert monitor.recent_max(120.0) == 0.0
    assert monitor.max == 0.3
