"""The whole competition's state: apply events, read snapshots and deltas per channel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..errors import UnknownId
from ..events import EntryMade, Event, MarkSubmitted, MarkWithdrawn
from ..lifecycle.events import MarkCorrected
from ..model import Competition, Visibility
from ..program import ProgramState
from ..program.anonymous import layered, masked
from ..views import View
from .amend import amend
from .channels import (
    AUDIENCES,
    JURY,
    PUBLIC,
    TICKER,
    Update,
    overview_channel,
    program_channel,
)
from .leaderboards import Leaderboards
from .overview import Overview
from .public_codes import public_key
from .ticker import Ticker


class Scoreboard:
    def __init__(self, competition: Competition, history: int = 256) -> None:
        self.competition = competition
        self.programs = {
            pid: ProgramState(p, competition) for pid, p in competition.programs.items()
        }
        self.history = history
        self.boards = Leaderboards()
        self.views: dict[str, View] = self.boards.views  # every channel's view, by name
        self.overview = Overview(competition, self.programs)
        self.ticker = Ticker(history)
        for pid, state in self.programs.items():
            for audience in AUDIENCES:
                view = View(
                    {"program": pid, "audience": audience, "name": state.program.name}, history
                )
                self.views[program_channel(pid, audience)] = view
                self.boards.refresh(state, audience, set(state.program.competitors))
            if state.visibility is Visibility.FROZEN:
                self.boards.freeze(pid)
        for audience in AUDIENCES:
            self.views[overview_channel(audience)] = View(
                {"competition": {"id": competition.id, "name": competition.name}}, history
            )
            self._refresh_overview(audience, list(self.programs))
        self.views[TICKER] = self.ticker.view
        self.unsettled: set[str] = set()  # programs ``absorb`` changed without their views
        for v in self.views.values():  # the initial state is version 0
            v.version = 0
            v.history.clear()

    # -- reading ----------------------------------------------------------------

    def channels(self) -> list[str]:
        return list(self.views)

    def view(self, channel: str) -> View:
        v = self.views.get(channel)
        if v is None:
            raise UnknownId(
                f"channel {channel!r} does not exist; see GET /api/v1/programs for ids",
                "unknown_channel",
            )
        return v

    def snapshot(self, channel: str) -> dict[str, Any]:
        return self.view(channel).snapshot()

    def version(self, channel: str) -> int:
        return self.view(channel).version

    def deltas_since(self, channel: str, version: int) -> list[dict[str, Any]] | None:
        return self.view(channel).deltas_since(version)

    def overall_best(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """scoring.md §7: the best standardised result across programs, every tied winner kept
        (the public's counts published programs only)."""
        return self.overview.overall_best(audience)

    def medal_table(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """Medals by delegation; the public table counts final results only (the jury's
        every program as it stands)."""
        return self.overview.medal_table(audience)

    # -- changing ---------------------------------------------------------------

    def check(self, event: Event) -> None:
        """Refuse (raise ``EventRefused``) without changing anything."""
        self._state(event.program).check(event)

    def _state(self, pid: str) -> ProgramState:
        state = self.programs.get(pid)
        if state is None:
            raise UnknownId(
                f"program {pid!r} is not in the competition; see GET /api/v1/programs",
                "unknown_program",
            )
        return state

    def apply(self, event: Event) -> list[Update]:
        """Apply an event; return the channel updates it caused. A refused event changes nothing."""
        state = self.programs.get(event.program)
        if state is None:
            state = self._state(event.program)  # (refused)
        pid = state.program.id
        was_visibility, was_mode = state.visibility, state.row_mode
        was_stage, was_decrypted = state.lifecycle.stage, state.decrypted
        was_settled = len(state.settled)
        mark = event if isinstance(event, (MarkSubmitted, MarkWithdrawn)) else None
        was_result = state.results.get(mark.competitor) if mark is not None else None
        changed = state.apply(event)
        if (
            mark is not None
            and was_result is not None
            and state.results[mark.competitor] is was_result
            and not state.changed_standings
            and len(state.settled) == was_settled
            and state.row_mode is was_mode
        ):
            # a mark that left its competitor's result, standings and progress as they were (a
            # panel not complete yet, an equal value; 4 of 5 marks on a panel of 5): only the
            # jury's row shows it. What the full path gives for it: no public row, ticker item
            # or overview changes.
            d = self.boards.remarked(state, mark.competitor, mark.aspect)
            return [] if d is None else [Update(program_channel(pid, JURY), d)]
        public = self.boards.view(pid)
        # rows to rebuild: the event's competitor, and whoever's standing it moved
        touched = changed | state.changed_standings
        # the overview shows each program's visibility and count of results, the medal
        # table and the overall best: an event that changed none of them leaves it as it is
        counted = self.overview.results_changed(pid, changed)
        # of the standings, it shows the medal tables and the overall best
        awarded = state.changed_awards  # (the medal tally looks at awards only)
        medals = bool(state.changed_standings) and self.overview.standings_changed(
            pid, state.changed_standings if awarded is None else awarded
        )
        # the overview also shows completed marking and the stage
        overview = (
            counted
            or medals
            or len(state.settled) != was_settled
            or state.row_mode is not was_mode
            or (masked(state) and layered(state.program))  # counted by layer (overview.counts)
        )
        if state.decrypted is not was_decrypted:  # 解密: the jury's tables count it now
            self.overview.visibility_changed(pid)
            overview = True
        if state.visibility is not was_visibility:  # a visibility event, or entering 公示
            if state.visibility is Visibility.FROZEN:
                self.boards.freeze(pid)
            else:
                self.boards.frozen.pop(pid, None)
            self.overview.visibility_changed(pid)
            overview = True
        elif state.lifecycle.stage is not was_stage:  # final: the public medal table counts it
            self.overview.stage_changed(pid)
            overview = True
        if state.row_mode is not was_mode:  # what every row shows changed (the stage too)
            touched = set(state.program.competitors)
        old_total: object = None  # what the public board showed: the ticker tells a change
        remarked: str | None = None
        # a judge's mark, or a paper sheet's entry (it may be the second that agrees)
        ticked = mark if mark is not None else event if isinstance(event, EntryMade) else None
        if ticked is not None:
            old_total = public.rows.get(public_key(state, ticked.competitor), {}).get("total")
        if mark is not None:
            remarked = mark.aspect
        elif isinstance(event, MarkCorrected):
            remarked = event.aspect
        elif isinstance(event, EntryMade) and event.aspect in state.marks[event.competitor]:
            remarked = event.aspect  # two entries agreed: the judge's mark is in
        updates: list[Update] = []
        for audience in AUDIENCES:
            d = self.boards.refresh(state, audience, touched, changed, remarked)
            if d is not None:
                updates.append(Update(program_channel(pid, audience), d))
        t: Update | None = None
        if ticked is not None:
            t = self.ticker.tick(state, public, ticked, old_total)
        elif state.visibility is Visibility.HIDDEN and was_visibility is not Visibility.HIDDEN:
            t = self.ticker.untick(pid)  # results posted while it was live are not public any more
        if t is not None:
            updates.append(t)
        if state.decrypted and not was_decrypted:  # the items posted by code take the names
            t = self.ticker.decrypted(state)
            if t is not None:
                updates.append(t)
        if overview:
            for audience in AUDIENCES:
                d = self._refresh_overview(audience, [pid])
                if d is not None:
                    updates.append(Update(overview_channel(audience), d))
        return updates

    def amend(self, competition: Competition) -> list[Update]:
        """Put an amended competition in force (``board/amend.py``); the updates it causes."""
        for pid in list(self.unsettled):  # what a long replay absorbed is scored first
            self._settle(self.programs[pid])
        return amend(self, competition)

    def replay(self, events: Iterable[Event]) -> None:
        for e in events:
            self.apply(e)

    # -- a long replay ----------------------------------------------------------

    def absorb(self, event: Event) -> None:
        """Apply ``event`` to the state only, without rows or deltas (a long replay at start):
        ``settle`` then brings every view up to date once. Raises ``EventRefused``, changing
        nothing. Marks are recorded unscored; any other event settles its program and applies."""
        state = self._state(event.program)
        if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            state.absorb(event)
            self.unsettled.add(state.program.id)
        else:
            self._settle(state)
            self.apply(event)

    def settle(self, version: int) -> None:
        """Score, rank and show what ``absorb`` applied: the views then show what applying the
        events one by one shows. Each view's version becomes at least ``version`` (the ledger
        seq replayed up to) with no history, so a version held from before gets a snapshot."""
        for pid in list(self.unsettled):
            self._settle(self.programs[pid])
        for audience in AUDIENCES:
            self._refresh_overview(audience, list(self.programs))
        for v in self.views.values():
            v.version = max(v.version, version)
            v.history.clear()

    def _settle(self, state: ProgramState) -> None:
        pid = state.program.id
        if pid not in self.unsettled:
            return
        self.unsettled.discard(pid)
        changed = state.settle()
        everyone = set(state.program.competitors)
        self.overview.results_changed(pid, changed)
        self.overview.standings_changed(pid, everyone)
        self.boards.rows.forget(pid)
        for audience in AUDIENCES:
            self.boards.refresh(state, audience, everyone, everyone)

    def _refresh_overview(self, audience: str, pids: list[str]) -> dict[str, Any] | None:
        return self.overview.refresh(self.views[overview_channel(audience)], audience, pids)
