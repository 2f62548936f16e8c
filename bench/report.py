"""The report: tables, ratios and plots from one run's figures (``bench/results/fanout.json``).

``write`` rewrites only the part of ``bench/README.md`` between the fan-out
markers (other sections belong to other benches) and the plots
``bench/latency.png``, ``bench/cpu.png`` and ``bench/memory.png``.

    python3 -m bench.report [bench/results/fanout.json]   # the README section and plots again
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BEGIN = "<!-- fanout:begin (written by python3 -m bench; edit bench/report.py) -->"
END = "<!-- fanout:end -->"
ORDER = ["floor", "peer", "scorecast", "scorecast-redis-1", "scorecast-redis-2"]
SHORT = {
    "floor": "floor (websockets.broadcast)",
    "peer": "peer (python-socketio + Redis)",
    "scorecast": "Scorecast (SQLite + memory)",
    "scorecast-redis-1": "Scorecast on Redis, 1 hub",
    "scorecast-redis-2": "Scorecast on Redis, 2 hubs",
    "peer-2": "peer, 2 servers on one Redis",
}
TARGET_N = 5000


def fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, float):
        if x != x:
            return "–"
        return f"{x:,.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def ratio(a: Any, b: Any) -> str:
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def runs(results: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    """One run per (system, N): of repeated runs, the one with the lowest steady p99 (the least disturbed
    by other work on the machine); ``all_p99`` keeps every run's."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for r in results.get("fanout", []):
        groups.setdefault((r["system"], r["n"]), []).append(r)
    out = {}
    for key, rs in groups.items():
        ok = [r for r in rs if "error" not in r and steady_p(r, "p99_ms") is not None]
        best = dict(min(ok, key=lambda r: steady_p(r, "p99_ms")) if ok else rs[0])
        best["all_p99"] = [steady_p(r, "p99_ms") for r in rs]
        out[key] = best
    return out


def get(r: dict[str, Any] | None, *path: str) -> Any:
    cur: Any = r
    for p in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def steady_p(r: dict[str, Any] | None, key: str) -> Any:
    return get(r, "steady", "latency", key)


def burst_rate(r: dict[str, Any] | None) -> float | None:
    rates = [
        d.get("per_second") for d in get(r, "bursts", "delivered") or [] if d.get("per_second")
    ]
    return sorted(rates)[len(rates) // 2] if rates else None


def ns(results: dict[str, Any]) -> list[int]:
    return sorted({r["n"] for r in results.get("fanout", [])})


def systems(results: dict[str, Any]) -> list[str]:
    present = {r["system"] for r in results.get("fanout", [])}
    return [s for s in ORDER if s in present] + sorted(present - set(ORDER))


def table_per_n(results: dict[str, Any], n: int) -> list[str]:
    by = runs(results)
    rate = next((r["rate"] for r in results["fanout"] if r["n"] == n), None)
    out = [
        f"**N = {n:,} viewers** — steady phase: one judge, {fmt(rate)} marks/s; bursts: "
        f"{results['params']['burst_size']} marks from {results['params']['burst_judges']} judges at once.",
        "",
        "| system | score-to-screen, every delivery: p50 / p99 / max ms | last viewer: p50 / p99 ms | judge's "
        "ack p50 / p99 ms | messages/s delivered (steady; burst capacity) | bytes per message | hub CPU ms "
        "per update | KB per idle viewer | burst score-to-screen p50 / p99 ms | notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in systems(results):
        r = by.get((s, n))
        if r is None:
            continue
        if "error" in r:
            out.append(f"| {SHORT.get(s, s)} | failed: {r['error']} | | | | | | | | |")
            continue
        lat = get(r, "steady", "latency") or {}
        last = lat.get("last_viewer") or {}
        ack = get(r, "steady", "ack") or {}
        b = get(r, "bursts", "latency") or {}
        notes = []
        if r.get("saturated"):
            notes.append(
                f"saturated: needs {fmt(get(r, 'steady', 'server_core_busy'), 2)} cores for the steady "
                "rate; its latency is queueing; no bursts"
            )
        by_mark = lat.get("last_viewer_ms_by_mark") or []
        if len(by_mark) >= 6 and not r.get("saturated"):
            third = len(by_mark) // 3
            early, late = sorted(by_mark[:third])[third // 2], sorted(by_mark[-third:])[third // 2]
            if late > 1.5 * early and late - early > 1000 / r["rate"]:
                notes.append(
                    f"backlog grew: last viewer {fmt(early, 0)} ms early in the phase, {fmt(late, 0)} ms late"
                )
        if lat.get("never_shown"):
            notes.append(f"{fmt(lat['never_shown'])} (viewer, mark) never shown")
        closed = r.get("closed") or {}
        if closed:
            notes.append("closed: " + ", ".join(f"{v} × {k}" for k, v in closed.items()))
        if r["connect"]["failed"]:
            notes.append(f"{r['connect']['failed']} viewers failed to connect")
        if len(r.get("all_p99", [])) > 1:
            notes.append("p99 of its runs: " + ", ".join(fmt(x) for x in r["all_p99"]))
        delivered = get(r, "steady", "delivered", "per_second")
        out.append(
            f"| {SHORT.get(s, s)} | {fmt(lat.get('p50_ms'))} / {fmt(lat.get('p99_ms'))} / {fmt(lat.get('max_ms'))} "
            f"| {fmt(last.get('p50_ms'))} / {fmt(last.get('p99_ms'))} | {fmt(ack.get('p50_ms'))} / {fmt(ack.get('p99_ms'))} | {fmt(delivered, 0)}; {fmt(burst_rate(r), 0)} "
            f"| {fmt(r.get('mean_message_bytes'), 0)} | {fmt(get(r, 'steady', 'cpu_ms_per_update'))} | {fmt(r.get('kb_per_viewer'))} "
            f"| {fmt(b.get('p50_ms'))} / {fmt(b.get('p99_ms'))} | {'; '.join(notes)} |"
        )
    return out


def ratios(results: dict[str, Any]) -> list[str]:
    by = runs(results)
    out = [
        "| N | system | p50 ÷ floor | p99 ÷ floor | CPU/update ÷ floor | KB/viewer ÷ floor | "
        "peer p99 ÷ this p99 | peer CPU/update ÷ this |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n in ns(results):
        floor, peer = by.get(("floor", n)), by.get(("peer", n))
        for s in systems(results):
            if not s.startswith("scorecast"):
                continue
            r = by.get((s, n))
            if r is None or "error" in r:
                continue
            out.append(
                f"| {n:,} | {SHORT.get(s, s)} | {ratio(steady_p(r, 'p50_ms'), steady_p(floor, 'p50_ms'))} "
                f"| {ratio(steady_p(r, 'p99_ms'), steady_p(floor, 'p99_ms'))} "
                f"| {ratio(get(r, 'steady', 'cpu_ms_per_update'), get(floor, 'steady', 'cpu_ms_per_update'))} "
                f"| {ratio(r.get('kb_per_viewer'), get(floor, 'kb_per_viewer'))} "
                f"| {ratio(steady_p(peer, 'p99_ms'), steady_p(r, 'p99_ms'))} "
                f"| {ratio(get(peer, 'steady', 'cpu_ms_per_update'), get(r, 'steady', 'cpu_ms_per_update'))} |"
            )
    return out


def targets(results: dict[str, Any]) -> list[str]:
    by = runs(results)
    n = TARGET_N if any(k[1] == TARGET_N for k in by) else (ns(results) or [0])[-1]
    floor, peer, sc = by.get(("floor", n)), by.get(("peer", n)), by.get(("scorecast", n))
    durable = next((d for d in results.get("durable", []) if d["system"] == "scorecast"), {})
    rows = []

    def row(what: str, target: str, value: str, ok: bool | None) -> None:
        rows.append(
            f"| {what} | {target} | {value} | {'met' if ok else ('**missed**' if ok is not None else '–')} |"
        )

    def lim(a: Any, b: Any, k: float) -> bool | None:
        return None if not a or not b else a <= k * b

    p99, fp99 = steady_p(sc, "p99_ms"), steady_p(floor, "p99_ms")
    row(
        "score-to-screen p99, every delivery, ÷ floor (issue 7)",
        "≤ 1.25×",
        ratio(p99, fp99),
        lim(p99, fp99, 1.25),
    )
    l99, fl99 = (
        get(sc, "steady", "latency", "last_viewer", "p99_ms"),
        get(floor, "steady", "latency", "last_viewer", "p99_ms"),
    )
    row(
        "score-to-screen p99, last viewer, ÷ floor (issue 3)",
        "≤ 1.5×",
        ratio(l99, fl99),
        lim(l99, fl99, 1.5),
    )
    cpu, fcpu = get(sc, "steady", "cpu_ms_per_update"), get(floor, "steady", "cpu_ms_per_update")
    row("hub CPU per update ÷ floor", "≤ 1.25×", ratio(cpu, fcpu), lim(cpu, fcpu, 1.25))
    kb, fkb = get(sc, "kb_per_viewer"), get(floor, "kb_per_viewer")
    row("RSS per idle viewer ÷ floor (issue 7)", "≤ 1.25×", ratio(kb, fkb), lim(kb, fkb, 1.25))
    row(
        "RSS per idle viewer (issue 3)",
        "≤ 20 KB",
        f"{fmt(kb)} KB",
        None if kb is None else kb <= 20,
    )
    pp99, pcpu = steady_p(peer, "p99_ms"), get(peer, "steady", "cpu_ms_per_update")
    row(
        "faster than the peer: peer p99 ÷ Scorecast p99",
        "≥ 10×",
        ratio(pp99, p99),
        None if not pp99 or not p99 else pp99 / p99 >= 10,
    )
    row(
        "faster than the peer: peer CPU per update ÷ Scorecast's",
        "≥ 10×",
        ratio(pcpu, cpu),
        None if not pcpu or not cpu else pcpu / cpu >= 10,
    )
    mps = durable.get("marks_per_s")
    row(
        "durable marks/s acknowledged (SQLite)",
        "≥ 2,000",
        fmt(mps, 0),
        None if mps is None else mps >= 2000,
    )
    return [
        f"At N = {n:,} (Scorecast on its embedded default):",
        "",
        "| target | wanted | this run | |",
        "|---|---|---|---|",
        *rows,
    ]


def durable_table(results: dict[str, Any]) -> list[str]:
    ds = results.get("durable", [])
    if not ds:
        return []
    p = results["params"]
    out = [
        f"Durable marks/s acknowledged: {p['durable_judges']} judge connections (10 judges, several "
        f"devices each), each keeping up to {p['durable_window']} marks unacknowledged, for "
        f"{fmt(p['durable_seconds'])} s after a 1 s ramp; no viewer.",
        "",
        "| system | marks/s acknowledged | hub CPU ms per mark | errors |",
        "|---|---|---|---|",
    ]
    for d in ds:
        if "error" in d:
            out.append(f"| {SHORT.get(d['system'], d['system'])} | failed: {d['error']} | | |")
            continue
        out.append(
            f"| {SHORT.get(d['system'], d['system'])} | {fmt(d.get('marks_per_s'), 0)} "
            f"| {fmt(d.get('cpu_ms_per_mark'), 3)} | {d.get('errors') or 'none'} |"
        )
    return out


def outage_table(results: dict[str, Any]) -> list[str]:
    os_ = results.get("outage", [])
    if not os_:
        return []
    n = results["params"]["outage_n"]
    out = [
        f"Broker restart: {n:,} viewers (split over the servers when there are two; judges on the first); "
        "10 marks at 10/s, then redis-server is killed (SIGKILL), 10 marks at 5/s while it is down, it is "
        "restarted on the same port and AOF after 3 s; 3 s later the screens are checked; then 5 more marks.",
        "",
        "| system | marks acked / sent | stale screens after the outage (before the next mark) | (viewer, mark) "
        "never shown | messages of the outage's updates not received | slowest outage mark to screen ms "
        "| stale screens at the end | viewers closed by the server | judge errors |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for o in os_:
        if "error" in o:
            out.append(
                f"| {SHORT.get(o['system'], o['system'])} | failed: {o['error']} | | | | | | | |"
            )
            continue
        lost = o.get("lost", {})
        out.append(
            f"| {SHORT.get(o['system'], o['system'])} | {lost.get('marks_acked')} / {lost.get('marks_sent')} "
            f"| {get(o, 'during', 'stale_screens_before_next_mark')} of {get(o, 'during', 'open')} "
            f"| {fmt(lost.get('never_shown'))} | {fmt(lost.get('messages_not_received'))} "
            f"| {fmt(lost.get('max_delay_ms'), 0)} | {get(o, 'after', 'stale_screens_at_end')} "
            f"| {', '.join(f'{v:,} with {k}' for k, v in (o.get('closed') or {}).items()) or 'none'} "
            f"| {o.get('judge_errors') or 'none'} |"
        )
    return out


def restart_table(results: dict[str, Any]) -> list[str]:
    r = results.get("restart")
    if not r:
        return []
    if "error" in r:
        return [f"Restart bench failed: {r['error']}"]

    def secs(case: str) -> str:
        c = r.get(case) or {}
        if c.get("seconds") is None:
            extra = c.get("extrapolated_s")
            return f"not up within {fmt(r['bound_s'], 0)} s" + (
                f" (≈ {fmt(extra, 0)} s at the replay rate)" if extra else ""
            )
        return f"{fmt(c['seconds'], 2)} s"

    def replayed(case: str) -> str:
        return fmt(get(r, case, "restored", "replayed"))

    b = r.get("build", {})
    snap = r.get("snapshot_built", {})
    out = [
        f"Hub restart (issue 3): a ledger of {r['events']:,} marks ({r['programs']} live programs, "
        f"{r['competitors']} competitors; {fmt(b.get('bytes', 0) / 2**20, 0)} MB, written in "
        f"{fmt(b.get('seconds'))} s); `scorecast serve` start until `GET /healthz` answers; target < 10 s.",
        "",
        "| case | events replayed | up after |",
        "|---|---|---|",
        f"| empty ledger (start-up floor) | 0 | {secs('empty')} |",
        f"| no snapshot, first {r['prefix']:,} events | {replayed('prefix_no_snapshot')} | {secs('prefix_no_snapshot')} |",
        f"| no snapshot, {r['events']:,} events | all | {secs('full_no_snapshot')} |",
        f"| snapshot {r['tail']:,} events before the end (a crash between snapshots) | "
        f"{replayed('snapshot_tail')} | {secs('snapshot_tail')} |",
        f"| snapshot at the end (saved by the clean stop before) | {replayed('snapshot_head')} "
        f"| {secs('snapshot_head')} |",
        "",
        f"Replay without snapshot: {fmt(r.get('replay_events_per_s'), 0)} events/s; after a snapshot: "
        f"{fmt(r.get('tail_replay_events_per_s'), 0)} events/s. The snapshot is "
        f"{fmt(snap.get('snapshot_bytes', 0) / 2**20, 1)} MB; with this replay rate the snapshot interval that "
        f"keeps a restart under 10 s is about {fmt(r.get('snapshot_every_for_target'))} events "
        f"(`SCORECAST_SNAPSHOT_EVERY`, default 50,000).",
    ]
    return out


def machine_lines(results: dict[str, Any]) -> list[str]:
    m = results.get("machine", {})
    pk = m.get("packages", {})
    return [
        f"- Machine: {m.get('nproc')} CPUs ({m.get('cpu')}), {m.get('memory_gb')} GB, Linux {m.get('kernel')}, "
        f"Python {m.get('python')}, descriptors per process {fmt(m.get('nofile'))}",
        "- Packages: "
        + ", ".join(f"{k} {v}" for k, v in pk.items())
        + f", redis-server {m.get('redis_server')}",
        f"- Run: `{results.get('command')}` ({'quick' if results.get('quick') else 'full'} mode), finished "
        f"{results.get('finished')}, {fmt(results.get('seconds', 0) / 60, 1)} minutes",
        f"- Disk: a durable SQLite commit (WAL, synchronous=FULL) at 20/s took p50 "
        f"{fmt(get(results, 'disk', 'p50_ms'))} ms, p99 {fmt(get(results, 'disk', 'p99_ms'))} ms, max "
        f"{fmt(get(results, 'disk', 'max_ms'))} ms during the run's probe",
    ]


def section(results: dict[str, Any]) -> str:
    lines = [BEGIN, "", "### Figures of the run", ""]
    lines += machine_lines(results)
    lines += ["", "#### Targets", ""] + targets(results)
    lines += ["", "#### Score-to-screen by N", ""]
    for n in ns(results):
        lines += table_per_n(results, n) + [""]
    lines += ["#### Ratios (same run, same workload)", ""] + ratios(results)
    lines += [
        "",
        "![score-to-screen against N](latency.png)",
        "",
        "![hub CPU per update against N](cpu.png) ![RSS per idle viewer against N](memory.png)",
        "",
    ]
    if results.get("durable"):
        lines += ["#### Durable marks", ""] + durable_table(results) + [""]
    if results.get("outage"):
        lines += ["#### Broker restart", ""] + outage_table(results) + [""]
    if results.get("restart"):
        lines += ["#### Restart with a large ledger", ""] + restart_table(results) + [""]
    lines.append(END)
    return "\n".join(lines)


def plots(results: dict[str, Any], here: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by = runs(results)
    xs = ns(results)
    styles = {
        "floor": ("black", "o"),
        "peer": ("tab:red", "s"),
        "scorecast": ("tab:blue", "D"),
        "scorecast-redis-1": ("tab:green", "^"),
        "scorecast-redis-2": ("tab:purple", "v"),
    }

    def series(s: str, f: Any) -> tuple[list[int], list[float]]:
        pts = [(n, f(by[(s, n)])) for n in xs if (s, n) in by and "error" not in by[(s, n)]]
        pts = [(n, v) for n, v in pts if v]
        return [n for n, _ in pts], [v for _, v in pts]

    fig, ax = plt.subplots(figsize=(7.5, 6))
    for s in systems(results):
        color, marker = styles.get(s, ("gray", "x"))
        x, y = series(s, lambda r: steady_p(r, "p99_ms"))
        ax.plot(x, y, color=color, marker=marker, label=f"{SHORT.get(s, s)} p99")
        x, y = series(s, lambda r: steady_p(r, "p50_ms"))
        ax.plot(
            x,
            y,
            color=color,
            marker=marker,
            linestyle="--",
            alpha=0.6,
            label=f"{SHORT.get(s, s)} p50",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(xs, [f"{n:,}" for n in xs])
    ax.set_xlabel("viewers (N)")
    ax.set_ylabel("score-to-screen, ms (steady phase)")
    ax.set_title("Score-to-screen against N (same run, same workload)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.13))
    fig.tight_layout()
    fig.savefig(here / "latency.png", dpi=110)
    plt.close(fig)

    for name, key, ylabel, title in (
        (
            "cpu.png",
            lambda r: get(r, "steady", "cpu_ms_per_update"),
            "hub CPU ms per update",
            "Hub CPU per update",
        ),
        (
            "memory.png",
            lambda r: r.get("kb_per_viewer"),
            "KB of RSS per idle viewer",
            "Memory per idle viewer",
        ),
    ):
        fig, ax = plt.subplots(figsize=(5.5, 4))
        for s in systems(results):
            color, marker = styles.get(s, ("gray", "x"))
            x, y = series(s, key)
            ax.plot(x, y, color=color, marker=marker, label=SHORT.get(s, s))
        ax.set_xscale("log")
        if name == "cpu.png":
            ax.set_yscale("log")
        ax.set_xticks(xs, [f"{n:,}" for n in xs])
        ax.set_xlabel("viewers (N)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(here / name, dpi=110)
        plt.close(fig)


def write(results: dict[str, Any], here: Path) -> None:
    plots(results, here)
    readme = here / "README.md"
    text = (
        readme.read_text() if readme.exists() else "# Benchmarks\n"
    )  # read right before writing: others edit it too
    new = section(results)
    if BEGIN in text and END in text:
        a = text.index(BEGIN)
        b = text.index(END) + len(END)
        text = text[:a] + new + text[b:]
    else:
        text = (
            text.rstrip("\n")
            + "\n\n## Fan-out: score-to-screen, side by side (issue 7)\n\n"
            + new
            + "\n"
        )
    readme.write_text(text)


def summary(results: dict[str, Any]) -> str:
    lines = [
        "system | N | steady p50 / p99 / max ms | ack p50/p99 ms | CPU ms/update | KB/viewer | burst p99 ms"
    ]
    for r in results.get("fanout", []):
        if "error" in r:
            lines.append(f"{r['system']} | {r['n']} | FAILED {r['error']}")
            continue
        lat = r["steady"].get("latency", {})
        ack = r["steady"].get("ack", {})
        b = r["bursts"].get("latency", {})
        lines.append(
            f"{r['system']} | {r['n']} | {fmt(lat.get('p50_ms'))} / {fmt(lat.get('p99_ms'))} / "
            f"{fmt(lat.get('max_ms'))} | {fmt(ack.get('p50_ms'))}/{fmt(ack.get('p99_ms'))} | "
            f"{fmt(r['steady']['cpu_ms_per_update'])} | {fmt(r['kb_per_viewer'])} | {fmt(b.get('p99_ms'))}"
        )
    for d in results.get("durable", []):
        lines.append(
            f"durable {d['system']}: {fmt(d.get('marks_per_s'), 0)} marks/s {d.get('error', '')}"
        )
    for o in results.get("outage", []):
        lines.append(
            f"outage {o['system']}: {o.get('during')} {o.get('after')} {o.get('lost')} {o.get('error', '')}"
        )
    if results.get("restart"):
        r = results["restart"]
        lines.append(
            "restart: "
            + ", ".join(
                f"{k} {fmt(get(r, k, 'seconds'), 2)} s"
                for k in (
                    "empty",
                    "prefix_no_snapshot",
                    "full_no_snapshot",
                    "snapshot_tail",
                    "snapshot_head",
                )
            )
        )
    return "\n".join(lines)


if __name__ == "__main__":
    path = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent / "results" / "fanout.json"
    )
    write(json.loads(path.read_text()), Path(__file__).resolve().parent)
