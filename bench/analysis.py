"""From what viewers recorded and when judges sent: score-to-screen latency, deliveries, losses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


class Records:
    """Every message every viewer received: (viewer, version, kernel receive time), in arrival order."""

    def __init__(self, paths: list[Path]) -> None:
        self.segments: list[tuple[np.ndarray, np.ndarray]] = []  # per viewer: versions, times
        self.last: list[int] = []
        self.codes: list[int] = []
        versions, times = [], []
        for path in paths:
            d = np.load(path)
            conn, ver, ts = d["conn"], d["version"], d["ts"]
            self.last.extend(int(x) for x in d["last"])
            self.codes.extend(int(x) for x in d["codes"])
            order = np.argsort(conn, kind="stable")  # keeps each viewer's arrival order
            conn, ver, ts = conn[order], ver[order], ts[order]
            versions.append(ver)
            times.append(ts)
            bounds = np.flatnonzero(np.diff(conn)) + 1
            for v, t in zip(np.split(ver, bounds), np.split(ts, bounds), strict=True):
                if len(v):
                    self.segments.append((v, t))
        self.version = np.concatenate(versions) if versions else np.zeros(0, np.int64)
        self.ts = np.concatenate(times) if times else np.zeros(0)
        self.viewers = len(self.last)

    def score_to_screen(self, sent: dict[int, float]) -> dict[str, Any]:
        """For each viewer and each version sent: from the judge's send to the first message at or past it.

        A viewer skipped to a later snapshot shows the mark when that snapshot arrives; one that never got
        the version or a later one counts as never shown.
        """
        if not sent:
            return {"marks": 0}
        vs = np.array(sorted(sent), dtype=np.int64)
        t_sent = np.array([sent[v] for v in vs])
        lats: list[np.ndarray] = []
        never = 0
        missing_exact = 0
        last = np.zeros(len(vs))  # per mark: when its last viewer showed it (issue 3's measure)
        for v, t in self.segments:
            cm = np.maximum.accumulate(v)
            idx = np.searchsorted(cm, vs, side="left")
            ok = idx < len(cm)
            never += int((~ok).sum())
            shown = t[idx[ok]]
            lats.append(shown - t_sent[ok])
            last[ok] = np.maximum(last[ok], shown)
            missing_exact += int((~np.isin(vs, v)).sum())
        silent = self.viewers - len(self.segments)  # viewers that received nothing at all
        never += silent * len(vs)
        missing_exact += silent * len(vs)
        lat = np.concatenate(lats) if lats else np.zeros(0)
        out: dict[str, Any] = {
            "marks": len(vs),
            "deliveries": int(lat.size),
            "never_shown": never,
            "versions_not_received": missing_exact,
        }
        if lat.size:
            ms = lat * 1000
            out.update(
                p50_ms=float(np.percentile(ms, 50)),
                p99_ms=float(np.percentile(ms, 99)),
                max_ms=float(ms.max()),
                mean_ms=float(ms.mean()),
                min_ms=float(ms.min()),
            )
            last_ms = (last - t_sent)[last > 0] * 1000
            if last_ms.size:
                out["last_viewer"] = {
                    "p50_ms": float(np.percentile(last_ms, 50)),
                    "p99_ms": float(np.percentile(last_ms, 99)),
                    "max_ms": float(last_ms.max()),
                }
                out["last_viewer_ms_by_mark"] = [round(float(x), 1) for x in last_ms]
        return out

    def delivery_rate(self, sent: dict[int, float]) -> dict[str, Any]:
        """Messages carrying these versions, and their rate from the first send to the last receipt."""
        if not sent:
            return {}
        lo, hi = min(sent), max(sent)
        mask = (self.version >= lo) & (self.version <= hi)
        n = int(mask.sum())
        if not n:
            return {"messages": 0}
        span = float(self.ts[mask].max()) - min(sent.values())
        return {"messages": n, "seconds": span, "per_second": n / span if span > 0 else 0.0}

    def stale(self, final: int) -> int:
        """Open viewers whose screen is behind ``final``."""
        return sum(
            1
            for last, code in zip(self.last, self.codes, strict=True)
            if code == 0 and last < final
        )

    def closed(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.codes:
            if c:
                out[str(c)] = out.get(str(c), 0) + 1
        return out
