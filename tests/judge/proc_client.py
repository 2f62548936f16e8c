"""A judge's workstation as a process the tests can SIGKILL: ``python -m tests.judge.proc_client``.

It makes ``--n`` marks in all (counting those already in the outbox, so a restart carries
on where the killed run stopped), queues each in the outbox, and waits until all are answered.
Mark ``i`` is ``weld-{i % 6 + 1} B1 = plan_value(i)``: the same cells are marked again and
again, so the order in which the hub records them decides the final values.
"""

from __future__ import annotations

import argparse
import asyncio

from judge_client.client import JudgeClient


def plan_value(i: int) -> str:
    return str((i * 7 % 21) / 2).removesuffix(".0")


def plan(i: int) -> dict[str, str]:
    return {
        "program": "weld",
        "competitor": f"weld-{i % 6 + 1}",
        "aspect": "B1",
        "value": plan_value(i),
    }


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--hub", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--outbox", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--pace", type=float, default=0.004, help="seconds between two new marks")
    args = p.parse_args()
    async with JudgeClient(args.hub, args.token, args.outbox, backoff=(0.1, 1.0)) as judge:
        counts = judge.outbox.counts()
        made = sum(counts.values())
        print(f"resuming with {made} mark(s) made, {counts['pending']} pending", flush=True)
        for i in range(made, args.n):
            judge.enqueue_mark(**plan(i))
            await asyncio.sleep(args.pace)
        await judge.drain(60)
        print("drained", judge.outbox.counts(), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
