"""``python3 -m bench``: the fan-out suite of issue 7 and the restart bench of issue 3, in one run.

    python3 -m bench --quick           # N = 1,000 and 5,000, shorter phases: under 5 minutes
    python3 -m bench                   # N = 1,000, 5,000 and the most this machine holds: under 20 minutes
    python3 -m bench --systems floor,scorecast --ns 1000   # a subset, for profiling

Writes ``bench/results/fanout.json`` (every figure of the run), the plots
``bench/*.png`` and the "Fan-out" section of ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import report
from .common import DRIVER_NICE, client_cpus, machine, max_viewers, prioritize, raise_nofile
from .fanout_bench import SYSTEMS, Params, run, say

HERE = Path(__file__).resolve().parent


def params(args: argparse.Namespace) -> Params:
    if args.quick:
        p = Params(
            ns=[1000, 5000],
            steady_seconds=4.0,
            bursts=2,
            drain_timeout=15.0,
            connect_timeout=90.0,
            durable_seconds=3.0,
            outage_n=1000,
        )
    else:
        p = Params(
            ns=[1000, 5000, max_viewers()],
            steady_seconds=8.0,
            bursts=3,
            drain_timeout=30.0,
            connect_timeout=180.0,
            durable_seconds=5.0,
            outage_n=5000,
            repeat=2,
        )
    if args.ns:
        p.ns = [int(x) for x in args.ns.split(",")]
    if args.systems:
        p.systems = args.systems.split(",")
        p.durable_systems = [s for s in p.durable_systems if s in p.systems]
        p.outage_systems = [
            s for s in p.outage_systems if s in p.systems or s.rsplit("-", 1)[0] in p.systems
        ]
    if args.repeat:
        p.repeat = args.repeat
    if args.no_extras:
        p.durable_systems, p.outage_systems = [], []
    return p


def main() -> int:
    ap = argparse.ArgumentParser(
        prog="python3 -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument(
        "--quick", action="store_true", help="N = 1,000 and 5,000 and shorter phases (< 5 min)"
    )
    ap.add_argument("--ns", help="comma-separated viewer counts instead of the mode's")
    ap.add_argument("--systems", help=f"comma-separated subset of {','.join(SYSTEMS)}")
    ap.add_argument(
        "--repeat",
        type=int,
        help="runs of each system at N ≤ 5,000 (full mode: 2; the best is shown)",
    )
    ap.add_argument(
        "--no-extras", action="store_true", help="skip the durable-marks and broker-restart runs"
    )
    ap.add_argument("--no-restart", action="store_true", help="skip the 1M-event restart bench")
    ap.add_argument(
        "--out", default=str(HERE / "results" / "fanout.json"), help="where the figures go"
    )
    ap.add_argument(
        "--no-report", action="store_true", help="do not rewrite bench/README.md and the plots"
    )
    args = ap.parse_args()

    raise_nofile()
    try:
        os.sched_setaffinity(0, client_cpus())
    except OSError:
        pass
    prioritize(DRIVER_NICE)
    p = params(args)
    command = "python3 -m bench " + " ".join(sys.argv[1:])
    say(f"bench: {command.strip()}; N = {p.ns}; systems = {p.systems}")
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="scorecast-bench-"))
    try:
        results = asyncio.run(run(p, workdir))
        if not args.no_restart:
            from . import restart_bench

            events = 200_000 if args.quick else 1_000_000
            try:
                results["restart"] = restart_bench.run(
                    events, workdir / "restart", quick=args.quick
                )
            except Exception as e:  # noqa: BLE001 — reported, the fan-out figures are kept
                results["restart"] = {"error": f"{type(e).__name__}: {e}"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["machine"] = machine()
    results["command"] = command.strip()
    results["quick"] = bool(args.quick)
    results["seconds"] = time.monotonic() - started
    results["finished"] = time.strftime("%Y-%m-%d %H:%M:%S")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, default=float))
    say(f"bench: done in {results['seconds']:.0f} s; figures in {out}")
    if not args.no_report:
        report.write(results, HERE)
    print(report.summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
