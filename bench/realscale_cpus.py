"""Where the machine's CPU went in a phase of the real-scale run: each core, the hub, the generator.

The breaking point is the hub's, but on this 2-core machine the load generator (520 judges and
2,000 viewers in other processes, and the orchestrator) runs beside it. Over each phase this
gives each core's busy share (``/proc/stat``: user, nice, system, irq, softirq, steal), the hub's
CPU (all its threads) and the generator's (this process and every child but the hub, so the judge
and viewer processes), each in seconds and as a share of the phase's wall time. A generator
near a whole core of its own means the hub may wait for its marks and reads; a hub core busy
with other work means the hub did not have it to itself; and the time the hub's threads waited
on a run queue (schedstat) says whether that other work took the core from a runnable hub or
only filled it while the hub waited (for its ledger's commits, for marks).

Pinning (``bench/common.py``): by default the hub is alone on the first core and the generator
on the others. ``BENCH_PIN=0`` (``bench.realscale_run --no-pin``) lets every process run on any
core, as an unpinned deployment would.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import psutil

BUSY = (0, 1, 2, 5, 6, 7)  # user nice system irq softirq steal (not idle, iowait, guest*)


def cores() -> dict[int, tuple[float, float]]:
    """Per core: (busy ticks, all ticks) since boot."""
    out: dict[int, tuple[float, float]] = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *rest = line.split()
        if name.startswith("cpu") and name != "cpu":
            ticks = [float(x) for x in rest[:8]]
            out[int(name[3:])] = (sum(ticks[i] for i in BUSY), sum(ticks))
    return out


def waited(pid: int) -> float:
    """Seconds the threads of ``pid`` have waited on a run queue, runnable but not running
    (``/proc/PID/task/*/schedstat``'s second field): time another process had their core."""
    total = 0
    for task in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(task.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def generator_cpu(hub_pid: int) -> float:
    """CPU seconds of this process and its descendants, the hub (and its children) left out."""
    me = psutil.Process()
    skip = {hub_pid}
    try:
        skip |= {c.pid for c in psutil.Process(hub_pid).children(recursive=True)}
    except psutil.Error:
        pass
    total = 0.0
    for p in [me, *me.children(recursive=True)]:
        if p.pid in skip:
            continue
        try:
            t = p.cpu_times()
        except psutil.Error:
            continue
        total += t.user + t.system
    return total


class CpuWindow:
    """Started before a phase's sends, read after its last answer."""

    def __init__(self, hub_pid: int) -> None:
        self.hub_pid = hub_pid
        self.t0 = time.monotonic()
        self.cores0 = cores()
        self.gen0 = generator_cpu(hub_pid)
        self.wait0 = waited(hub_pid)

    def stop(self, hub_cpu_s: float) -> dict[str, Any]:
        wall = max(1e-9, time.monotonic() - self.t0)
        c1 = cores()
        shares = {}
        for k, (busy, total) in c1.items():
            b0, t0 = self.cores0.get(k, (busy, total))
            shares[str(k)] = round((busy - b0) / max(1e-9, total - t0), 3)
        gen = generator_cpu(self.hub_pid) - self.gen0
        return {
            "pinned": pinned(),
            "core_busy": shares,
            "generator_cpu_s": round(gen, 2),
            "generator_share": round(gen / wall, 3),
            "hub_share": round(hub_cpu_s / wall, 3),
            # the hub's threads runnable but not running, summed (a share of the wall time)
            "hub_runqueue_share": round((waited(self.hub_pid) - self.wait0) / wall, 3),
        }


def pinned() -> bool:
    return os.environ.get("BENCH_PIN", "1") != "0"
