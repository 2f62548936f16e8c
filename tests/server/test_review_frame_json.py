"""Review of issue 17's fifth pass (server/frame_json.py): one long-lived cache (as the hub's
``FRAMES`` is) never serves a stale aspect entry after a correction, a withdrawal, a lock and an
unlock: every delta and every snapshot is ``encode_json``'s text, event after event."""

from __future__ import annotations

import random
from typing import Any

from bench.realscale import Size, competition, marks
from scoreboard import EventRefused, Scoreboard, load_competition
from scoreboard.events import Locked, MarkSubmitted, MarkWithdrawn, Unlocked
from server.codec import encode_json
from server.frame_json import _PLACE, FrameJson


def test_corrections_withdrawals_locks_and_unlocks_never_serve_a_kept_entry_stale() -> None:
    doc = competition(Size(programs=3, worldskills=2, competitors=40, judges=14))
    board = Scoreboard(load_competition(doc))
    chiefs = {j["assignments"][0]["program"]: j["id"] for j in doc["judges"] if j.get("role")}
    fj = FrameJson()
    rng = random.Random(7)
    done: list[tuple[str, dict[str, Any]]] = []
    kinds: dict[str, int] = {}
    channels: set[str] = set()

    def apply(e: Any) -> None:
        try:
            updates = board.apply(e)
        except EventRefused:
            return
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
        for u in updates:
            f = {"type": "delta", "channel": u.channel, **u.delta}
            channels.add(u.channel)
            assert fj.encode(f) == encode_json(f), (e, u.channel)

    for i, (j, f) in enumerate(marks(doc)):
        if i == 600:
            break
        apply(MarkSubmitted(f"m{i}", f["program"], f["competitor"], f["aspect"], j, f["value"], i))
        done.append((j, f))
        r = rng.random()
        pj, pf = rng.choice(done)
        if r < 0.15:  # a correction: the same judge, competitor and aspect, another value
            value = str(rng.choice(["0", "1", "2", "3"]))
            apply(
                MarkSubmitted(f"c{i}", pf["program"], pf["competitor"], pf["aspect"], pj, value, i)
            )
        elif r < 0.25:
            apply(MarkWithdrawn(f"w{i}", pf["program"], pf["competitor"], pf["aspect"], pj, i))
        elif r < 0.32:
            chief = chiefs[pf["program"]]
            apply(Locked(f"l{i}", pf["program"], pf["competitor"], chief, i))
            if rng.random() < 0.5:  # a mark refused while locked, then the unlock
                apply(
                    MarkSubmitted(
                        f"x{i}", pf["program"], pf["competitor"], pf["aspect"], pj, "1", i
                    )
                )
            apply(Unlocked(f"u{i}", pf["program"], pf["competitor"], chief, i, "review"))
        if i % 50 == 0:  # snapshots interleaved with the deltas
            for ch in sorted(channels):
                snap = {"type": "snapshot", "channel": ch, "version": 1, "data": board.snapshot(ch)}
                assert fj.encode(snap) == encode_json(snap), ch
    assert all(kinds.get(k, 0) > 10 for k in ("mark", "withdraw", "lock", "unlock")), kinds
    assert fj.encoded < sum(kinds.values()) * 30  # the cache was used, not bypassed


def test_an_entry_holding_a_later_rows_placeholder_is_not_spliced_twice() -> None:
    """The frame's own text is checked for placeholders, but a kept entry's JSON is spliced in
    before the next placeholder is replaced: an entry holding that placeholder's text (a judge
    id from the competition file is not checked for control characters) took its piece."""
    fj = FrameJson()
    trap = {"value": None, "marks": {_PLACE.format(1): "1"}}
    frame = {
        "type": "delta",
        "rows": [{"aspects": {"A1": trap}}, {"aspects": {"A1": {"value": "2.00"}}}],
    }
    assert fj.encode(frame) == encode_json(frame)
