"""``python3 -m bench.chaos``: judges marking through the SDK while everything under them fails.

    python3 -m bench.chaos            # 10 hub kills, 3 Redis kills, 3 Sentinel failovers, a full
                                      # disk, 10,000 fuzzed frames (a few minutes)
    python3 -m bench.chaos --quick    # a small sample of each (the test suite runs this size)

Each phase runs real processes (``scorecast serve``, ``redis-server``, ``redis-server
--sentinel``) and real SDK judges (``judge_client.JudgeClient``, each with its own durable
outbox) on the bench workload, then checks what the product promises:

- every acknowledged mark is in the ledger exactly once, at the seq its ack named;
- the hub's boards equal a fresh replay of the ledger (nothing applied twice or lost);
- no traceback in any hub log; every fuzzed frame got an error with a code or a clean close;
- the hub's RSS and open files before and after.

Results: ``bench/results/chaos.json`` and the "Chaos" section of ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import chaos_faults as faults
from .chaos_fuzz import fuzz
from .chaos_judges import Judges, audit
from .common import ROOT, machine

RESULTS = ROOT / "bench" / "results" / "chaos.json"


@dataclass
class Sizes:
    hub_kills: int = 10
    redis_kills: int = 3
    failovers: int = 3
    fuzz_frames: int = 10_000
    judges: int = 6
    marks_per_judge: int = 300  # at 20 marks/s per judge: 15 s of marking

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            hub_kills=2, redis_kills=1, failovers=1, fuzz_frames=600, judges=3, marks_per_judge=60
        )


@dataclass
class Phase:
    name: str
    faults: int = 0
    acked: int = 0
    in_ledger: int = 0
    missing: list[str] = field(default_factory=list)
    wrong_seq: list[str] = field(default_factory=list)
    duplicate_acks: int = 0
    board_equals_replay: bool = False
    tracebacks: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            not self.missing
            and not self.wrong_seq
            and self.board_equals_replay
            and self.tracebacks == 0
            and self.acked == self.in_ledger
            and self.extra.get("ok", True)
        )


async def marking_phase(
    name: str, work: Path, sizes: Sizes, setup: faults.Setup, chaos: faults.Chaos
) -> Phase:
    """Judges mark while ``chaos`` breaks what ``setup`` started; then the audit."""
    phase = Phase(name)
    t0 = time.monotonic()
    env = await setup(work)
    try:
        judges = Judges(env.hub, work / "outboxes", sizes.judges, sizes.marks_per_judge)
        marking = asyncio.create_task(judges.run())
        phase.faults = await chaos(env, marking)
        acks = await asyncio.wait_for(marking, timeout=240)
        phase.extra.update(env.notes)
        result = await audit(env.hub, env.store, acks)
        phase.acked, phase.in_ledger = result.acked, result.in_ledger
        phase.missing, phase.wrong_seq = result.missing, result.wrong_seq
        phase.duplicate_acks = result.duplicate_acks
        phase.board_equals_replay = result.board_equals_replay
    finally:
        env.close()
        phase.tracebacks = env.tracebacks()
        phase.seconds = round(time.monotonic() - t0, 1)
    return phase


async def run(sizes: Sizes, only: set[str] | None = None) -> list[Phase]:
    phases: list[Phase] = []
    with tempfile.TemporaryDirectory(prefix="scorecast-chaos-") as tmp:
        work = Path(tmp)
        plan = [
            ("hub-sigkill", faults.sqlite_hub, faults.kill_hub(sizes.hub_kills)),
            ("redis-sigkill", faults.redis_hub, faults.kill_redis(sizes.redis_kills)),
            ("sentinel-failover", faults.sentinel_hub, faults.fail_over(sizes.failovers)),
            ("disk-full", faults.tmpfs_hub, faults.fill_disk()),
        ]
        for name, setup, chaos in plan:
            if only and name not in only:
                continue
            print(f"chaos: {name} …", file=sys.stderr, flush=True)
            phases.append(await marking_phase(name, work / name, sizes, setup, chaos))
            print(f"chaos: {name}: {asdict(phases[-1])}", file=sys.stderr, flush=True)
        if not only or "fuzz" in only:
            print("chaos: fuzz …", file=sys.stderr, flush=True)
            phases.append(await fuzz_phase(work / "fuzz", sizes.fuzz_frames))
    return phases


async def fuzz_phase(work: Path, frames: int) -> Phase:
    phase = Phase("fuzz")
    t0 = time.monotonic()
    env = await faults.sqlite_hub(work)
    try:
        before = env.hub_usage()
        report = await fuzz(env.hub, frames)
        after = env.hub_usage()
        phase.faults = report.frames
        phase.board_equals_replay = (await audit(env.hub, env.store, {})).board_equals_replay
        phase.extra = {**asdict(report), "before": before, "after": after, "ok": report.ok}
    finally:
        env.close()
        phase.tracebacks = env.tracebacks()
        phase.seconds = round(time.monotonic() - t0, 1)
    return phase


def table(phases: list[Phase]) -> str:
    lines = [
        "| phase | faults | acked | in ledger | missing | wrong seq | board = replay "
        "| tracebacks | s |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for p in phases:
        lines.append(
            f"| {p.name} | {p.faults} | {p.acked} | {p.in_ledger} | {len(p.missing)} "
            f"| {len(p.wrong_seq)} | {'yes' if p.board_equals_replay else '**no**'} "
            f"| {p.tracebacks} | {p.seconds} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="a small sample of each phase")
    ap.add_argument("--only", help="comma-separated phases (hub-sigkill, redis-sigkill, …, fuzz)")
    args = ap.parse_args()
    sizes = Sizes.quick() if args.quick else Sizes()
    only = set(args.only.split(",")) if args.only else None
    phases = asyncio.run(run(sizes, only))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    out = {"machine": machine(), "sizes": asdict(sizes), "phases": [asdict(p) for p in phases]}
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(table(phases))
    sys.exit(0 if all(p.ok for p in phases) else 1)


if __name__ == "__main__":
    main()
