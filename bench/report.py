"""The report: tables, ratios and plots from one run's figures (``bench/results/fanout.json``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        return f"{x:,.{digits}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def summary(results: dict[str, Any]) -> str:
    lines = ["system | N | steady p50 / p99 / max ms | ack p50/p99 ms | CPU ms/update | KB/viewer | burst p99 ms"]
    for r in results.get("fanout", []):
        if "error" in r:
            lines.append(f"{r['system']} | {r['n']} | FAILED {r['error']}")
            continue
        lat = r["steady"].get("latency", {})
        ack = r["steady"].get("ack", {})
        b = r["bursts"].get("latency", {})
        lines.append(f"{r['system']} | {r['n']} | {fmt(lat.get('p50_ms'))} / {fmt(lat.get('p99_ms'))} / "
                     f"{fmt(lat.get('max_ms'))} | {fmt(ack.get('p50_ms'))}/{fmt(ack.get('p99_ms'))} | "
                     f"{fmt(r['steady']['cpu_ms_per_update'])} | {fmt(r['kb_per_viewer'])} | {fmt(b.get('p99_ms'))}")
    for d in results.get("durable", []):
        lines.append(f"durable {d['system']}: {fmt(d.get('marks_per_s'), 0)} marks/s {d.get('error', '')}")
    for o in results.get("outage", []):
        lines.append(f"outage {o['system']}: {o.get('during')} {o.get('after')} {o.get('lost')} {o.get('error', '')}")
    return "\n".join(lines)


def write(results: dict[str, Any], here: Path) -> None:
    pass
