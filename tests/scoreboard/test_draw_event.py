"""The draw as a ledger event (issue 15): the core re-derives it and refuses what differs."""

from __future__ import annotations

import dataclasses

import pytest

from scoreboard import DrawMade, EventRefused, Scoreboard, event_from_dict, event_to_dict
from scoreboard.program.drawing import derive
from tests.scoreboard.comp_builders import board, mark, program

HEAD = "ab" * 32
ASPECTS = [{"id": "a", "type": "measurement", "max": "10"}]


def drawn(sb: Scoreboard, seed_input: str, head: str = HEAD, **kw: str) -> DrawMade:
    prog = sb.competition.programs["p"]
    r = derive(prog, seed_input, head)
    return DrawMade(
        kw.pop("id", "d1"), "p", kw.pop("author", "C"), 0, seed_input, 7, head,
        r.stations, r.order, r.codes, **kw,
    )  # fmt: skip


def test_a_draw_is_recorded_and_replays_identically() -> None:
    sb = board(program("p", ASPECTS, n=12))
    event = drawn(sb, "4729")
    sb.apply(event)
    state = sb.programs["p"]
    assert state.draw == event and state.draws == 1
    assert sorted(event.stations) == sorted(state.program.competitors)
    assert len(set(event.codes)) == 12
    # the ledger's form (a dict, lists for tuples) replays to the same draw on a new board
    body = event_to_dict(event)
    again = Scoreboard(sb.competition)
    again.apply(event_from_dict({**body, "stations": list(body["stations"])}))
    assert again.programs["p"].draw == event
    # a different seed input gives a different draw
    other = drawn(sb, "4730", id="d2", reason="the supervisor's envelope was opened early")
    assert other.stations != event.stations or other.order != event.order
    assert other.codes != event.codes


def test_a_recorded_result_that_its_seed_does_not_give_is_refused() -> None:
    sb = board(program("p", ASPECTS, n=6))
    good = drawn(sb, "4729")
    swapped = (good.stations[1], good.stations[0], *good.stations[2:])
    for bad in (
        dataclasses.replace(good, stations=swapped),
        dataclasses.replace(good, order=tuple(reversed(good.order))),
        dataclasses.replace(good, codes=("AAAA", *good.codes[1:])),
        dataclasses.replace(good, seed_input="4728"),
        dataclasses.replace(good, head_hash="cd" * 32),
    ):
        with pytest.raises(EventRefused) as e:
            sb.apply(bad)
        assert e.value.code == "draw_mismatch"
    assert sb.programs["p"].draw is None


def test_a_redraw_needs_a_reason_and_no_draw_after_the_first_mark() -> None:
    sb = board(program("p", ASPECTS, n=6))
    sb.apply(drawn(sb, "1"))
    with pytest.raises(EventRefused) as e:
        sb.apply(drawn(sb, "2", id="d2"))
    assert e.value.code == "reason_required"
    sb.apply(drawn(sb, "2", id="d3", reason="a competitor withdrew before the start"))
    assert sb.programs["p"].draws == 2 and sb.programs["p"].draw.seed_input == "2"  # type: ignore[union-attr]
    sb.apply(mark("p", "p-1", "a", "J1", "1"))
    with pytest.raises(EventRefused) as e:
        sb.apply(drawn(sb, "3", id="d4", reason="again"))
    assert e.value.code == "marking_started"


def test_only_the_chief_draws_and_a_seed_input_is_needed() -> None:
    sb = board(program("p", ASPECTS, n=4))
    with pytest.raises(EventRefused) as e:
        sb.apply(drawn(sb, "1", author="J1"))
    assert e.value.code == "wrong_role"
    with pytest.raises(EventRefused) as e:
        sb.apply(drawn(sb, " "))
    assert e.value.code == "seed_input_required"
    with pytest.raises(EventRefused) as e:
        event_from_dict({**event_to_dict(drawn(sb, "1")), "stations": "p-1 p-2"})
    assert e.value.code == "invalid_event"
