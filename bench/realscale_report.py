"""The real-scale section of ``bench/README.md`` and its plots, from ``bench/results/realscale.json``.

    python3 -m bench.realscale_report [results.json]

Rewrites what stands between ``<!-- realscale:begin -->`` and ``<!-- realscale:end -->``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .common import ROOT
from .realscale_plots import plots

README = ROOT / "bench" / "README.md"
# issue 17's measurements of main before the work on it, in the order of the targets' table
BEFORE = [
    "5 / 165–844 (p50 / p99)",
    "p99 167–818",
    "not measured; snapshot saves of 3.7 s and full GC passes of 1.1–1.3 s on the loop",
    "3.9–5.1",
    "about 700–800",
    "19.3 / 23.5",
    "9.8–11.2 (5,000 viewers)",
    "6.9 / 12.8 / about 435",
    "2,300",
]
BEGIN, END = (
    "<!-- realscale:begin (python3 -m bench.realscale_report) -->",
    "<!-- realscale:end -->",
)


def f(x: Any, nd: int = 1) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return f"{x:,}" if isinstance(x, int) else str(x)


def table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return out + ["| " + " | ".join(f(c) for c in r) + " |" for r in rows]


def section(r: dict[str, Any]) -> list[str]:
    c, m, ph = r["competition"], r["memory"], r["phases"]
    st, bu = ph["steady"], ph["burst"]
    br = r.get("breaking", {})
    rs = r.get("restart", {})
    peer = r.get("peer", {})
    L = [BEGIN, "", f"### Figures of the run ({r['load_start']['uptime']})", ""]
    L.append(
        f"{c['programs']} programs, {f(c['competitors'])} competitors, {c['judges']} judges "
        f"({f(c['marks_of_the_event'])} marks in the event); {m['judges']['ready']} judge "
        f"connections, {f(m['viewers']['ready'])} viewers ({', '.join(f'{v} {k}' for k, v in m['by_channel'].items())}). "
        f"Machine: {r['machine']['nproc']} vCPU {r['machine']['cpu']}, Python {r['machine']['python']}. "
        f"Run: {f(r['wall_s'])} s."
    )
    L += ["", "Load average (`uptime`) at each point of the run:", ""]
    L += table(
        ["when", "load average 1 / 5 / 15 min"],
        [
            [k.replace("_", " "), " / ".join(f(x, 2) for x in v["loadavg"])]
            for k, v in [("start", r["load_start"])]
            + [(n, p["load"]) for n, p in ph.items()]
            + [
                (k, r[k])
                for k in ("load_after_live", "load_after_restart", "load_after_peer")
                if k in r
            ]
        ],
    )
    sc = st.get("screen", {})
    steps = br.get("steps", [])
    L += ["", "Against issue 17's targets:", ""]
    targets = [
        [
            f"steady {f(st['rate'], 0)} marks/s: ack p50 / p99 / max ms",
            "p99 ≤ 50",
            f"{f(st['ack'].get('p50_ms'))} / {f(st['ack'].get('p99_ms'))} / {f(st['ack'].get('max_ms'))}",
        ],
        [
            "steady: score-to-screen p50 / p99 ms (every viewer)",
            "p99 ≤ 100",
            f"{f(sc.get('p50_ms'))} / {f(sc.get('p99_ms'))}",
        ],
        [
            "steady: longest event-loop stall ms",
            "≤ 50",
            ("" if st["stalls"]["exact"] else "≤ ") + f(st["stalls"]["longest_ms"]),
        ],
        [
            f"burst of {f(bu['marks'])} marks: first send → last ack s",
            "≤ 2",
            f(bu["ack"].get("first_send_to_last_ack_s"), 2),
        ],
        [
            "breaking point (ack p99 > 1 s), marks/s",
            "≥ 2,500",
            f"passed at {f(br.get('broke_at_rate'))}; last below: {f(br.get('last_ok_rate'))}"
            if br.get("broke_at_rate")
            else f"not reached; ≥ {f(br.get('last_ok_rate'))}",
        ],
        [
            "memory per idle viewer / per judge connection KB",
            "≤ 16 per viewer",
            f"{f(m['kb_per_viewer'])} / {f(m['kb_per_judge'])}",
        ],
        ["CPU per update, python-socketio ÷ Scorecast", "≥ 10×", f(peer.get("cpu_ratio"), 2)],
        [
            f"restart, {f(rs.get('events'))} events: snapshot at the end / "
            f"{f(rs.get('tail'))} after it / none s",
            "< 5 at any point",
            f"{f(rs.get('snapshot_head', {}).get('seconds'), 2)} / {f(rs.get('snapshot_tail', {}).get('seconds'), 2)} / "
            + (
                f(rs.get("no_snapshot", {}).get("seconds"), 1)
                if rs.get("no_snapshot", {}).get("up")
                else f"> {f(rs.get('no_snapshot', {}).get('bound_s'), 0)} (≈ {f(rs.get('no_snapshot', {}).get('extrapolated_s'), 0)} extrapolated)"
            ),
        ],
        ["replay without snapshot, events/s", "≥ 50,000", f(rs.get("replay_events_per_s"), 0)],
    ]
    head = ["what", "target", "this run", "issue 17, before (main, 3 runs)"]
    L += table(head, [row + [b] for row, b in zip(targets, BEFORE, strict=True)])
    L += [
        "",
        "Ack (judge send → kernel receive of the ack) and score-to-screen (judge send → kernel "
        "receive of the first message at or past the mark's version, per viewer), by channel:",
        "",
    ]
    rows = []
    for name, p in (("steady", st), ("burst", bu)):
        s = p.get("screen", {})
        rows.append(
            [
                name,
                "ack",
                p["ack"].get("p50_ms"),
                p["ack"].get("p99_ms"),
                p["ack"].get("max_ms"),
                p["ack"]["sent"],
            ]
        )
        for kind, v in s.get("by_channel", {}).items():
            q = [v.get(k) for k in ("p50_ms", "p99_ms", "max_ms")]
            rows.append([name, f"screen: {kind}", *q, v["deliveries"]])
        q = [s.get("last_screen", {}).get(k) for k in ("p50_ms", "p99_ms", "max_ms")]
        rows.append([name, "screen: last viewer of each mark", *q, s.get("marks")])
    L += table(["phase", "measure", "p50 ms", "p99 ms", "max ms", "count"], rows)
    L += ["", "Each phase: the hub's CPU, its longest loop stall and the stalls over 50 ms:", ""]
    L += table(
        "phase|marks|offered/s|hub CPU ms per mark|hub core busy|longest stall ms|"
        "wake-ups > 50 ms|errors".split("|"),
        [
            [
                n,
                p["marks"],
                p["rate"] or "at once",
                p["hub_cpu_ms_per_mark"],
                p["core_busy"],
                p["stalls"]["longest_ms"],
                p["stalls"]["later"].get(">50ms"),
                p["errors"] or "none",
            ]
            for n, p in ph.items()
        ],
    )
    dk = [r[k] for k in ("disk_before", "disk_after") if k in r]
    L += [
        "",
        "This disk's durable commit (SQLite WAL, `synchronous=FULL`, 100 commits at 20/s), before "
        "and after the live phases: p50 / p99 / max "
        + " and ".join(f"{f(d['p50_ms'])} / {f(d['p99_ms'])} / {f(d['max_ms'])} ms" for d in dk)
        + ". Every ack waits for one.",
    ]
    L += [
        "",
        f"Memory: hub RSS {f(m['idle_mb'])} MB idle, {f(m['judges_mb'])} MB with the judges, "
        f"{f(m['viewers_mb'])} MB with the viewers too. Viewers closed by the hub: {r.get('viewers_closed') or 'none'}.",
    ]
    if steps:
        L += [
            "",
            "Breaking point: each step offers the rate for a few seconds, then waits for every ack.",
            "",
        ]
        keys = "rate achieved p50_ms p99_ms max_ms unanswered cpu_share stall_ms".split()
        L += table(
            "offered/s|achieved/s|ack p50|p99|max ms|unanswered|hub core busy|longest stall ms".split(
                "|"
            ),
            [[s[k] for k in keys] for s in steps],
        )
    if peer:
        L += [
            "",
            f"The peer beside Scorecast on `bench.fanout_bench`'s one-program workload, {f(peer['viewers'])} viewers, {f(peer['rate'])} marks/s:",
            "",
        ]
        L += table(
            [
                "system",
                "viewers",
                "hub CPU ms per update",
                "server core busy",
                "KB per viewer",
                "screen p50 / p99 ms",
            ],
            [
                [
                    v["label"],
                    v["connected"],
                    v["cpu_ms_per_update"],
                    v["server_core_busy"],
                    v["kb_per_viewer"],
                    f"{f(v['screen']['p50_ms'])} / {f(v['screen']['p99_ms'])}",
                ]
                for v in peer["runs"].values()
            ],
        )
    if rs:
        L += [
            "",
            f"Restart ({f(rs['events'])} events, ledger {f(rs.get('ledger', {}).get('bytes', 0) / 2**20)} MB, "
            f"snapshot {f(rs.get('snapshot_built', {}).get('snapshot_bytes', 0) / 2**20)} MB):",
            "",
        ]
        L += table(
            [
                "case",
                "up in s",
                "absorbed + applied one by one",
                "hub's own restore s",
                "clean stop s",
            ],
            [
                [
                    k,
                    v.get("seconds") if v["up"] else f"not up in {f(v.get('bound_s'), 0)}",
                    "{} + {}".format(
                        f(v.get("restored", {}).get("absorbed", 0)),
                        f(v.get("restored", {}).get("replayed", 0)),
                    )
                    if v.get("restored")
                    else None,
                    v.get("restored", {}).get("seconds"),
                    v.get("stop_seconds"),
                ]
                for k, v in rs.items()
                if isinstance(v, dict) and "up" in v
            ],
        )
    prof = r.get("profile", {})
    if prof.get("stages_pct"):
        L += [
            "",
            f"Where the hub's time goes (py-spy, {f(prof['main_thread_busy_samples'])} busy samples of the event loop's thread through steady, burst and steps):",
            "",
        ]
        L += table(
            ["stage (innermost frame)", "% of busy samples"],
            [[k, v] for k, v in prof["stages_pct"].items()],
        )
    for img in plots(r):
        L += ["", f"![{img}]({img})"]
    return L + ["", END]


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
        print(
            "usage: python3 -m bench.realscale_report [RESULT.json]  (default bench/results/realscale.json)"
        )
        print("writes the realscale block of bench/README.md and its two plots from the run's JSON")
        return 0 if sys.argv[1] in ("-h", "--help") else 2
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "results" / "realscale.json"
    r = json.loads(path.read_text())
    text = README.read_text()
    block = "\n".join(section(r))
    if BEGIN in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    README.write_text(text)
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
