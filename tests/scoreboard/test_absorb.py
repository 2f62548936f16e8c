"""A long replay absorbs events without rows or deltas and settles once (issue 17): the views then
show exactly what applying the events one by one shows (the ticker apart: it is the history of
results as they came, which a hub rebuilds by applying the last events one by one)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoreboard import Event, EventRefused, Scoreboard
from scoreboard.board.channels import TICKER
from tests.scoreboard.test_properties import EVENTS, R_EVENTS, SETTINGS, START, build, wire


def shown(sb: Scoreboard) -> dict[str, Any]:
    """Every channel's snapshot but the ticker, without its version."""
    out = {}
    for ch in sb.channels():
        if ch != TICKER:
            snap = wire(sb.snapshot(ch))
            snap.pop("version")
            out[ch] = snap
    return out


def one_by_one(sb: Scoreboard, events: list[Event]) -> list[bool]:
    accepted = []
    for e in events:
        try:
            sb.apply(e)
            accepted.append(True)
        except EventRefused:
            accepted.append(False)
    return accepted


@SETTINGS
@given(START, EVENTS | R_EVENTS, st.integers(0, 40), st.integers(0, 3))
def test_absorbed_then_settled_shows_what_one_by_one_shows(
    start: str, events: list[Event], cut: int, settles: int
) -> None:
    live = build(start)
    accepted = one_by_one(live, events)
    fast = build(start)
    got = []
    absorbed, rest = events[:cut], events[cut:]
    for i, e in enumerate(absorbed):
        try:
            fast.absorb(e)
            got.append(True)
        except EventRefused:
            got.append(False)
        if settles and i % (settles + 1) == settles:
            fast.settle(i)  # settling more than once changes nothing either
    fast.settle(len(absorbed) + 7)
    versions = {ch: fast.version(ch) for ch in fast.channels()}
    assert all(v >= len(absorbed) + 7 for v in versions.values())
    got += one_by_one(fast, rest)  # then live again: deltas from the settled views
    assert got == accepted  # the same events accepted and refused
    assert shown(fast) == shown(live)
    for ch in fast.channels():  # no delta from a version held before the settle
        assert fast.deltas_since(ch, 0) is None or versions[ch] == 0
