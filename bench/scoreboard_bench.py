"""Scoring core throughput: marks applied per second through ``Scoreboard.apply`` (issue 2).

One large program (200 competitors x 60 aspects, a panel of 5 judges on every
aspect: 60,000 marks) is built in code, marked in full by the simulated judges
(``server.simulate``) and timed mark by mark on one core: each ``apply``
validates the mark, rescores, re-ranks, recomputes awards and produces the
deltas of every channel it changes. Then the same for 50, 100, 200 and 400
competitors, to show how the cost of one mark grows with the field.

    python3 -m bench.scoreboard_bench            # the full run (a few minutes)
    python3 -m bench.scoreboard_bench --quick    # 12 aspects instead of 60

Two program shapes are measured: ``plain`` (total, a tie-break criterion,
medals and a threshold award) and ``worldskills`` (the same, standardised on
a 700 centre with the Medallion on the standardised score: every completed
aspect moves everyone's standardised score, so every row changes).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
from typing import Any

from scoreboard import Scoreboard, load_competition
from scoreboard.model import Competition
from server.simulate import simulated_marks

CRITERION_IDS = "ABCDEFGHIJ"
JUDGES = 5


def competition(
    n: int, aspects: int = 60, shape: str = "plain", judges: int = JUDGES
) -> dict[str, Any]:
    """A competition file's data: one program, ``n`` competitors, ``aspects`` aspects, panels of
    ``judges``."""
    per = -(-aspects // len(CRITERION_IDS))  # aspects per criterion, rounded up
    criteria = []
    made = 0
    for c in CRITERION_IDS:
        items = []
        for i in range(per):
            if made == aspects:
                break
            made += 1
            aid = f"{c}{i + 1}"
            kind = i % 3
            if kind == 0:  # WorldSkills judgement, scores at most 1 apart
                items.append(
                    {
                        "id": aid,
                        "type": "judgement",
                        "max": "2.00",
                        "panel": judges,
                        "aggregation": "mean",
                        "agreement": {"tolerance": "1"},
                    }
                )
            elif kind == 1:  # five judges, highest and lowest dropped
                items.append(
                    {
                        "id": aid,
                        "type": "score",
                        "range": ["0", "2"],
                        "step": "0.1",
                        "panel": judges,
                        "aggregation": "trimmed",
                        "trim": 1,
                    }
                )
            else:  # measured by every judge, the median counts
                items.append(
                    {
                        "id": aid,
                        "type": "measurement",
                        "max": "2.00",
                        "panel": judges,
                        "aggregation": "median",
                    }
                )
        if items:
            criteria.append({"id": c, "aspects": items})
    awards: list[dict[str, Any]] = [{"type": "medals", "awards": ["gold", "silver", "bronze"]}]
    program: dict[str, Any] = {
        "id": "big",
        "places": 2,
        "rounding": "aspect",
        "ranking": {"keys": ["total desc", "criterion:A desc"], "mode": "standard"},
        "criteria": criteria,
        "competitors": [
            {
                "bib": str(i + 1),
                "name": {"zh": f"选手{i + 1}", "en": f"Competitor {i + 1}"},
                "delegation": f"D{i % 10}",
            }
            for i in range(n)
        ],
    }
    if shape == "worldskills":
        program["standardisation"] = {"centre": "700", "factor": "50", "spread": "sd"}
        awards.append(
            {"type": "threshold", "award": "medallion", "key": "standardised", "min": "700"}
        )
    else:
        awards.append(
            {"type": "threshold", "award": "medallion", "key": "total", "min": str(aspects)}
        )
    program["awards"] = awards
    panel = [
        {"id": f"J{j + 1}", "delegation": f"X{j}", "assignments": [{"program": "big"}]}
        for j in range(judges)
    ]
    panel.append(
        {"id": "chief", "delegation": "X9", "role": "chief", "assignments": [{"program": "big"}]}
    )
    return {
        "id": "bench",
        "delegations": [{"code": f"D{i}"} for i in range(10)]
        + [{"code": f"X{i}"} for i in range(10)],
        "programs": [program],
        "judges": panel,
    }


def run(
    n: int, aspects: int, shape: str, order: str = "aspect", seed: int = 1, judges: int = JUDGES
) -> dict[str, Any]:
    comp: Competition = load_competition(competition(n, aspects, shape, judges))
    marks = simulated_marks(comp, seed)  # aspect by aspect, each across the whole field
    if order == "competitor":  # each competitor's whole marking sheet, one competitor after another
        index = {cid: i for i, cid in enumerate(comp.programs["big"].competitors)}
        marks = sorted(marks, key=lambda m: index[m.competitor])  # stable: panels keep their order
    board = Scoreboard(comp)
    apply = board.apply
    # CPU time of this thread: the machine may be shared, and the core is what we measure
    clock = time.thread_time_ns
    costs = []
    updates = rows = 0
    gc.collect()
    # the harness's own input (the competition, every mark of the run) is no part of a hub's
    # heap: frozen, the collector does not walk it; the board's objects are collected as usual
    gc.freeze()
    start_wall = time.perf_counter()
    start = clock()
    for m in marks:
        t0 = clock()
        out = apply(m)
        costs.append(clock() - t0)
        updates += len(out)
        rows += sum(len(u.delta.get("rows", ())) for u in out)
    cpu = (clock() - start) / 1e9
    wall = time.perf_counter() - start_wall
    gc.unfreeze()
    state = board.programs["big"]
    assert all(not r.provisional for r in state.results.values()), (
        "the simulated marking left a panel open"
    )
    applying = sum(costs) / 1e9  # apply alone, without the loop's own bookkeeping
    costs.sort()
    return {
        "n": n,
        "aspects": aspects,
        "shape": shape,
        "order": order,
        "marks": len(marks),
        "cpu_s": applying,
        "loop_cpu_s": cpu,
        "wall_s": wall,
        "marks_per_s": len(marks) / applying,
        "us_per_mark": applying / len(marks) * 1e6,
        "p50_us": costs[len(costs) // 2] / 1e3,
        "p99_us": costs[int(len(costs) * 0.99)] / 1e3,
        "max_us": costs[-1] / 1e3,
        "updates": updates,
        "rows": rows,
    }


def machine() -> str:
    model = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()} ({sys.implementation.name})"


def line(r: dict[str, Any]) -> str:
    return (
        f"{r['shape']:<11} {r['order']:<10} {r['n']:>5} {r['aspects']:>7} {r['marks']:>8} {r['marks_per_s']:>10,.0f} "
        f"{r['us_per_mark']:>9.1f} {r['p50_us']:>8.1f} {r['p99_us']:>8.1f} {r['max_us']:>9.1f} "
        f"{r['rows'] / r['marks']:>9.1f} {r['wall_s']:>8.1f}"
    )


HEADER = "shape       order          N aspects    marks    marks/s   us/mark  p50 us   p99 us    max us  rows/mark   wall s"


def calibration() -> float:
    """CPU microseconds of a fixed pure-Python loop: compares runs on busy or different machines."""
    ids = [f"c{i}" for i in range(200)]
    keys = {c: ((0, -i // 3), (0, -i)) for i, c in enumerate(ids)}

    def loop() -> None:
        prev: object = None
        out = {}
        standard = 0
        for i, c in enumerate(ids):
            k = keys[c]
            if k != prev:
                standard, prev = i + 1, k
            out[c] = (standard, False)

    start = time.thread_time()
    for _ in range(2000):
        loop()
    return (time.thread_time() - start) / 2000 * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="12 aspects instead of 60")
    parser.add_argument(
        "--sizes", default="50,100,200,400", help="competitor counts for the scaling table"
    )
    parser.add_argument("--shapes", default="plain,worldskills", help="program shapes to run")
    parser.add_argument("--orders", default="aspect,competitor", help="marking orders to run")
    parser.add_argument("--aspects", type=int, help="aspects per program (default 60; 12 quick)")
    parser.add_argument("--judges", type=int, default=JUDGES, help="judges on every panel")
    args = parser.parse_args()
    aspects = args.aspects or (12 if args.quick else 60)
    judges = args.judges
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"# scoring core benchmark: {machine()}")
    print(
        f"# one process, one core; {judges} judges per aspect; CPU time of each Scoreboard.apply (deltas "
        "included); marks/s = marks / total CPU time of the applies; wall s = the whole marking, elapsed"
    )
    print(
        f"# main figure: N=200 x {aspects} aspects x {judges} judges = {200 * aspects * judges:,} marks "
        "(plus the simulated judges' occasional re-marks)"
    )
    print(
        f"# calibration loop: {calibration():.1f} us (27.8 on an idle 2-vCPU AMD EPYC, Python 3.11)"
    )
    print(HEADER, flush=True)
    for shape in args.shapes.split(","):
        for order in args.orders.split(","):
            for n in sizes:
                print(line(run(n, aspects, shape, order, judges=judges)), flush=True)
    print(f"# calibration loop: {calibration():.1f} us", flush=True)


if __name__ == "__main__":
    main()
