"""What the fourth speed pass of issue 11 remembers or skips, held to what it stands for.

- the medal tally is told only whose award changed when one competitor was ranked
  (``ProgramState.changed_awards``), and the overview is refreshed after a standings change
  only when a medal table or the overall best changed (``Overview.standings_changed``): the
  overview channels must show the full recount after every event;
- a jury row remade with one aspect's new entry is stored without comparing it with the one
  held (``View.replace``), and ``restand`` hands back the row itself when it shows the new
  standing as it is: every delta must bring the previous snapshot to the new one, and carry
  only rows that differ from those they replace;
- standings without a standardised score are shared by value (``standing_of``): each
  competitor's standing must equal what ranking the whole field anew gives.

The benchmark's program (medals and a threshold award on the total, ranked one competitor at
a time), small, marked in both orders, and the same marks on a standardised one.
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.scoreboard_bench import competition
from scoreboard import Scoreboard, load_competition
from scoreboard.program import field_ranking
from scoreboard.program.standings import RankMemo, Standing
from scoreboard.views import apply_delta, row_id
from server.simulate import simulated_marks
from tests.scoreboard.test_incremental_overview import check_overview


def _orders(shape: str, n: int) -> list[tuple[Scoreboard, list[Any]]]:
    comp = load_competition(competition(n, 6, shape, 3))
    marks = simulated_marks(comp, 5)
    index = {cid: i for i, cid in enumerate(comp.programs["big"].competitors)}
    by_competitor = sorted(marks, key=lambda m: index[m.competitor])
    return [(Scoreboard(comp), list(marks)), (Scoreboard(comp), by_competitor)]


def _check_deltas(sb: Scoreboard, before: dict[str, dict[str, Any]], updates: list[Any]) -> None:
    for u in updates:
        was = before[u.channel]
        assert apply_delta(was, u.delta) == sb.snapshot(u.channel), u.channel
        held = {row_id(r): r for r in was["rows"]}
        for r in u.delta["rows"]:
            assert held.get(row_id(r)) != r, (u.channel, row_id(r))  # only rows that changed


def _check_standings(sb: Scoreboard) -> None:
    """The standings equal a full ranking's, made without the table of shared standings
    (which the full ranking uses too: a wrong entry would be on both sides)."""
    state = sb.programs["big"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(field_ranking, "standing_of", Standing)
        fresh = field_ranking.rank_field(
            state.program, RankMemo.of(state.program), state.statuses, state.results, {}, False
        )
    assert state.standings == fresh.standings
    assert state.order == fresh.order


@pytest.mark.parametrize("shape", ["plain", "worldskills"])
def test_overview_deltas_and_standings_after_every_mark(shape: str) -> None:
    for sb, marks in _orders(shape, 14):
        assert sb.programs["big"]._incremental  # ranked one competitor at a time
        channels = sb.channels()
        for m in marks:
            before = {ch: sb.snapshot(ch) for ch in channels}
            updates = sb.apply(m)
            _check_deltas(sb, before, updates)
            check_overview(sb)
            _check_standings(sb)


def test_the_medal_table_moves_in_these_runs() -> None:
    """The runs above are worth something: medals change hands many times in them, with the
    standings of many others moving at once."""
    sb, marks = _orders("plain", 14)[0]
    tables: list[list[dict[str, Any]]] = []
    for m in marks:
        sb.apply(m)
        table = sb.medal_table("jury")
        if not tables or tables[-1] != table:
            tables.append(table)
    assert len(tables) > 10
