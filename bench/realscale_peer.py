"""The naive peer beside Scorecast where the comparison means something: fan-out CPU per update.

The peer (``bench/peer_server.py``: python-socketio + ``AsyncRedisManager``) knows nothing of
scoring, so it cannot run the real-scale competition; both run ``bench.fanout_bench``'s workload
(one program of 40, every viewer on its leaderboard) with the real-scale run's number of viewers,
in the same run, on the same machine. The ratio of hub CPU per update is issue 17's "≥ 10×".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .fanout_bench import Params, fanout_run


async def compare(n: int, workdir: Path) -> dict[str, Any]:
    p = Params(ns=[n], steady_seconds=8.0, bursts=2, connect_timeout=60.0, drain_timeout=20.0)
    out: dict[str, Any] = {"viewers": n, "rate": p.rate(n), "runs": {}}
    for name in ("peer", "scorecast"):
        r = await fanout_run(name, n, p, workdir)
        steady = r.get("steady", {})
        out["runs"][name] = {
            "label": r.get("label"),
            "error": r.get("error"),
            "connected": r.get("connect", {}).get("ready"),
            "cpu_ms_per_update": steady.get("cpu_ms_per_update"),
            "server_core_busy": steady.get("server_core_busy"),
            "kb_per_viewer": r.get("kb_per_viewer"),
            "screen": {k: steady.get("latency", {}).get(k) for k in ("p50_ms", "p99_ms")},
            "saturated": r.get("saturated"),
        }
    peer = out["runs"]["peer"]["cpu_ms_per_update"]
    ours = out["runs"]["scorecast"]["cpu_ms_per_update"]
    out["cpu_ratio"] = round(peer / ours, 2) if peer and ours else None
    return out
