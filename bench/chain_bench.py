"""Cost of the hash chain (issue 13): durable marks/s appended to SQLite with and without hashing.

    python3 bench/chain_bench.py [--marks 20000] [--batch 50] [--rounds 3]

Appends real mark events in batches (as the hub's group commit does, fsync each batch) to a fresh
ledger; "without" replaces the link computation with a constant, "with" is the chain as it is
(SHA-256 over the stored msgpack bytes), "json" the chain before (format 1: SHA-256 over canonical
JSON of the event; emulated here by decoding the stored bytes first, a few µs more than it cost).
Rounds alternate to share the machine's noise; the ratios are within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

import msgpack

from server.chain import legacy_link
from server.ledger import sqlite as sqlite_ledger
from server.ledger.sqlite import SQLiteLedger


def marks(n: int) -> list[tuple[str, dict[str, Any]]]:
    return [
        (
            f"weld-j{i % 3 + 1}:m{i}",
            {
                "kind": "mark",
                "id": f"m{i}",
                "program": "weld",
                "competitor": f"weld-{i % 40 + 1}",
                "aspect": f"A{i % 7 + 1}",
                "judge": f"weld-j{i % 3 + 1}",
                "value": str(i % 10),
                "ts": 1_796_000_000_000 + i,
                "device": "bench",
            },
        )
        for i in range(n)
    ]


CPU: dict[
    str, list[float]
] = {}  # mode → CPU µs per mark (process time: both threads, no fsync wait)


async def run(path: Path, items: list[tuple[str, dict[str, Any]]], batch: int) -> float:
    ledger = SQLiteLedger(f"sqlite:///{path}")
    await ledger.open()
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(items), batch):
        await ledger.append(items[i : i + batch])
    elapsed = time.perf_counter() - started
    CPU.setdefault(path.stem.rstrip("0123456789"), []).append(
        (time.process_time() - cpu) / len(items) * 1e6
    )
    await ledger.close()
    return len(items) / elapsed


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--marks", type=int, default=20000)
    p.add_argument("--batch", type=int, default=50)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()
    items = marks(args.marks)
    real_link = sqlite_ledger.link
    links: dict[str, Any] = {
        "without": lambda *a: "0" * 64,
        "with": real_link,
        "json": lambda prev, seq, key, body: legacy_link(prev, seq, key, msgpack.unpackb(body)),
    }
    results: dict[str, list[float]] = {m: [] for m in links}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            for mode, fn in links.items():
                sqlite_ledger.link = fn  # type: ignore[assignment]
                rate = asyncio.run(run(Path(tmp) / f"{mode}{r}.db", items, args.batch))
                results[mode].append(rate)
    sqlite_ledger.link = real_link  # type: ignore[assignment]
    best = {m: max(v) for m, v in results.items()}
    for m, v in results.items():
        print(
            f"{m:8} hashing: best {best[m]:8.0f} marks/s  (rounds: {', '.join(f'{x:.0f}' for x in v)})"
        )
    print(f"cost of hashing: {100 * (1 - best['with'] / best['without']):.1f} % of durable marks/s")
    print(f"cost of format 1 (JSON): {100 * (1 - best['json'] / best['without']):.1f} %")
    mid = {m: sorted(v)[len(v) // 2] for m, v in results.items()}
    print(
        f"median marks/s: without {mid['without']:.0f}, with {mid['with']:.0f} "
        f"({100 * (1 - mid['with'] / mid['without']):.1f} % lower), json {mid['json']:.0f}"
    )
    med = {m: sorted(v)[len(v) // 2] for m, v in CPU.items()}
    for m, v in med.items():
        print(f"{m:8} CPU per durable mark (median of rounds): {v:6.1f} µs")
    print(
        f"hashing costs {med['with'] - med['without']:.1f} µs of CPU a mark "
        f"(format 1: {med['json'] - med['without']:.1f} µs)"
    )


if __name__ == "__main__":
    main()
