"""Robust counts of a phase of the real-scale run: the hub's send syscalls and fan-out writes.

Latency on a shared machine moves with the neighbours' load; what the hub *does* per mark does
not: how many ``sendto``/``write``/``writev`` syscalls it makes (``perf stat`` on the kernel's
syscall tracepoints, counted in the kernel: no ptrace, next to no overhead), and, from the hub's
``/metrics`` (hubs that have them), how many writes to viewers and frames its fan-out made.
Without ``perf`` (or the permission to trace) the syscall counts are left out.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
from typing import Any

EVENTS = ("sendto", "write", "writev", "sendmsg")


class Syscalls:
    """``perf stat -p PID`` on the send-side syscalls, from ``start`` to ``stop``."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> Syscalls:
        perf = shutil.which("perf")
        if perf is not None:
            events = ",".join(f"syscalls:sys_enter_{e}" for e in EVENTS)
            cmd = [perf, "stat", "-x", ",", "-e", events, "-p", str(self.pid)]
            self.proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
            )
        return self

    def stop(self) -> dict[str, int] | None:
        if self.proc is None:
            return None
        self.proc.send_signal(signal.SIGINT)
        try:
            _, err = self.proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return None
        counts: dict[str, int] = {}
        for line in err.splitlines():
            parts = line.split(",")
            if len(parts) > 2 and parts[2].startswith("syscalls:sys_enter_"):
                try:
                    counts[parts[2].removeprefix("syscalls:sys_enter_")] = int(parts[0])
                except ValueError:  # "<not supported>", "<not counted>"
                    pass
        return counts or None


def counts(
    m0: dict[str, float], m1: dict[str, float], sys: dict[str, int] | None, marks: int
) -> dict[str, Any]:
    """Per phase: fan-out writes and frames (where the hub counts them) and syscalls, per mark."""
    out: dict[str, Any] = {"syscalls": sys}
    n = max(1, marks)
    for name in ("writes", "frames", "flushes"):
        key = f"scorecast_fanout_{name}_total"
        if key in m1:
            out[f"fanout_{name}"] = int(m1[key] - m0.get(key, 0))
            out[f"fanout_{name}_per_mark"] = round(out[f"fanout_{name}"] / n, 2)
    if sys:
        sends = sum(sys.values())
        out["send_syscalls"] = sends
        out["send_syscalls_per_mark"] = round(sends / n, 2)
    return out
