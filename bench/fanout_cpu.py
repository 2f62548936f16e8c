"""The hub's CPU per viewer and update, fan-out alone (issue 17, third pass).

    python3 -m bench.fanout_cpu --viewers 2000 --updates 60
    python3 -m bench.fanout_cpu --hub-root /tmp/before     # the same against another copy

The hub runs in this process (``bench.viewer_memory.serve``: the app and uvicorn set-up of
``scorecast serve``) on the real-size competition, pinned to the first core; ``--viewers``
``bench.viewers`` (raw sockets, other processes, the other core) subscribe to one program's
public leaderboard. Then the hub's own ``Fanout.publish`` sends ``--updates`` deltas of
``--bytes`` bytes to them, one per ``--gap`` seconds (each is one write per viewer, as a mark's
update is), and this process's user and system CPU over them is divided by updates × viewers.
No scoring, no ledger: what is left is the fan-out's own code and the kernel's send (on
loopback the receiver's TCP path runs in the sender's system time too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

from .common import free_port, raise_nofile
from .pool import ViewerPool
from .viewer_memory import load, prepare, serve


def cpu() -> tuple[float, float]:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime, r.ru_stime


async def main_async(args: argparse.Namespace) -> dict[str, Any]:
    raise_nofile()
    try:
        os.sched_setaffinity(0, {0})
    except OSError:
        pass
    comp, store, _doc, _tokens = prepare(credentials=False)
    port = free_port()
    server, task, app = await serve(comp, store, port)
    from server.state import state_of
    from server.wire import Encoded

    hub = state_of(app).hub
    channel = f"program:{next(iter(hub.competition.programs))}"
    sub = json.dumps({"type": "subscribe", "channel": channel, "features": ["ranks"]})
    pool = await ViewerPool("scorecast", [port], "/ws/live", args.procs).start()
    for p in pool.procs:
        try:
            os.sched_setaffinity(p.pid, {1})
        except OSError:
            pass
    out: dict[str, Any] = {"load_start": load(), "viewers": args.viewers, "updates": args.updates}
    out["hub"] = str(Path(sys.modules["server"].__file__ or "").parent.parent)
    try:
        share = [
            args.viewers // args.procs + (i < args.viewers % args.procs) for i in range(args.procs)
        ]
        replies = await pool.ask_all(
            [{"cmd": "connect", "n": k, "timeout": 120, "subscribe": [sub] * k} for k in share],
            150,
        )
        ready = sum(r["ready"] for r in replies)
        if ready != args.viewers:
            raise RuntimeError(f"{ready} of {args.viewers} viewers connected")
        await asyncio.sleep(1.0)
        pad = "x" * max(0, args.bytes - 60)
        base = hub.board.version(channel)
        u0, s0 = cpu()
        for i in range(args.updates):
            frame = {"type": "delta", "channel": channel, "version": base + 1 + i, "pad": pad}
            hub.fanout.publish(channel, Encoded(frame))
            await asyncio.sleep(args.gap)
        u1, s1 = cpu()
        ok, st = await pool.wait_version(base + args.updates, 30)
        deliveries = args.updates * args.viewers
        out["user_us"] = round((u1 - u0) / deliveries * 1e6, 3)
        out["sys_us"] = round((s1 - s0) / deliveries * 1e6, 3)
        out["us_per_delivery"] = round(out["user_us"] + out["sys_us"], 3)
        out["ms_per_update"] = round(out["us_per_delivery"] * args.viewers / 1000, 2)
        out["all_shown"] = ok
        out["load_end"] = load()
        print(f"  hub from {out['hub']}; {out['load_start']}")
        print(
            f"  {args.viewers} viewers x {args.updates} updates of {args.bytes} B: user "
            f"{out['user_us']} + sys {out['sys_us']} = {out['us_per_delivery']} us per delivery, "
            f"{out['ms_per_update']} ms per update; every viewer got every update: {ok}"
        )
    finally:
        await pool.close()
        await pool.exit()
        server.should_exit = True
        await asyncio.wait_for(task, 30)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--viewers", type=int, default=2000)
    ap.add_argument("--updates", type=int, default=60)
    ap.add_argument("--bytes", type=int, default=2400)
    ap.add_argument("--gap", type=float, default=0.08, help="seconds between updates")
    ap.add_argument("--procs", type=int, default=2, help="viewer processes")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--hub-root", help="import the hub from this copy of the tree")
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
