"""The whole board on an amended competition (issue 13), as deltas on every channel.

Programs whose definition changed are rebuilt from their events (``program.rebase``); every
other program keeps its state and takes the new competition (judges, delegations). The views
keep their versions: each channel gets one ordinary delta with whatever the amendment changed
(a corrected name, a new program's row), so a viewer never needs to start over.

A frozen public board cannot be replayed from the state (it shows results as they were when it
was frozen): it keeps those results and takes the amended competitors' names, bibs and
delegations; a competitor the amendment adds appears on it when it is unfrozen.
"""

from __future__ import annotations

from typing import Protocol

from ..model import Competition, Visibility
from ..program import ProgramState
from ..program.rebase import rebased
from ..views import View
from .channels import AUDIENCES, Update, overview_channel, program_channel
from .leaderboards import Leaderboards
from .overview import Overview
from .row_cache import RowCache
from .ticker import Ticker


class Scoreboard(Protocol):
    """What an amendment changes of the board (``board/scoreboard.py``)."""

    competition: Competition
    programs: dict[str, ProgramState]
    history: int
    boards: Leaderboards
    views: dict[str, View]
    overview: Overview
    ticker: Ticker


def amend(board: Scoreboard, competition: Competition) -> list[Update]:
    """Put ``competition`` in force; the updates it causes. Raises ``EventRefused`` and changes
    nothing when the new definition refuses an event already applied."""
    states: dict[str, ProgramState] = {}
    for pid, program in competition.programs.items():
        old = board.programs.get(pid)
        if old is None:
            states[pid] = ProgramState(program, competition)
        elif old.program != program:
            states[pid] = rebased(old, program, competition)  # may refuse: nothing changed yet
        else:
            states[pid] = old
    for state in states.values():
        state.competition = competition
    gone = [pid for pid in board.programs if pid not in competition.programs]
    board.competition = competition
    board.programs = states
    board.boards.rows = RowCache()  # rows hold names and delegations: make them anew
    board.overview = Overview(competition, states)
    updates: list[Update] = []
    for state in states.values():
        _keep_frozen(board, state)
    for pid in gone:
        board.boards.frozen.pop(pid, None)
        for audience in AUDIENCES:
            board.views.pop(program_channel(pid, audience), None)
    for pid, state in states.items():
        for audience in AUDIENCES:
            channel = program_channel(pid, audience)
            view = board.views.get(channel)
            if view is None:
                header = {"program": pid, "audience": audience, "name": state.program.name}
                board.views[channel] = View(header, board.history)
                if state.visibility is Visibility.FROZEN:
                    board.boards.freeze(pid)
            named = board.boards.view(pid, audience).update(header={"name": state.program.name})
            delta = board.boards.refresh(state, audience, set(state.program.competitors))
            updates += [Update(channel, d) for d in (named, delta) if d is not None]
    ticked = board.ticker.amended(states)
    if ticked is not None:
        updates.append(ticked)
    for audience in AUDIENCES:
        view = board.views[overview_channel(audience)]
        named = view.update(
            header={"competition": {"id": competition.id, "name": competition.name}}
        )
        order, view.order = view.order, []  # programs may have come or gone: send the order
        delta = board.overview.refresh(view, audience, list(states))
        if delta is None:
            view.order = order
        updates += [Update(overview_channel(audience), d) for d in (named, delta) if d is not None]
    return updates


def _keep_frozen(board: Scoreboard, state: ProgramState) -> None:
    """A frozen public board keeps the results it showed when frozen, with the competitors as
    the amendment names them (a replay of the record would freeze the same results under the
    new names; a board frozen by the amended file's default freezes what it shows now)."""
    pid, frozen = state.program.id, board.boards.frozen
    if state.visibility is not Visibility.FROZEN:
        frozen.pop(pid, None)
        return
    if pid not in frozen:
        board.boards.freeze(pid)
        return
    rows, order = frozen[pid]
    comps = state.program.competitors
    frozen[pid] = (
        {c: {**r, "competitor": comps[c].public()} for c, r in rows.items() if c in comps},
        [c for c in order if c in comps],
    )
