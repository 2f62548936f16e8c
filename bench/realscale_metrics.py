"""What the hub's ``/metrics`` say about a phase of the real-scale run: two scrapes, before and after.

The loop's stalls (``server/loop_monitor.py``) and the garbage collections in them
(``server/gc_monitor.py``), from the histograms' differences.
"""

from __future__ import annotations

from typing import Any


def stalls(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """The loop's stalls between two scrapes of ``/metrics``: wake-ups later than each bound, and
    the longest (exact when it set a new record, else the smallest bucket bound above it)."""
    name = "scorecast_loop_lag_seconds_bucket"
    les = sorted(
        (float(k.split('"')[1]), k) for k in after if k.startswith(name) and "+Inf" not in k
    )
    inf = f'{name}{{le="+Inf"}}'
    total = after.get(inf, 0.0) - before.get(inf, 0.0)
    later: dict[str, int] = {}
    for b, key in les:
        later[f">{b * 1000:g}ms"] = int(total - (after[key] - before.get(key, 0.0)))
    bounds = [b for b, _ in les]
    top = after.get("scorecast_loop_lag_max_seconds", 0.0)
    if top > before.get("scorecast_loop_lag_max_seconds", 0.0):
        longest, exact = top * 1000, True
    else:
        above = [b for b in bounds if later[f">{b * 1000:g}ms"] == 0]
        longest, exact = (above[0] * 1000 if above else top * 1000), False
    return {"longest_ms": round(longest, 1), "exact": exact, "wakeups": int(total), "later": later}


def gc_pauses(before: dict[str, float], after: dict[str, float]) -> dict[str, Any]:
    """The hub's garbage collections between two scrapes (``server/gc_monitor.py``), by
    generation: how many, their total and the longest (exact when it set a new record, else the
    smallest bucket bound above it), in ms."""
    out: dict[str, Any] = {}
    for g in ("0", "1", "2"):
        count = f'scorecast_gc_pause_seconds_count{{generation="{g}"}}'
        if count not in after:
            return {}  # a hub without the monitor
        n = int(after[count] - before.get(count, 0.0))
        total = after[f'scorecast_gc_pause_seconds_sum{{generation="{g}"}}'] - before.get(
            f'scorecast_gc_pause_seconds_sum{{generation="{g}"}}', 0.0
        )
        top = f'scorecast_gc_pause_max_seconds{{generation="{g}"}}'
        if after.get(top, 0.0) > before.get(top, 0.0):
            longest = after[top]
        else:
            prefix = f'scorecast_gc_pause_seconds_bucket{{generation="{g}",le="'
            bounds = sorted(
                (float(k[len(prefix) :].split('"')[0]), k)
                for k in after
                if k.startswith(prefix) and "+Inf" not in k
            )
            full = [b for b, k in bounds if after[k] - before.get(k, 0.0) >= n]
            longest = full[0] if full and n else 0.0
        out[g] = {
            "count": n,
            "total_ms": round(total * 1000, 1),
            "longest_ms": round(longest * 1000, 1),
        }
    return out
