"""``ProgramState.rank_moves`` (issue 11, sixth pass): after a mark, the incremental ranking
(``rank_one``) names those whose standing moved in its rank alone, each with the standing it
had, and ``RowCache.changed_rows`` copies their rows with the new rank without looking at the
row's other fields.

Held to what it stands for on the benchmark's program marked in aspect order: each entry's
old standing is the one the competitor had before the mark and differs from the new one in the
placing's rank alone (the same tie flags, award and best of delegation; no standardised score,
no titles); everyone whose standing changed so is named; the field is not ranked whole on
such a mark (then there is no entry at all); and the rows the board keeps stay what a board
made afresh shows (``test_board_caches``), which fails should an entry name a standing whose
award or best of delegation moved too.
"""

from __future__ import annotations

from bench.scoreboard_bench import competition
from scoreboard import Scoreboard, load_competition
from scoreboard.program import Standing
from server.simulate import simulated_marks
from tests.scoreboard.test_board_caches import afresh, held


def _rank_alone(was: Standing, now: Standing) -> bool:
    return (
        was is not now
        and was.placing is not None
        and now.placing is not None
        and (was.placing.tied, was.placing.unresolved) == (now.placing.tied, now.placing.unresolved)
        and (was.award, was.best_of_delegation) == (now.award, now.best_of_delegation)
        and was.standardised is None
        and now.standardised is None
        and not was.titles
        and not now.titles
    )


def test_rank_moves_name_the_standings_moved_in_rank_alone() -> None:
    comp = load_competition(competition(30, 6, "plain", 3))
    sb = Scoreboard(comp)
    state = sb.programs["big"]
    named = awarded = 0
    for m in simulated_marks(comp, 5):
        before = dict(state.standings)  # (the incremental ranking changes the dict in place)
        sb.apply(m)
        moves = state.rank_moves
        if moves is None:
            continue
        for c, was in moves.items():
            assert was is before[c], c
            assert _rank_alone(was, state.standings[c]), (c, was, state.standings[c])
            named += 1
        for c in state.changed_standings:
            if _rank_alone(before[c], state.standings[c]):
                assert c in moves, c
            elif before[c].award != state.standings[c].award:
                awarded += 1
        assert held(sb) == afresh(sb)
    assert named > 100 and awarded > 5, (named, awarded)
