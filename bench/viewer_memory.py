"""Where an idle viewer's memory goes: the hub in this process, viewers in others (issue 17).

    python3 -m bench.viewer_memory                      # RSS: 1,000 + 1,000 viewers, real scale
    python3 -m bench.viewer_memory --trace 25 --top 25  # tracemalloc too, grouped by traceback

The hub (``create_app`` under ``uvicorn_config``, as ``scorecast serve`` builds it; SQLite ledger,
in-process broker) runs on ``bench.realscale``'s 108-program competition in this process, so
tracemalloc can see it. Viewers are ``bench.viewers`` processes subscribed with the real-scale
run's mix of channels (``bench.realscale_workload.subscriptions``: program, overview, ticker and
jury channels, chiefs with their credentials). Three points: none, ``--first`` viewers, then
``--second`` more. The first wave also pays what each channel costs once (its snapshot, encoded
and framed); the second wave's difference over its count is what one more viewer costs.
RSS is read from ``/proc/self/statm`` after a full collection; with ``--trace`` the figures
include tracemalloc's own bookkeeping, so read RSS from a run without it. ``--hub-root DIR``
imports the hub from another copy of the tree (``git archive``), for a before/after in one run.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from . import realscale
from .common import ROOT, free_port, raise_nofile
from .pool import ViewerPool
from .realscale_workload import subscriptions

PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


async def serve(comp: Path, store: str, port: int) -> tuple[Any, asyncio.Task[None], Any]:
    """uvicorn serving the hub as ``scorecast serve`` builds it, started: (server, task, app)."""
    import uvicorn

    from server import competition_file
    from server.app import create_app
    from server.config import Settings
    from server.run import probe, uvicorn_config

    settings = Settings.load(
        {"competition": str(comp), "store": store, "port": port, "log_level": "warning"}
    )
    data, competition = competition_file.load(settings.competition)
    data, competition = await probe(settings.store, data, competition)
    app = create_app(settings, data, competition)
    server = uvicorn.Server(uvicorn_config(settings, app))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    return server, task, app


def point(label: str, snapshots: dict[str, Any]) -> int:
    gc.collect()
    if tracemalloc.is_tracing():
        snapshots[label] = tracemalloc.take_snapshot()
    return rss()


def report_trace(a: Any, b: Any, n: int, top: int) -> list[dict[str, Any]]:
    """The difference between two snapshots, grouped by traceback, per viewer."""
    stats = b.compare_to(a, "traceback")
    total = sum(s.size_diff for s in stats)
    print(f"  tracemalloc: {total / n / 1024:.2f} KB per viewer in all")
    out = []
    for s in stats[:top]:
        frames = [f"{f.filename.replace(str(ROOT) + '/', '')}:{f.lineno}" for f in s.traceback]
        here = [f for f in frames if "/asyncio/" not in f][-4:]
        kb = s.size_diff / n / 1024
        print(f"  {kb:7.3f} KB  {s.count_diff / n:6.2f} blocks  " + " <- ".join(reversed(here)))
        out.append({"kb": round(kb, 3), "blocks": round(s.count_diff / n, 2), "at": frames})
    return out


def prepare(credentials: bool = True) -> tuple[Path, str, dict[str, Any], dict[str, str]]:
    """The real-size competition in a fresh directory, its store URL, and judges' credentials."""
    work = Path(tempfile.mkdtemp(prefix="scorecast-hub-"))
    doc = realscale.competition()
    comp = work / "competition.json"
    comp.write_text(json.dumps(doc, ensure_ascii=False))
    store = f"sqlite:///{work / 'ledger.db'}"
    if not credentials:
        return comp, store, doc, {}
    creds = subprocess.run(
        [sys.executable, "-m", "server.cli", "credentials", "--competition", str(comp)]
        + ["--store", store],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tokens = {
        line.split("\t")[0]: line.split("\t")[2]
        for line in creds.splitlines()
        if line and not line.startswith("#")
    }
    return comp, store, doc, tokens


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    raise_nofile()
    comp, store, doc, tokens = prepare()
    port = args.port or free_port()
    if args.trace:
        tracemalloc.start(args.trace)
    server, task, _app = await serve(comp, store, port)
    subs = subscriptions(doc, tokens, args.first + args.second)
    first, second = subs[: args.first], subs[args.first :]
    pool = await ViewerPool("scorecast", [port], "/ws/live", args.procs).start()
    out: dict[str, Any] = {"load_start": load(), "first": args.first, "second": args.second}
    out["hub"] = str(Path(sys.modules["server"].__file__ or "").parent.parent)
    print(f"  hub from {out['hub']}")
    snaps: dict[str, Any] = {}
    try:
        await asyncio.sleep(1.0)
        r0 = point("none", snaps)
        for label, wave in (("first", first), ("second", second)):
            shares = [wave[i :: args.procs] for i in range(args.procs)]
            replies = await pool.ask_all(
                [
                    {"cmd": "connect", "n": len(s), "timeout": 120, "subscribe": [f for _, f in s]}
                    for s in shares
                ],
                150,
            )
            ready = sum(r["ready"] for r in replies)
            if ready != len(wave):
                raise RuntimeError(f"{label}: {ready} of {len(wave)} viewers connected")
            await asyncio.sleep(args.settle)
            out[f"rss_{label}"] = point(label, snaps)
        r1, r2 = out["rss_first"], out["rss_second"]
        out["rss_none"] = r0
        out["kb_first"] = round((r1 - r0) / args.first / 1024, 2)
        out["kb_second"] = round((r2 - r1) / args.second / 1024, 2)
        out["kb_all"] = round((r2 - r0) / (args.first + args.second) / 1024, 2)
        out["load_end"] = load()
        print(f"  {out['load_start']}")
        print(
            f"  RSS {r0 / 2**20:.1f} MB none, {r1 / 2**20:.1f} MB with {args.first}, "
            f"{r2 / 2**20:.1f} MB with {args.first + args.second}: KB per viewer "
            f"first wave {out['kb_first']}, second wave {out['kb_second']}, all {out['kb_all']}"
        )
        if snaps:
            print(f"first wave ({args.first}), against none:")
            out["trace_first"] = report_trace(snaps["none"], snaps["first"], args.first, args.top)
            print(f"second wave ({args.second}), against the first:")
            out["trace_second"] = report_trace(
                snaps["first"], snaps["second"], args.second, args.top
            )
    finally:
        await pool.close()
        await pool.exit()
        server.should_exit = True
        await asyncio.wait_for(task, 30)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--first", type=int, default=1000)
    ap.add_argument("--second", type=int, default=1000)
    ap.add_argument(
        "--settle", type=float, default=12.0, help="seconds after a wave before measuring"
    )
    ap.add_argument("--procs", type=int, default=2, help="viewer processes")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--trace", type=int, default=0, help="tracemalloc frames (0: off)")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument(
        "--hub-root", help="import server/ and scoreboard/ from this copy (a before/after run)"
    )
    args = ap.parse_args()
    if args.hub_root:
        sys.path.insert(0, args.hub_root)
    started = time.time()
    out = asyncio.run(main_async(args))
    out["seconds"] = round(time.time() - started, 1)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
