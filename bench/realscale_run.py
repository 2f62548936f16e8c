"""The first user's event on one hub (issue 17): 108 programs, 520 judges, 2,000 viewers.

    python3 -m bench.realscale_run            # full size, bounded: 12-14 minutes
    python3 -m bench.realscale_run --quick    # 20 programs, 100 judges, 200 viewers: 2 minutes
    python3 -m bench.realscale_run --no-pin   # hub and load on any core (default: hub alone on one)
    python3 -m bench.realscale_report         # README section and plots from the JSON

One ``scorecast serve`` (SQLite ledger) on ``bench.realscale``'s competition, alone on the first
core. Every judge has a connection of its own (``bench.realscale_judges``: raw sockets in two
processes, each judge signed in with its credential from ``scorecast credentials``) and sends its
marks of the event in tablet order. Viewers (``bench.viewers``, kernel receive timestamps) are
spread over program, jury, overview and ticker channels. Phases, each bounded in time:

1. **memory**: hub RSS idle, with every judge connected, with every viewer subscribed;
2. **steady**: ``rate`` marks a second (the first user's peak is ~150) for ``steady_s``;
3. **burst**: every judge sends its next marks at once (``burst_marks`` in all);
4. **breaking point**: rates step up until the ack p99 of a step passes 1 s;
5. **restart**: a 1M-event ledger of this competition (``bench.realscale_restart``);
6. **peer**: fan-out CPU per update, python-socketio vs Scorecast, on ``bench.fanout_bench``'s
   one-program workload with as many viewers.

Ack and score-to-screen are matched through the ledger (``bench.realscale_analysis``), stalls
come from ``/metrics`` (``server/loop_monitor.py``), py-spy samples the hub through phases 2-4.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import realscale
from .common import DRIVER_NICE, ROOT, client_cpus, machine, pin, prioritize
from .fanout_bench import disk_probe
from .pool import ViewerPool
from .realscale_analysis import (
    JudgeRecords,
    ViewerRecords,
    breaking,
    channel_kind,
    channel_versions,
)
from .realscale_cpus import CpuWindow
from .realscale_metrics import gc_pauses, stalls
from .realscale_peer import compare
from .realscale_procs import Hub, JudgeProcs, Sampler, commit, load
from .realscale_profile import Profiler
from .realscale_restart import run as restart_run
from .realscale_syscalls import Syscalls, counts
from .realscale_workload import burst, subscriptions

RESULTS = ROOT / "bench" / "results" / "realscale.json"


@dataclass
class Params:
    size: realscale.Size = field(default_factory=realscale.Size)
    viewers: int = 2000
    viewer_procs: int = 4
    judge_procs: int = 2
    rate: float = 150.0
    steady_s: float = 30.0
    burst_marks: int = 5220
    steps: list[float] = field(default_factory=lambda: [300, 500, 800, 1200, 1800, 2500, 3500])
    step_s: float = 5.0
    drain_s: float = 30.0
    peer: bool = True
    restart_events: int = 1_000_000
    profile: bool = True
    budget_s: float = 840.0

    @classmethod
    def quick(cls) -> Params:
        size = realscale.Size(programs=20, worldskills=15, competitors=460, judges=100)
        return cls(size, 200, 2, 1, 50.0, 10.0, 600, [150, 300, 600], 4.0, 20.0, True, 20_000)


def say(*parts: Any) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


class Run:
    def __init__(self, p: Params, workdir: Path) -> None:
        self.p = p
        self.workdir = workdir
        self.doc = realscale.competition(p.size)
        self.comp = workdir / "competition.json"
        self.comp.write_text(json.dumps(self.doc, ensure_ascii=False))
        self.marks = list(realscale.marks(self.doc))
        self.remaining = list(range(len(self.marks)))  # marks not sent yet, in tablet order
        self.hub = Hub(workdir, self.comp)
        self.out: dict[str, Any] = {"phases": {}}

    def take(self, n: int) -> list[int]:
        taken, self.remaining = self.remaining[:n], self.remaining[n:]
        return taken

    def take_burst(self, total: int) -> list[int]:
        taken, self.remaining = burst(self.marks, self.remaining, total)
        return taken

    async def quiet(self, pool: ViewerPool, timeout: float) -> None:
        """Until no viewer has received anything for half a second."""
        deadline, last = time.monotonic() + timeout, -1
        while time.monotonic() < deadline and last != (last := (await pool.status(0))["records"]):
            await asyncio.sleep(0.5)

    async def phase(
        self, name: str, ks: list[int], rate: float | None, judges: JudgeProcs, sampler: Sampler
    ) -> dict[str, Any]:
        """Send ``ks`` at ``rate`` a second (None: all at once); wait for every answer."""
        t0 = time.time() + 0.3
        sched = [(k, t0 + (i / rate if rate else 0.0), self.marks[k][0]) for i, k in enumerate(ks)]
        cpu0, m0 = self.hub.cpu(), await asyncio.to_thread(self.hub.metrics)
        syscalls, cpus = Syscalls(self.hub.ps.pid).start(), CpuWindow(self.hub.ps.pid)
        await judges.send(sched)
        await asyncio.sleep(max(0.0, sched[-1][1] - time.time()))
        st = await judges.wait_answered(self.p.drain_s)
        t1 = time.time()
        cpu, m1 = self.hub.cpu() - cpu0, await asyncio.to_thread(self.hub.metrics)
        sys_counts = syscalls.stop()
        rec = JudgeRecords(await judges.dump(self.workdir))
        out = {
            "rate": rate,
            "marks": len(ks),
            "ack": rec.acks(ks),
            "errors": st["errors"],
            "t0": t0,
        }
        out.update(stalls=stalls(m0, m1), gc=gc_pauses(m0, m1))
        out["counts"] = counts(m0, m1, sys_counts, len(ks))
        out.update(sampler.window(t0, t1), cpu_s=round(cpu, 2), wall_s=round(t1 - t0, 2))
        out["hub_cpu_ms_per_mark"] = round(cpu / max(1, len(ks)) * 1000, 3)
        out["cpus"] = cpus.stop(cpu)  # each core's busy share, the hub's and the generator's
        out["core_busy"] = round(cpu / (t1 - t0), 3)
        out["load"] = load()
        a = out["ack"]
        say(
            f"  {name}: {len(ks)} marks at {rate or 'once'}: ack p50 {a.get('p50_ms')} p99 "
            f"{a.get('p99_ms')} max {a.get('max_ms')} ms, unanswered {a['unanswered']}, stall "
            f"{out['stalls']['longest_ms']} ms, {out['hub_cpu_ms_per_mark']} ms CPU/mark, "
            f"counts {out['counts']}, cpus {out['cpus']}"
        )
        self.out["phases"][name] = out
        return out

    async def live(self) -> None:
        p, hub = self.p, self.hub
        tokens = hub.credentials()
        self.out["startup_s"] = hub.start()
        await asyncio.sleep(2.0)
        mem: dict[str, Any] = {"idle_mb": hub.rss() / 2**20}
        judges = await JudgeProcs(hub.port, self.comp, p.judge_procs).start()
        pool = await ViewerPool("scorecast", [hub.port], "/ws/live", p.viewer_procs).start()
        sampler = Sampler(hub)
        profiler = Profiler(self.workdir, hub.ps.pid) if p.profile else None
        try:
            mem["judges"] = await judges.connect(tokens, 60)
            await asyncio.sleep(2.0)
            mem["judges_mb"] = hub.rss() / 2**20
            subs = subscriptions(self.doc, tokens, p.viewers)
            shares = [subs[i :: p.viewer_procs] for i in range(p.viewer_procs)]
            self.channels = [[ch for ch, _ in s] for s in shares]
            replies = await pool.ask_all(
                [
                    {"cmd": "connect", "n": len(s), "timeout": 120, "subscribe": [f for _, f in s]}
                    for s in shares
                ],
                150,
            )
            mem["viewers"] = {k: sum(r[k] for r in replies) for k in ("ready", "failed")}
            mem["viewers"]["seconds"] = max(r["seconds"] for r in replies)
            await asyncio.sleep(3.0)
            mem["viewers_mb"] = hub.rss() / 2**20
            for who, was, now in (("judge", "idle", "judges"), ("viewer", "judges", "viewers")):
                mb = mem[f"{now}_mb"] - mem[f"{was}_mb"]
                mem[f"kb_per_{who}"] = mb * 1024 / max(1, mem[now]["ready"])
            mem["by_channel"] = dict(Counter(channel_kind(ch) for ch, _ in subs))
            self.out["memory"] = mem
            say(
                f"  memory: {mem['judges']['ready']} judges, {mem['viewers']['ready']} viewers; "
                f"{mem['kb_per_judge']:.1f} KB/judge, {mem['kb_per_viewer']:.1f} KB/viewer"
            )
            await pool.reset()
            sampler.start()
            if profiler:
                profiler.start()
            steady = self.take(int(p.rate * p.steady_s))
            await self.phase("steady", steady, p.rate, judges, sampler)
            await self.quiet(pool, 15)
            burst = self.take_burst(p.burst_marks)
            await self.phase("burst", burst, None, judges, sampler)
            await self.quiet(pool, 30)
            vpaths = await pool.dump(self.workdir, "live")
            await pool.reset()  # the steps' deliveries are not analysed: no need to keep them
            steps = []
            for rate in p.steps:
                ks = self.take(int(rate * p.step_s))
                if len(ks) < rate * p.step_s or self.over_budget(0.55):
                    break
                r = await self.phase(f"step-{rate:g}", ks, rate, judges, sampler)
                steps.append(r)
                if r["ack"]["unanswered"] or r["ack"].get("p99_ms", 0) > 1000:
                    break
                await self.quiet(pool, 10)
            self.out["breaking"] = breaking(steps)
            if profiler:
                self.out["profile"] = profiler.stop()
            await sampler.stop()
            self.out["samples"] = sampler.samples
            self.out["judges_status"] = await judges.status()
            jrec = JudgeRecords(await judges.dump(self.workdir))
        finally:
            if profiler:
                profiler.kill()
            await judges.exit()
            await pool.exit()
            self.out["stop_s"] = hub.stop()
        say("  live phases done; matching screens through the ledger")
        sent = jrec.sent_by_seq(steady + burst)
        versions = channel_versions(self.comp, hub.ledger, max(sent))
        vrec = ViewerRecords(vpaths, self.channels)
        for name, ks in (("steady", steady), ("burst", burst)):
            self.out["phases"][name]["screen"] = vrec.score_to_screen(
                jrec.sent_by_seq(ks), versions
            )
        self.out["viewers_closed"] = vrec.codes

    def over_budget(self, share: float) -> bool:
        return time.monotonic() - self.started > self.p.budget_s * share

    async def main(self) -> dict[str, Any]:
        self.started = time.monotonic()
        self.out.update(params=asdict(self.p), machine=machine(), commit=commit())
        self.out["load_start"] = load()
        self.out["competition"] = {
            "programs": len(self.doc["programs"]),
            "competitors": sum(len(x["competitors"]) for x in self.doc["programs"]),
            "judges": len(self.doc["judges"]),
            "marks_of_the_event": len(self.marks),
        }
        say(f"realscale: {self.out['competition']}, {self.p.viewers} viewers")
        self.out["disk_before"] = disk_probe(self.workdir / "disk-before")
        await self.live()
        self.out["load_after_live"] = load()
        self.out["disk_after"] = disk_probe(self.workdir / "disk-after")
        try:
            if self.p.restart_events and not self.over_budget(0.6):
                left = self.p.budget_s - (time.monotonic() - self.started) - 150 * self.p.peer
                self.out["restart"] = await asyncio.to_thread(
                    restart_run, self.comp, self.p.restart_events, self.workdir / "restart", left
                )
                self.out["load_after_restart"] = load()
            if self.p.peer and not self.over_budget(0.85):
                self.out["peer"] = await compare(self.p.viewers, self.workdir / "peer")
                self.out["load_after_peer"] = load()
        except Exception as e:  # noqa: BLE001 — what the live phases measured is kept
            self.out["error"] = f"{type(e).__name__}: {e}"
        self.out["wall_s"] = round(time.monotonic() - self.started, 1)
        return self.out


def main() -> int:
    ap = argparse.ArgumentParser(prog="python3 -m bench.realscale_run", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="20 programs, 200 viewers: a few minutes")
    ap.add_argument("--short", action="store_true", help="the burst and steps >= 1,200/s: ~2 min")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--no-pin", action="store_true", help="hub and load on any core (BENCH_PIN=0)")
    ap.add_argument("--restart-events", type=int, default=None, help="0: no restart phase")
    ap.add_argument("--workdir", default="/tmp/scorecast-realscale")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()
    p = Params.quick() if args.quick else Params()
    if args.short:  # full size, the CPU-bound parts: 5 s steady, the burst, steps from 1,200/s
        p.steady_s, p.steps, p.restart_events = 5.0, [1200.0, 1800.0, 2500.0], 0
    p.peer = p.peer and not (args.no_peer or args.short)
    p.profile = p.profile and not args.no_profile
    p.restart_events = p.restart_events if args.restart_events is None else args.restart_events
    if args.no_pin:  # read by bench/common.py here and in every child process
        os.environ["BENCH_PIN"] = "0"
    workdir = Path(args.workdir)
    subprocess.run(["rm", "-rf", str(workdir)], check=True)
    workdir.mkdir(parents=True)
    pin(0, client_cpus())
    prioritize(DRIVER_NICE)
    run = Run(p, workdir)
    try:
        asyncio.run(run.main())
    finally:  # even a failed run leaves what it measured
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(run.out, indent=1, default=float))
        say(f"wrote {args.out} ({run.out.get('wall_s', '?')} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
