"""server/frame_json.py: the kept aspect entries are bounded by their size, not only by count.

A mark replaces one entry of its row (copy on write); the old entry then lives only in the cache,
until evicted. Kept up to 100,000 of them, as before this bound, a real-scale event's entries
held ~135 MB; here stale entries of a jury row's shape (each judge's mark, the spread) fill the
cache far past its byte budget, and what the cache holds, measured by tracemalloc, stays within it.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

from server.codec import encode_json
from server.frame_json import FrameJson, cost


def entry(i: int) -> dict[str, Any]:
    # fresh objects each time (the worst case: nothing shared with the board)
    return {
        "value": f"{i % 97}.{i % 100:02d}",
        "state": "complete" if i % 3 else "pending",
        "marks": {f"judge-{j:03d}": f"{(i + j) % 10}.{j}0" for j in range(5)},
        "spread": f"{i % 7}.00",
        "disagreement": bool(i % 2),
    }


def fill(fj: FrameJson, n: int) -> None:
    """``n`` marks on one 24-aspect row: each replaces an entry; the old one is dropped."""
    aspects = {f"A{a}": entry(a) for a in range(24)}
    for i in range(n):
        aspects = {**aspects, f"A{i % 24}": entry(i)}
        frame = {"type": "delta", "channel": "program:x:jury", "rows": [{"aspects": aspects}]}
        text = fj.encode(frame)
        if i % 5000 == 0:
            assert text == encode_json(frame)


def held(budget: int, n: int) -> tuple[int, FrameJson]:
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        fj = FrameJson(budget=budget)
        fill(fj, n)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - base, fj
    finally:
        tracemalloc.stop()


def test_stale_entries_are_held_within_the_byte_budget() -> None:
    budget = 8 << 20
    n = 30_000  # some 40 MiB of entries, were they all kept (under the 100,000 count)
    size, fj = held(budget, n)
    assert fj.bytes <= budget
    assert len(fj.entries) < n // 3, "entries evicted"
    assert sum(cost(t) for _, _, t in fj.entries.values()) == fj.bytes
    # the estimate is an upper bound of what is held: the budget bounds the memory
    assert size <= budget, f"{size / 2**20:.1f} MiB held for a budget of {budget / 2**20:.0f} MiB"


def test_the_recent_entries_stay_kept_when_the_older_half_goes() -> None:
    fj = FrameJson(budget=200 * cost('"A0":' + encode_json(entry(0))))
    aspects = {f"A{a}": entry(a) for a in range(24)}
    for i in range(2_000):
        aspects = {**aspects, f"A{i % 24}": entry(i)}
        frame = {"type": "delta", "rows": [{"aspects": aspects}]}
        assert fj.encode(frame) == encode_json(frame)
    before = fj.encoded
    frame = {"type": "delta", "rows": [{"aspects": aspects}]}
    fj.maps.clear()
    assert fj.encode(frame) == encode_json(frame)
    assert fj.encoded == before, "the row's current entries were all kept"


def test_entries_still_in_a_row_outlive_stale_ones_however_old() -> None:
    """The first row's entries, still held (by this test, as the row cache holds a row's), stay
    kept through evictions, while the stale entries of another row that is marked go."""
    first = {f"A{a}": entry(a) for a in range(24)}
    fj = FrameJson(budget=4 * 24 * cost('"A0":' + encode_json(entry(0))))
    fj.encode({"type": "delta", "rows": [{"aspects": first}]})
    other = {f"A{a}": entry(a) for a in range(24)}
    for i in range(500):
        other = {**other, f"A{i % 24}": entry(1000 + i)}
        fj.encode({"type": "delta", "rows": [{"aspects": other}]})
    assert len(fj.entries) < 4 * 24, "evicted"
    assert all(id(e) in fj.entries for e in first.values())
