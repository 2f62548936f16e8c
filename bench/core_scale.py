"""The scoring core at the first user's scale: does a mark cost more with more programs?
(issue 11, issue 17)

    python3 -m bench.core_scale

The real-scale competition (``bench.realscale``: 108 programs) and the same cut to its
first 9 programs; every mark in the tablets' order through ``Scoreboard.apply``, timed on
the thread's CPU clock. Each board gets all of its own marks, then only the 9 programs'
marks: the same work on a board with 9 or with 108 programs.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from scoreboard import Scoreboard, load_competition
from scoreboard.events import MarkSubmitted

from .realscale import competition, marks


def cut(doc: dict[str, Any], k: int) -> tuple[dict[str, Any], set[str]]:
    """The competition with its first ``k`` programs and their judges."""
    progs = doc["programs"][:k]
    ids = {p["id"] for p in progs}
    judges = [j for j in doc["judges"] if j["assignments"][0]["program"] in ids]
    return {**doc, "programs": progs, "judges": judges}, ids


def main() -> None:
    doc = competition()
    events = [
        MarkSubmitted(f"m{i}", f["program"], f["competitor"], f["aspect"], j, f["value"], i)
        for i, (j, f) in enumerate(marks(doc))
    ]
    nine = cut(doc, 9)[1]
    for k in (9, 108):
        data, ids = cut(doc, k)
        comp = load_competition(data)
        streams = (
            ("all its marks", [e for e in events if e.program in ids]),
            ("the 9 programs' marks", [e for e in events if e.program in nine]),
        )
        for label, stream in streams:
            board = Scoreboard(comp)
            gc.collect()
            start = time.thread_time()
            for e in stream:
                board.apply(e)
            cpu = time.thread_time() - start
            print(
                f"{k:>3} programs, {label}: {len(stream)} marks, {len(stream) / cpu:,.0f} "
                f"marks/s, {cpu / len(stream) * 1e6:.0f} us/mark",
                flush=True,
            )


if __name__ == "__main__":
    main()
