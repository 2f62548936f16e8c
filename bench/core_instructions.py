"""Instructions per ``Scoreboard.apply``, counted by callgrind: repeatable on a shared machine.

CPU time moves with the load of whoever else runs on the machine; an instruction count does
not. The program of ``bench.scoreboard_bench`` is built and its simulated marks made twice
under ``valgrind --tool=callgrind``: once without applying them, once applying them; the
difference of the two counts over the marks is one ``Scoreboard.apply`` (deltas included)::

    python3 -m bench.core_instructions 200 60 plain 5 aspect       # about 6 minutes
    python3 -m bench.core_instructions 100 12 plain 5 aspect       # about 30 s
    python3 -m bench.core_instructions 40 20 worldskills 3 aspect

(N, aspects, shape, judges, order). ``PYTHONHASHSEED=0`` for both runs: set iteration
orders, and so the counts, are then the same from run to run. ``--inner`` is the measured
process itself (what valgrind runs).
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import subprocess
import sys
import tempfile

from bench.scoreboard_bench import competition
from scoreboard import Scoreboard, load_competition
from server.simulate import simulated_marks


def inner(n: int, aspects: int, shape: str, judges: int, order: str, apply: bool) -> int:
    comp = load_competition(competition(n, aspects, shape, judges))
    marks = simulated_marks(comp, 1)
    if order == "competitor":
        index = {cid: i for i, cid in enumerate(comp.programs["big"].competitors)}
        marks = sorted(marks, key=lambda m: index[m.competitor])
    board = Scoreboard(comp)
    gc.collect()
    gc.freeze()  # as bench.scoreboard_bench: the harness's input is no part of a hub's heap
    if apply:
        for m in marks:
            board.apply(m)
    return len(marks)


def counted(args: list[str]) -> tuple[int, int]:
    """(instructions, marks) of one run under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={tmp}/out",
            sys.executable,
            "-m",
            "bench.core_instructions",
            "--inner",
            *args,
        ]
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise SystemExit(f"no count in callgrind's output:\n{run.stderr}")
    return int(found.group(1)), int(run.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("aspects", type=int)
    parser.add_argument("shape", choices=["plain", "worldskills"])
    parser.add_argument("judges", type=int)
    parser.add_argument("order", choices=["aspect", "competitor"])
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--apply", action="store_true", help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.inner:
        print(inner(a.n, a.aspects, a.shape, a.judges, a.order, a.apply))
        return
    spec = [str(a.n), str(a.aspects), a.shape, str(a.judges), a.order]
    built, _ = counted(spec)
    applied, marks = counted([*spec, "--apply"])
    print(
        f"{' '.join(spec)}: {marks} marks, {built:,} instructions to build, {applied:,} to "
        f"build and apply: {(applied - built) // marks:,} per mark"
    )


if __name__ == "__main__":
    main()
