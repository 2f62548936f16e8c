"""A client that knows only protocol 1's delta (no ``ranks``) keeps an exact board: every delta,
turned into the old shape (``old_shape``: the rows of ``ranks`` whole), brings the last snapshot
to the next on every channel, and so does a resume from any version the history holds, in both
shapes (review of core5, issue 11's fifth pass). Random streams of ``test_properties``: a
standardised program with a guest, a timed one with dense ranks, one with standard ranks;
marks, withdrawals, statuses, locks and visibility (frozen and hidden boards)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoreboard import Scoreboard, apply_delta, load_competition, old_shape
from scoreboard.events import Event
from scoreboard.views import Delta, View
from tests.scoreboard.comp_builders import competition, competitors, program
from tests.scoreboard.test_board_caches import afresh, held
from tests.scoreboard.test_properties import (
    EVENTS,
    SETTINGS,
    START,
    _mark,
    _status,
    _visibility,
    build,
    run,
    wire,
)

SEEN = {"ranks": 0}


def protocol_1(snapshot: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """What a client from before ``ranks`` does: applies the fields it knows, nothing else."""
    assert "ranks" not in delta
    known = {
        k: delta[k] for k in ("from", "version", "rows", "order", "removed", "header") if k in delta
    }
    return apply_delta(snapshot, known)


@SETTINGS
@given(START, EVENTS)
def test_old_shape_deltas_keep_an_old_client_exact(start: str, events: list[Event]) -> None:
    sb = build(start)
    first = {ch: wire(sb.snapshot(ch)) for ch in sb.channels()}
    old = dict(first)

    def each(_: Event, updates: list[Any]) -> None:
        for u in updates:
            SEEN["ranks"] += bool(u.delta.get("ranks"))
            old[u.channel] = protocol_1(old[u.channel], wire(old_shape(u.delta)))
        for ch in sb.channels():
            assert old[ch] == wire(sb.snapshot(ch)), ch

    run(sb, events, each)
    for ch in sb.channels():  # a resume from each version the history holds, in both shapes
        now = wire(sb.snapshot(ch))
        deltas = sb.deltas_since(ch, 0) or []
        boards = {"old": first[ch], "new": first[ch]}
        for k, d in enumerate(deltas):
            boards = {
                "old": protocol_1(boards["old"], wire(old_shape(d))),
                "new": apply_delta(boards["new"], wire(d)),
            }
            assert boards["old"] == boards["new"], (ch, k)
        assert boards["old"] == now == boards["new"], ch


@st.composite
def ranked_streams(draw: st.DrawFn) -> tuple[Scoreboard, list[Event]]:
    """One program of 8 on two scores, in every tie mode, with or without a tolerance, guests,
    medals, standardisation, a frozen or hidden start; marks that keep passing each other
    (ranks move alone), statuses and visibility changes among them."""
    ranking: dict[str, Any] = {
        "mode": draw(st.sampled_from(["standard", "dense", "ordinal", "unique"]))
    }
    if draw(st.booleans()):
        ranking["tolerance"] = "1"
    comps = competitors(8)
    for i in draw(st.sets(st.integers(0, 7), max_size=2)):
        comps[i]["guest"] = True
    extra: dict[str, Any] = {}
    if draw(st.booleans()):
        extra["awards"] = [{"type": "medals", "awards": ["gold", "silver", "bronze"]}]
    if draw(st.integers(0, 4)) == 0:
        extra["standardisation"] = {"centre": "500", "factor": "20", "spread": "sd", "places": 1}
    aspects = [{"id": a, "type": "score", "range": ["0", "20"], "step": "1"} for a in ("S", "T")]
    visibility = draw(st.sampled_from(["live", "live", "frozen", "hidden"]))
    prog = program("p", aspects, n=8, ranking=ranking, visibility=visibility, **extra)
    prog["competitors"] = comps
    sb = Scoreboard(load_competition(competition(prog, judges=2)))
    cids = [f"p-{i}" for i in range(1, 9)]
    one = st.one_of(
        st.builds(
            lambda c, a, v: _mark("p", c, a, "J1", str(v)),
            st.sampled_from(cids),
            st.sampled_from(["S", "S", "T"]),
            st.integers(0, 20),
        ),
        st.builds(
            lambda c, x: _status("p", c, x, "C"),
            st.sampled_from(cids),
            st.sampled_from(["ok", "DNS", "DSQ"]),
        ),
        st.builds(
            lambda v: _visibility("p", v, "C"), st.sampled_from(["live", "frozen", "hidden"])
        ),
    )
    makers = draw(st.lists(one, min_size=10, max_size=60))
    return sb, [f(i) for i, f in enumerate(makers)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranked_streams())
def test_old_shape_on_streams_where_ranks_move(stream: tuple[Scoreboard, list[Event]]) -> None:
    sb, events = stream
    first = {ch: wire(sb.snapshot(ch)) for ch in sb.channels()}
    old, new = dict(first), dict(first)

    def each(_: Event, updates: list[Any]) -> None:
        for u in updates:
            SEEN["ranks"] += bool(u.delta.get("ranks"))
            old[u.channel] = protocol_1(old[u.channel], wire(old_shape(u.delta)))
            new[u.channel] = apply_delta(new[u.channel], wire(u.delta))
        for ch in sb.channels():
            assert old[ch] == wire(sb.snapshot(ch)) == new[ch], ch

    run(sb, events, each)
    assert held(sb) == afresh(sb)  # and the rows kept are what a full recount shows
    for ch in sb.channels():
        board = first[ch]
        for d in sb.deltas_since(ch, 0) or []:
            board = protocol_1(board, wire(old_shape(d)))
        assert board == wire(sb.snapshot(ch)), ch


def test_the_streams_send_ranks() -> None:
    """(after the property tests: they did see deltas with ``ranks``, so they tried them)"""
    if SEEN["ranks"] == 0:
        pytest.skip("run with the property tests above")
    assert SEEN["ranks"] > 0  # (typically 15-60 deltas with ranks in 80 examples)


def test_a_delta_with_ranks_but_not_their_rows_is_refused_clearly() -> None:
    view = View({"program": "p"})
    view.update([{"competitor": {"id": "a"}, "rank": 1}], ["a"])
    moved_row = {"competitor": {"id": "a"}, "rank": 2}
    d = view.update(moved=({"a": moved_row}, {"a": 2}))
    assert (
        isinstance(d, Delta) and old_shape(d)["rows"] == [moved_row] and "ranks" not in old_shape(d)
    )
    with pytest.raises(ValueError, match="does not hold the rows"):
        old_shape(dict(d))  # a plain copy (JSON) lost them: never silently send it short
