"""The whole competition's state: apply events, read snapshots and deltas per channel.

Channels (one view each; a version per channel):

- ``program:<id>``        a program's public leaderboard (visibility applied)
- ``program:<id>:jury``   the same program as the jury sees it: live, every mark
- ``overview`` / ``overview:jury``  programs, their visibility, the medal table
- ``ticker``              the latest public results
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .awards import medal_table
from .errors import UnknownId
from .events import Event, MarkSubmitted, MarkWithdrawn, VisibilityChanged
from .model import Competition, Visibility
from .numbers import fmt
from .program import ProgramState
from .views import Row, View, row_id

PUBLIC = "public"
JURY = "jury"
TICKER_LENGTH = 20


def program_channel(program: str, audience: str = PUBLIC) -> str:
    return f"program:{program}" if audience == PUBLIC else f"program:{program}:jury"


@dataclass(frozen=True)
class Update:
    """A change to one channel: the delta from ``delta['from']`` to ``delta['version']``."""

    channel: str
    delta: dict[str, Any]


class Scoreboard:
    def __init__(self, competition: Competition, history: int = 256) -> None:
        self.competition = competition
        self.programs = {pid: ProgramState(p, competition) for pid, p in competition.programs.items()}
        self.views: dict[str, View] = {}
        self.frozen: dict[str, tuple[dict[str, Row], list[str]]] = {}
        self.ticker_seq = 0
        self.history = history
        for pid, state in self.programs.items():
            for audience in (PUBLIC, JURY):
                view = View({"program": pid, "audience": audience, "name": state.program.name}, history)
                self.views[program_channel(pid, audience)] = view
                self._refresh(state, audience, set(state.program.competitors), force_order=True)
            if state.visibility is Visibility.FROZEN:
                self._freeze(pid)
        for audience in (PUBLIC, JURY):
            self.views[self._overview(audience)] = View({"competition": {"id": competition.id,
                                                         "name": competition.name}}, history)  # fmt: skip
            self._refresh_overview(audience, list(self.programs))
        self.views["ticker"] = View({"ticker": True}, history)
        for v in self.views.values():  # the initial state is version 0
            v.version = 0
            v.history.clear()

    @staticmethod
    def _overview(audience: str) -> str:
        return "overview" if audience == PUBLIC else "overview:jury"

    # -- reading ----------------------------------------------------------------

    def channels(self) -> list[str]:
        return list(self.views)

    def view(self, channel: str) -> View:
        v = self.views.get(channel)
        if v is None:
            raise UnknownId(f"channel {channel!r} does not exist; see GET /api/v1/programs for ids", "unknown_channel")
        return v

    def snapshot(self, channel: str) -> dict[str, Any]:
        return self.view(channel).snapshot()

    def version(self, channel: str) -> int:
        return self.view(channel).version

    def deltas_since(self, channel: str, version: int) -> list[dict[str, Any]] | None:
        return self.view(channel).deltas_since(version)

    # -- changing ---------------------------------------------------------------

    def check(self, event: Event) -> None:
        """Refuse (raise ``EventRefused``) without changing anything."""
        self._state(event.program).check(event)

    def _state(self, pid: str) -> ProgramState:
        state = self.programs.get(pid)
        if state is None:
            raise UnknownId(f"program {pid!r} is not in the competition; see GET /api/v1/programs", "unknown_program")
        return state

    def apply(self, event: Event) -> list[Update]:
        """Apply an event; return the channel updates it caused. A refused event changes nothing."""
        state = self._state(event.program)
        before = {cid: _standing_key(state, cid) for cid in state.program.competitors}
        old_public = self.views[program_channel(state.program.id)]
        was_visibility = state.visibility
        changed = state.apply(event)
        touched = set(changed)
        for cid, key in before.items():
            if _standing_key(state, cid) != key:
                touched.add(cid)
        updates: list[Update] = []
        pid = state.program.id
        if isinstance(event, VisibilityChanged) and state.visibility is not was_visibility:
            if state.visibility is Visibility.FROZEN:
                self._freeze(pid)
            else:
                self.frozen.pop(pid, None)
            touched = set(state.program.competitors)
        old_totals = {cid: old_public.rows.get(cid, {}).get("total") for cid in changed}
        for audience in (PUBLIC, JURY):
            d = self._refresh(state, audience, touched)
            if d is not None:
                updates.append(Update(program_channel(pid, audience), d))
        if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            t = self._tick(state, event, old_totals)
            if t is not None:
                updates.append(t)
        for audience in (PUBLIC, JURY):
            d = self._refresh_overview(audience, [pid])
            if d is not None:
                updates.append(Update(self._overview(audience), d))
        return updates

    def replay(self, events: Iterable[Event]) -> None:
        for e in events:
            self.apply(e)

    # -- rows -------------------------------------------------------------------

    def _freeze(self, pid: str) -> None:
        view = self.views[program_channel(pid)]
        self.frozen[pid] = (dict(view.rows), list(view.order))

    def _refresh(
        self, state: ProgramState, audience: str, cids: set[str], force_order: bool = False
    ) -> dict[str, Any] | None:
        view = self.views[program_channel(state.program.id, audience)]
        vis = state.visibility
        header = {"visibility": vis.value, "unresolved_ties": state.unresolved if audience == JURY or
                  vis in (Visibility.LIVE, Visibility.PUBLISHED) else []}  # fmt: skip
        if audience == PUBLIC and vis is Visibility.HIDDEN:
            comps = state.program.competitors
            rows = [{"rank": None, "competitor": comps[c].public(), "total": None} for c in cids]
            order = sorted(comps, key=lambda c: comps[c].bib.zfill(8))
            return view.update(rows, order, header)
        if audience == PUBLIC and vis is Visibility.FROZEN and state.program.id in self.frozen:
            frozen_rows, frozen_order = self.frozen[state.program.id]
            rows = []
            for c in cids:
                live = build_row(state, c, PUBLIC)
                then = frozen_rows.get(c)
                if then is None:
                    continue
                rows.append({**then, "pending": True} if _results_differ(then, live) else then)
            return view.update(rows, frozen_order, header)
        rows = [build_row(state, c, audience) for c in cids]
        return view.update(rows, list(state.order), header)

    def _tick(self, state: ProgramState, event: MarkSubmitted | MarkWithdrawn,
              old_totals: dict[str, Any]) -> Update | None:  # fmt: skip
        if state.visibility not in (Visibility.LIVE, Visibility.PUBLISHED):
            return None
        row = self.views[program_channel(state.program.id)].rows.get(event.competitor)
        if row is None or row.get("total") == old_totals.get(event.competitor) or not row.get("total"):
            return None
        self.ticker_seq += 1
        item = {"id": f"t{self.ticker_seq}", "program": state.program.id, "program_name": state.program.name,
                "competitor": row["competitor"], "total": row["total"], "rank": row["rank"],
                "provisional": row["provisional"], "ts": event.ts}  # fmt: skip
        view = self.views["ticker"]
        order = [item["id"], *view.order][:TICKER_LENGTH]
        removed = [i for i in view.order if i not in order]
        d = view.update([item], order, removed=removed)
        return Update("ticker", d) if d is not None else None

    def _refresh_overview(self, audience: str, pids: list[str]) -> dict[str, Any] | None:
        view = self.views[self._overview(audience)]
        rows = []
        for pid in pids:
            st = self.programs[pid]
            marked = sum(1 for r in st.results.values() if r.has_result)
            rows.append({"id": pid, "name": st.program.name, "visibility": st.visibility.value,
                         "competitors": len(st.program.competitors), "with_result": marked})  # fmt: skip
        return view.update(rows, list(self.programs), {"medals": self.medal_table(audience)})

    def medal_table(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """Medals by delegation; the public table counts published programs only."""
        names: tuple[str, ...] = ()
        won: list[tuple[str, str]] = []
        for st in self.programs.values():
            medal_names = st.program.medal_names()
            if len(medal_names) > len(names):
                names = medal_names
            if audience == PUBLIC and st.visibility is not Visibility.PUBLISHED:
                continue
            for cid, s in st.standings.items():
                deleg = st.program.competitors[cid].delegation
                if s.award in medal_names and deleg is not None:
                    won.append((deleg, names[medal_names.index(s.award)] if names else s.award))
        rows = medal_table(names, won, self.competition.delegations, self.competition.medal_points)
        return [{"delegation": r.delegation, "rank": r.rank, "medals": dict(zip(names, r.counts)),
                 "points": r.points, "total": sum(r.counts)} for r in rows]  # fmt: skip


def _standing_key(state: ProgramState, cid: str) -> tuple[object, ...]:
    s = state.standings[cid]
    return (s.placing, s.standardised, s.award, s.titles, s.best_of_delegation, state.order.index(cid)
            if False else None)  # fmt: skip


RESULT_FIELDS = ("rank", "total", "criteria", "components", "rounds", "standardised", "status", "provisional")


def _results_differ(a: Row, b: Row) -> bool:
    return any(a.get(k) != b.get(k) for k in RESULT_FIELDS)


def build_row(state: ProgramState, cid: str, audience: str) -> Row:
    """One competitor's leaderboard row as ``audience`` may see it."""
    prog = state.program
    comp = prog.competitors[cid]
    res = state.results[cid]
    st = state.standings[cid]
    status = state.statuses[cid]
    places = prog.places
    ok = status.value == "ok"
    scored = ok and res.has_result
    placing = st.placing
    row: Row = {
        "rank": placing.rank if placing else None,
        "competitor": comp.public(),
        "total": fmt(res.total, places) if scored else None,
        "status": status.value,
        "provisional": res.provisional if scored else False,
        "criteria": {k: fmt(v, places) for k, v in res.criteria.items()} if scored else {},
    }
    if prog.components:
        row["components"] = {k: fmt(v, places) for k, v in res.components.items()} if scored else {}
    if prog.rounds:
        row["rounds"] = {k: fmt(v, places) for k, v in res.rounds.items()} if scored else {}
    if prog.standardisation is not None:
        row["standardised"] = (fmt(st.standardised, prog.standardisation.places)
                               if st.standardised is not None else None)  # fmt: skip
    if placing is not None and placing.tied:
        row["tied"] = True
    if placing is not None and placing.unresolved:
        row["unresolved_tie"] = True
    if st.best_of_delegation:
        row["best_of_delegation"] = True
    if audience == JURY or state.visibility is Visibility.PUBLISHED:
        row["award"] = st.award
        if st.titles:
            row["titles"] = list(st.titles)
    if audience == JURY:
        aspects = {}
        for aid, panel in state.marks[cid].items():
            ar = res.aspects.get(aid)
            aspects[aid] = {
                "value": fmt(ar.value, places) if ar is not None and ar.value is not None else None,
                "state": ar.state if ar is not None else "pending",
                "marks": {j: m.value for j, m in panel.items()},
            }
        row["aspects"] = aspects
        row["locked"] = sorted(c or "*" for (x, c) in state.locks if x == cid)
        row["signed_off"] = sorted(j for (x, j) in state.signoffs if x == cid)
    return row


__all__ = ["Scoreboard", "Update", "program_channel", "build_row", "row_id", "PUBLIC", "JURY"]
