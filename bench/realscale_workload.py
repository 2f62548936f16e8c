"""The real-scale run's workload: which channels the viewers watch, which marks a burst sends.

Viewers are a venue's mix of screens and phones: a fifth watch the overview, one in fifty the ticker, one in a hundred the jury overview (with a
chief's credential), one chief per program its program's jury channel (up to a twentieth of the
viewers), and the rest the programs' public leaderboards, spread evenly over the programs.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any


def subscriptions(doc: dict[str, Any], tokens: dict[str, str], n: int) -> list[tuple[str, str]]:
    """(channel, subscribe frame) for ``n`` viewers: a venue's mix of screens and phones."""
    programs = [p["id"] for p in doc["programs"]]
    chiefs = {j["assignments"][0]["program"]: j["id"] for j in doc["judges"] if j.get("role")}
    counts = {"overview": n // 5, "overview:jury": max(1, n // 100), "ticker": max(1, n // 50)}
    counts["jury"] = min(len(programs), n // 20)
    out: list[tuple[str, dict[str, Any]]] = []
    for ch in ("overview", "ticker"):
        out += [(ch, {"channel": ch})] * counts[ch]
    any_chief = tokens[next(iter(chiefs.values()))]
    out += [("overview:jury", {"channel": "overview:jury", "token": any_chief})] * counts[
        "overview:jury"
    ]
    for pid in programs[: counts["jury"]]:
        ch = f"program:{pid}:jury"
        out.append((ch, {"channel": ch, "token": tokens[chiefs[pid]]}))
    k = 0
    while len(out) < n:
        ch = f"program:{programs[k % len(programs)]}"
        out.append((ch, {"channel": ch}))
        k += 1
    random.Random(7).shuffle(out)
    # as the pages do (display/static/live.js): deltas may name a row whose rank alone moved
    sub = {"type": "subscribe", "features": ["ranks"]}
    return [(ch, json.dumps({**sub, **f})) for ch, f in out]


def burst(
    marks: list[tuple[str, dict[str, Any]]], remaining: list[int], total: int
) -> tuple[list[int], list[int]]:
    """Every marking judge's next marks, ``total`` in all (as evenly as the judges allow): the
    marks taken, and those left, both in tablet order."""
    quota = math.ceil(total / max(1, len({marks[k][0] for k in remaining})))
    per: dict[str, int] = {}
    taken: list[int] = []
    rest: list[int] = []
    for k in remaining:
        jid = marks[k][0]
        if len(taken) < total and per.get(jid, 0) < quota:
            per[jid] = per.get(jid, 0) + 1
            taken.append(k)
        else:
            rest.append(k)
    return taken, rest
