"""A delta's ``ranks`` (issue 11, fifth pass): a row whose rank alone changed is sent as its id
and new rank, not as the whole row (``RowCache.changed_rows``, ``View.update``'s ``moved``).

Held to what it stands for on the benchmark's program marked in both orders: every delta brings
the previous snapshot to the new one; each ``ranks`` entry names a row the previous snapshot
holds, not also sent whole, whose new row is the old one with that rank and nothing else
changed; the rows kept are what a board made afresh shows (``test_board_caches``); and the
form is used on both program channels. A program under codes never gets it
(the hub rewrites its jury deltas by code, ``server/jury_codes.py``).
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.scoreboard_bench import competition
from scoreboard import Scoreboard, apply_delta, load_competition
from scoreboard.views import View, row_id
from server.simulate import simulated_marks
from tests.scoreboard.test_board_caches import afresh, held


def _runs(n: int = 14) -> list[tuple[Scoreboard, list[Any]]]:
    comp = load_competition(competition(n, 6, "plain", 3))
    marks = simulated_marks(comp, 5)
    index = {cid: i for i, cid in enumerate(comp.programs["big"].competitors)}
    by_competitor = sorted(marks, key=lambda m: index[m.competitor])
    return [(Scoreboard(comp), list(marks)), (Scoreboard(comp), by_competitor)]


@pytest.mark.parametrize("order", [0, 1], ids=["aspect order", "competitor order"])
def test_a_rank_alone_is_sent_as_its_rank(order: int) -> None:
    sb, marks = _runs()[order]
    channels = ["program:big", "program:big:jury"]
    used = dict.fromkeys(channels, 0)
    for m in marks:
        before = {ch: sb.snapshot(ch) for ch in channels}
        for u in sb.apply(m):
            if u.channel not in used:
                continue
            now = sb.snapshot(u.channel)
            assert apply_delta(before[u.channel], u.delta) == now
            was = {row_id(r): r for r in before[u.channel]["rows"]}
            after = {row_id(r): r for r in now["rows"]}
            whole = {row_id(r) for r in u.delta["rows"]}
            for rid, rank in u.delta.get("ranks", {}).items():
                assert rid in was and rid not in whole, (u.channel, rid)
                assert was[rid]["rank"] != rank, (u.channel, rid)  # it changed
                assert after[rid] == {**was[rid], "rank": rank}, (u.channel, rid)  # alone
                used[u.channel] += 1
        assert held(sb) == afresh(sb)  # and the rows it keeps are what a fresh board shows
    assert all(count > 20 for count in used.values()), used


def test_a_program_under_codes_gets_whole_rows() -> None:
    from tests.scoreboard.comp_builders import board, mark, program
    from tests.scoreboard.test_draw_event import drawn

    aspects = [{"id": "a", "type": "score", "range": ["0", "10"], "step": "1"}]
    sb = board(program("p", aspects, n=6, anonymous=True, visibility="hidden"))
    events = [drawn(sb, "77")]
    for step in range(1, 7):  # each competitor in turn passes the others: ranks move
        events += [mark("p", f"p-{i}", "a", "J1", str(step + (i == step) * 3)) for i in range(1, 7)]
    sent = 0
    for event in events:
        for u in sb.apply(event):
            assert "ranks" not in u.delta, u.channel
            sent += len(u.delta.get("rows", ()))
    assert sent > 30


def test_a_rank_of_a_row_not_held_is_a_gap() -> None:
    view = View({"program": "p"})
    view.update([{"competitor": {"id": "a"}, "rank": 1}], ["a"])
    snap = view.snapshot()
    with pytest.raises(ValueError, match="not a row"):
        apply_delta(snap, {"from": snap["version"], "version": 2, "rows": [], "ranks": {"b": 2}})
