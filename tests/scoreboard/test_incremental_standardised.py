"""Standardised programs ranked one competitor at a time (program/incremental.py) equal the
full ranking after every event: places, standardised scores, awards (a threshold on the
standardised score among them) and the overview's best (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoreboard import Scoreboard
from scoreboard.events import Event
from scoreboard.program import ProgramState
from tests.scoreboard.comp_builders import board, competitors, program
from tests.scoreboard.test_incremental_overview import check_overview
from tests.scoreboard.test_properties import (
    SCHEME,
    SETTINGS,
    _mark,
    _status,
    _withdraw,
    run,
)


def build(spread: str, places: int, mode: str) -> Scoreboard:
    comps = competitors(7)
    del comps[6]["delegation"]
    std = {"centre": "700", "factor": "50", "spread": spread, "places": places}
    return board(
        program(
            "w",
            criteria=SCHEME,
            competitors=comps,
            standardisation=std,
            ranking={"keys": ["total desc", "criterion:A desc"], "mode": mode},
            awards=[
                {"type": "medals", "awards": ["gold", "silver", "bronze"]},
                {"type": "threshold", "award": "medallion", "key": "standardised", "min": "660"},
                {"type": "threshold", "award": "merit", "key": "total", "min": "5"},
            ],
        ),
        judges=3,
    )


CIDS = st.sampled_from([f"w-{i}" for i in range(1, 8)])
SINGLE = st.sampled_from(
    [("S", v) for v in ("0", "2", "2.5", "9", "10")] + [("A2", v) for v in ("pass", "fail")]
)
PANEL_VALUES = {"A1": ["1", "2", "2", "3"], "B1": ["5", "6.5", "7", "10"]}
PANEL = st.tuples(
    st.sampled_from(["A1", "B1"]),
    CIDS,
    st.lists(st.integers(0, 3), min_size=3, max_size=3),
).map(
    lambda t: [
        _mark("w", t[1], t[0], f"J{j}", PANEL_VALUES[t[0]][v]) for j, v in enumerate(t[2], 1)
    ]
)
EVENT = st.one_of(
    *[st.builds(lambda c, av: _mark("w", c, av[0], "J1", av[1]), CIDS, SINGLE)] * 4,
    st.builds(lambda c, a: _withdraw("w", c, a, "J1"), CIDS, st.sampled_from(["S", "A2", "A1"])),
    st.builds(lambda c, s: _status("w", c, s, "C"), CIDS, st.sampled_from(["ok", "DNS", "DSQ"])),
)
EVENTS = st.lists(EVENT.map(lambda f: [f]) | PANEL, max_size=40).map(
    lambda groups: [f(i) for i, f in enumerate(f for g in groups for f in g)]
)


@pytest.mark.xfail(
    reason="known: the one-at-a-time standardised ranking once gave a medallion the full "
    "ranking did not (a CI run of 9a92380); the hub ranks standardised programs in full until "
    "this holds",
    strict=False,
)
@SETTINGS
@given(
    st.sampled_from(["sd", "mad"]),
    st.integers(0, 2),
    st.sampled_from(["standard", "ordinal"]),
    EVENTS,
)
def test_incremental_standardised_ranking_equals_the_full_ranking(
    spread: str, places: int, mode: str, events: list[Event]
) -> None:
    sb = build(spread, places, mode)
    incremental = sb.programs["w"]
    incremental._incremental = True  # the optimisation this test checks (off in the hub)
    full = ProgramState(sb.competition.programs["w"], sb.competition)
    full._incremental = False  # rank the whole field on every change

    def each(e: Event, _: list[Any]) -> None:
        full.apply(e)
        assert incremental.order == full.order
        assert incremental.standings == full.standings
        assert incremental.unresolved == full.unresolved
        assert incremental.best_standardised() == full.best_standardised()
        check_overview(sb)

    run(sb, events, each)
