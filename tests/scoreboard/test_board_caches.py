"""The board's caches show what a board made afresh shows (issue 11, speed).

A program channel's rows and header are kept from what changed (``board/row_cache.py``, the
header cache in ``board/leaderboards.py``): after every event, each program channel must show
what new leaderboards, made from the same state with nothing remembered, show. Random event
streams (marks, withdrawals, statuses, locks, sign-offs, visibility), random lifecycle
procedures (stages, reviews, appeals, corrections), and the benchmark's programs marked in
both orders.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.scoreboard_bench import competition
from scoreboard import EventRefused, Scoreboard, load_competition
from scoreboard.board.channels import AUDIENCES, PUBLIC, program_channel
from scoreboard.board.leaderboards import Leaderboards
from scoreboard.events import Event
from scoreboard.model import Visibility
from scoreboard.views import View
from server.simulate import simulated_marks
from tests.scoreboard.lifecycle_kit import (
    HOUR,
    AppealFiled,
    AppealRuled,
    Finalised,
    MarkCorrected,
    make,
    mark_all,
    sign_all,
)
from tests.scoreboard.test_lifecycle import in_publication
from tests.scoreboard.test_lifecycle_properties import N, step
from tests.scoreboard.test_properties import EVENTS, SETTINGS, START, build


def afresh(sb: Scoreboard) -> dict[str, dict[str, Any]]:
    """Every program channel as new leaderboards show the board's state (a frozen public board
    shows the past: left out)."""
    boards = Leaderboards()
    out = {}
    for pid, state in sb.programs.items():
        for audience in AUDIENCES:
            if audience == PUBLIC and state.visibility is Visibility.FROZEN:
                continue
            channel = program_channel(pid, audience)
            boards.views[channel] = View(dict(sb.views[channel].header))
            boards.refresh(state, audience, set(state.program.competitors))
            out[channel] = _shown(boards.views[channel].snapshot())
    return out


def _shown(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snapshot.items() if k != "version"}


def held(sb: Scoreboard) -> dict[str, dict[str, Any]]:
    return {ch: _shown(sb.snapshot(ch)) for ch in afresh(sb)}


def apply_all(sb: Scoreboard, events: list[Event]) -> int:
    """Apply ``events``, checking the board against a fresh one after each; how many applied."""
    applied = 0
    for e in events:
        try:
            sb.apply(e)
        except EventRefused:
            continue
        applied += 1
        assert held(sb) == afresh(sb), e
    return applied


@SETTINGS
@given(START, EVENTS)
def test_random_events_show_what_a_fresh_board_shows(start: str, events: list[Event]) -> None:
    apply_all(build(start), events)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_lifecycle_procedures_show_what_a_fresh_board_shows(data: st.DataObject) -> None:
    sb = make(n=N, review_top=2, review_share="25%", error_threshold="0%", appeal_window="1h")
    mark_all(sb, N, skip=((2, "J1"),))
    sign_all(sb, N)
    assert held(sb) == afresh(sb)
    ts = 100
    for i in range(data.draw(st.integers(10, 60))):
        ts += data.draw(st.sampled_from([1, 60_000, 3_600_000]))
        e = step(data, sb, i, ts)
        apply_all(sb, [e])


def test_appeals_and_corrections_show_what_a_fresh_board_shows() -> None:
    """Events that change only the header (an appeal filed or ruled): its cache must see them."""
    sb = in_publication(appeals_public=True)
    end = 1000 + 2 * HOUR
    events: list[Event] = [
        AppealFiled("ap1", "p", "p-2", "J2 marked another piece", "LDL", 2000),
        AppealFiled("ap2", "p", "p-1", "A1 was 9", "LSY", 2001, aspect="A1"),
        AppealRuled("r1", "p", "ap2", "dismissed", "the sheet says 3", "X", 2002),
        AppealRuled("r2", "p", "ap1", "upheld", "J2 marked bib 3's piece", "X", 3000),
        MarkCorrected("c1", "p", "p-2", "A1", "J2", "10", "upheld: ap1", "C", 3001, appeal="ap1"),
        Finalised("f", "p", end),
    ]
    assert apply_all(sb, events) == len(events)


def test_the_benchmark_programs_show_what_a_fresh_board_shows() -> None:
    for shape in ("plain", "worldskills"):
        comp = load_competition(competition(8, 6, shape, 3))
        marks = simulated_marks(comp, 3)
        index = {cid: i for i, cid in enumerate(comp.programs["big"].competitors)}
        for order in (marks, sorted(marks, key=lambda m: index[m.competitor])):
            sb = Scoreboard(comp)
            assert apply_all(sb, list(order)) == len(order)
