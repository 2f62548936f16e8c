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
from fractions import Fraction
from typing import Any

from .awards import medal_table
from .errors import UnknownId
from .events import Event, MarkSubmitted, MarkWithdrawn, VisibilityChanged
from .model import Competition, Status, Visibility
from .numbers import fmt
from .program import ProgramState, Standing
from .scoring import Result
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
        self.programs = {
            pid: ProgramState(p, competition) for pid, p in competition.programs.items()
        }
        self.views: dict[str, View] = {}
        self.frozen: dict[str, tuple[dict[str, Row], list[str]]] = {}
        self.ticker_seq = 0
        self.history = history
        self._rows = _RowCache()
        self._orders: dict[View, list[str]] = {}  # the state's order each view last took
        self._with_result = {
            pid: {cid for cid, r in st.results.items() if r.has_result}
            for pid, st in self.programs.items()
        }
        self._won: dict[str, dict[str, str | None]] = {}  # program → competitor → medal
        self._medals: dict[str, list[dict[str, Any]]] = {}  # audience → medal table, while valid
        self._best: dict[
            str, tuple[Fraction, list[str]]
        ] = {}  # program → its best standardised score
        self._overview_rows: dict[
            tuple[str, str], tuple[str, Visibility, int]
        ] = {}  # as last shown
        for pid in self.programs:
            self._count_medals(pid)
            self._note_best(pid)
        for pid, state in self.programs.items():
            for audience in (PUBLIC, JURY):
                view = View(
                    {"program": pid, "audience": audience, "name": state.program.name}, history
                )
                self.views[program_channel(pid, audience)] = view
                self._refresh(state, audience, set(state.program.competitors), force_order=True)
            if state.visibility is Visibility.FROZEN:
                self._freeze(pid)
        for audience in (PUBLIC, JURY):
            self.views[self._overview(audience)] = View(
                {"competition": {"id": competition.id, "name": competition.name}}, history
            )
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
        state = self._state(event.program)
        old_public = self.views[program_channel(state.program.id)]
        was_visibility = state.visibility
        changed = state.apply(event)
        # rows to rebuild: the event's competitor, and whoever's standing it moved
        touched = changed | state.changed_standings
        updates: list[Update] = []
        pid = state.program.id
        for cid in changed:
            if state.results[cid].has_result:
                self._with_result[pid].add(cid)
            else:
                self._with_result[pid].discard(cid)
        if state.changed_standings:
            self._count_medals(pid, state.changed_standings)
            self._note_best(pid)
        if isinstance(event, VisibilityChanged) and state.visibility is not was_visibility:
            if state.visibility is Visibility.FROZEN:
                self._freeze(pid)
            else:
                self.frozen.pop(pid, None)
            touched = set(state.program.competitors)
            self._medals.clear()
        old_totals = {cid: old_public.rows.get(cid, {}).get("total") for cid in changed}
        remarked = event.aspect if isinstance(event, (MarkSubmitted, MarkWithdrawn)) else None
        for audience in (PUBLIC, JURY):
            d = self._refresh(state, audience, touched, changed=changed, remarked=remarked)
            if d is not None:
                updates.append(Update(program_channel(pid, audience), d))
        if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            t = self._tick(state, event, old_totals)
            if t is not None:
                updates.append(t)
        elif isinstance(event, VisibilityChanged) and state.visibility is Visibility.HIDDEN:
            t = self._untick(pid)  # results posted while it was live are not public any more
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
        self,
        state: ProgramState,
        audience: str,
        cids: set[str],
        force_order: bool = False,
        changed: set[str] = frozenset(),
        remarked: str | None = None,  # type: ignore[assignment]
    ) -> dict[str, Any] | None:
        view = self.views[program_channel(state.program.id, audience)]
        vis = state.visibility
        header = {
            "visibility": vis.value,
            "unresolved_ties": state.unresolved
            if audience == JURY or vis in (Visibility.LIVE, Visibility.PUBLISHED)
            else [],
        }
        if audience == PUBLIC and vis in (Visibility.HIDDEN, Visibility.FROZEN):
            self._orders.pop(view, None)  # the view shows another order than the state's
        if audience == PUBLIC and vis is Visibility.HIDDEN:
            comps = state.program.competitors
            rows: list[Row] = [
                {"rank": None, "competitor": comps[c].public(), "total": None} for c in cids
            ]
            order = sorted(comps, key=lambda c: comps[c].bib.zfill(8))
            return view.update(rows, order, header)
        if audience == PUBLIC and vis is Visibility.FROZEN and state.program.id in self.frozen:
            frozen_rows, frozen_order = self.frozen[state.program.id]
            rows = []
            for c in cids:
                live = self._rows.row(state, c, PUBLIC)
                then = frozen_rows.get(c)
                if then is None:
                    continue
                rows.append({**then, "pending": True} if _results_differ(then, live) else then)
            return view.update(rows, frozen_order, header)
        rows = []
        current = view.rows
        for c in cids:
            row = self._rows.row(state, c, audience, c in changed, remarked)
            if current.get(c) is not row:  # the very row the view holds has not changed
                rows.append(row)
        # the order is offered only when the state made a new one since this view last took it
        new_order: list[str] | None = None
        if self._orders.get(view) is not state.order:
            self._orders[view] = state.order
            new_order = list(state.order)
        return view.update(rows, new_order, header)

    def _untick(self, pid: str) -> Update | None:
        view = self.views["ticker"]
        gone = [i for i in view.order if view.rows[i]["program"] == pid]
        if not gone:
            return None
        d = view.update([], [i for i in view.order if i not in gone], removed=gone)
        return Update("ticker", d) if d is not None else None

    def _tick(
        self, state: ProgramState, event: MarkSubmitted | MarkWithdrawn, old_totals: dict[str, Any]
    ) -> Update | None:
        if state.visibility not in (Visibility.LIVE, Visibility.PUBLISHED):
            return None
        row = self.views[program_channel(state.program.id)].rows.get(event.competitor)
        if (
            row is None
            or row.get("total") == old_totals.get(event.competitor)
            or not row.get("total")
        ):
            return None
        self.ticker_seq += 1
        item = {
            "id": f"t{self.ticker_seq}",
            "program": state.program.id,
            "program_name": state.program.name,
            "competitor": row["competitor"],
            "total": row["total"],
            "rank": row["rank"],
            "provisional": row["provisional"],
            "ts": event.ts,
        }
        view = self.views["ticker"]
        order = [item["id"], *view.order][:TICKER_LENGTH]
        removed = [i for i in view.order if i not in order]
        d = view.update([item], order, removed=removed)
        return Update("ticker", d) if d is not None else None

    def _refresh_overview(self, audience: str, pids: list[str]) -> dict[str, Any] | None:
        view = self.views[self._overview(audience)]
        medals = self._medals.get(audience)
        shown = [(pid, self.programs[pid].visibility, len(self._with_result[pid])) for pid in pids]
        best = self.overall_best(audience)
        if (
            medals is not None
            and best == view.header.get("overall_best")
            and all(self._overview_rows.get((audience, s[0])) == s for s in shown)
        ):
            return None  # nothing it shows has changed
        rows = []
        for pid, vis, marked in shown:
            st = self.programs[pid]
            rows.append(
                {
                    "id": pid,
                    "name": st.program.name,
                    "visibility": vis.value,
                    "competitors": len(st.program.competitors),
                    "with_result": marked,
                }
            )
            self._overview_rows[(audience, pid)] = (pid, vis, marked)
        if medals is None:
            medals = self._medals[audience] = self.medal_table(audience, self._won)
        return view.update(rows, list(self.programs), {"medals": medals, "overall_best": best})

    def _note_best(self, pid: str) -> None:
        st = self.programs[pid]
        if st.program.standardisation is None:
            return
        scores = [
            (s.standardised, cid) for cid, s in st.standings.items() if s.standardised is not None
        ]
        if not scores:
            self._best.pop(pid, None)
            return
        top = max(v for v, _ in scores)
        self._best[pid] = (top, sorted(cid for v, cid in scores if v == top))

    def overall_best(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """scoring.md §7: the best standardised result across programs, every tied winner kept
        (the public's counts published programs only)."""
        shown = [
            (pid, best)
            for pid, best in self._best.items()
            if audience == JURY or self.programs[pid].visibility is Visibility.PUBLISHED
        ]
        if not shown:
            return []
        top = max(best[0] for _, best in shown)
        out = []
        for pid, (score, cids) in shown:
            if score == top:
                places = self.programs[pid].program.standardisation.places  # type: ignore[union-attr]
                for cid in cids:
                    out.append(
                        {
                            "program": pid,
                            "competitor": self.programs[pid].program.competitors[cid].public(),
                            "standardised": fmt(score, places),
                        }
                    )
        return out

    def _count_medals(self, pid: str, cids: Iterable[str] | None = None) -> None:
        """Note the medals of a program (of ``cids`` only: the others' did not change); the
        medal tables are remade only when a medal changed hands."""
        st = self.programs[pid]
        names = st.program.medal_names()
        comps = st.program.competitors
        won = self._won.setdefault(pid, {})
        before = dict(won) if cids is None else None
        for cid in st.standings if cids is None else cids:
            award = st.standings[cid].award
            if award in names and comps[cid].delegation is not None:
                if won.get(cid) != award:
                    won[cid] = award
                    self._medals.clear()
            elif won.pop(cid, None) is not None:
                self._medals.clear()
        if before is not None and before != won:
            self._medals.clear()

    def medal_table(
        self, audience: str = PUBLIC, medals: dict[str, dict[str, str | None]] | None = None
    ) -> list[dict[str, Any]]:
        """Medals by delegation; the public table counts published programs only.

        ``medals``: each program's medal winners (competitor → medal), when already known.
        """
        names: tuple[str, ...] = ()
        won: list[tuple[str, str]] = []
        for pid, st in self.programs.items():
            medal_names = st.program.medal_names()
            if len(medal_names) > len(names):
                names = medal_names
            if audience == PUBLIC and st.visibility is not Visibility.PUBLISHED:
                continue
            comps = st.program.competitors
            winners = (
                ((cid, s.award) for cid, s in st.standings.items())
                if medals is None
                else medals[pid].items()
            )
            for cid, award in winners:
                deleg = comps[cid].delegation
                if award in medal_names and deleg is not None:
                    won.append((deleg, names[medal_names.index(award)] if names else award))
        rows = medal_table(names, won, self.competition.delegations, self.competition.medal_points)
        return [
            {
                "delegation": r.delegation,
                "rank": r.rank,
                "medals": dict(zip(names, r.counts, strict=True)),
                "points": r.points,
                "total": sum(r.counts),
            }
            for r in rows
        ]


RESULT_FIELDS = (
    "rank",
    "total",
    "criteria",
    "components",
    "rounds",
    "standardised",
    "status",
    "provisional",
)


def _results_differ(a: Row, b: Row) -> bool:
    return any(a.get(k) != b.get(k) for k in RESULT_FIELDS)


def build_row(state: ProgramState, cid: str, audience: str) -> Row:
    """One competitor's leaderboard row as ``audience`` may see it."""
    res = state.results[cid]
    ok = state.statuses[cid].value == "ok"
    aspects = jury_aspects(state, cid) if audience == JURY else None
    return _row(
        state,
        cid,
        audience,
        _printed(state, res, ok and res.has_result),
        state.program.competitors[cid].public(),
        aspects,
    )


def _printed(
    state: ProgramState,
    res: Result,
    scored: bool,
    before: _Printed | None = None,
    was: Result | None = None,
) -> _Printed:
    """A result's values as printed on a row (blank when there is no score to show). With the
    previous result ``was`` and how it printed (``before``), values ``res`` took over unchanged
    (the same objects) keep their printed text."""
    prog = state.program
    places = prog.places
    if not scored:
        return _Printed(None, {}, {}, {})
    if before is None or was is None:
        return _Printed(
            fmt(res.total, places),
            {k: fmt(v, places) for k, v in res.criteria.items()},
            {k: fmt(v, places) for k, v in res.components.items()},
            {k: fmt(v, places) for k, v in res.rounds.items()},
        )
    old = was.criteria
    return _Printed(
        fmt(res.total, places),
        {
            k: before.criteria[k] if old.get(k) is v and k in before.criteria else fmt(v, places)
            for k, v in res.criteria.items()
        },
        {k: fmt(v, places) for k, v in res.components.items()},
        {k: fmt(v, places) for k, v in res.rounds.items()},
    )


def _aspect_entry(state: ProgramState, cid: str, aid: str) -> dict[str, Any]:
    ar = state.results[cid].aspects.get(aid)
    return {
        "value": fmt(ar.value, state.program.places)
        if ar is not None and ar.value is not None
        else None,
        "state": ar.state if ar is not None else "pending",
        "marks": {j: m.value for j, m in state.marks[cid][aid].items()},
    }


def jury_aspects(state: ProgramState, cid: str) -> dict[str, dict[str, Any]]:
    """Every marked aspect of a competitor: its value, state and each judge's mark."""
    return {aid: _aspect_entry(state, cid, aid) for aid in state.marks[cid]}


def _row(
    state: ProgramState,
    cid: str,
    audience: str,
    printed: _Printed,
    competitor: dict[str, object],
    aspects: dict[str, dict[str, Any]] | None,
    locked: list[str] | None = None,
    signed_off: list[str] | None = None,
) -> Row:
    prog = state.program
    res = state.results[cid]
    st = state.standings[cid]
    status = state.statuses[cid]
    placing = st.placing
    row: Row = {
        "rank": placing.rank if placing else None,
        "competitor": competitor,
        "total": printed.total,
        "status": _STATUS_TEXT[status],
        "provisional": res.provisional if status is Status.OK and res.has_result else False,
        "criteria": printed.criteria,
    }
    if prog.components:
        row["components"] = printed.components
    if prog.rounds:
        row["rounds"] = printed.rounds
    if prog.standardisation is not None:
        row["standardised"] = (
            fmt(st.standardised, prog.standardisation.places)
            if st.standardised is not None
            else None
        )
    if placing is not None:
        if placing.tied:
            row["tied"] = True
        if placing.unresolved:
            row["unresolved_tie"] = True
    if st.best_of_delegation:
        row["best_of_delegation"] = True
    jury = audience == JURY
    if jury or state.visibility is Visibility.PUBLISHED:
        row["award"] = st.award
        if st.titles:
            row["titles"] = list(st.titles)
    if jury:
        row["aspects"] = aspects
        row["locked"] = (
            sorted(c or "*" for (x, c) in state.locks if x == cid) if locked is None else locked
        )
        row["signed_off"] = (
            sorted(j for (x, j) in state.signoffs if x == cid) if signed_off is None else signed_off
        )
    return row


_STATUS_TEXT = {s: s.value for s in Status}


def _restand(row: Row, st: Standing, std_places: int | None) -> Row | None:
    """``row`` with the standing ``st`` instead of its own, as ``_row`` would make it with the
    same result, status and visibility; None when ``st`` adds or drops one of the row's
    optional fields (make the row anew then, keeping the fields' order)."""
    placing = st.placing
    tied = placing is not None and placing.tied
    unresolved = placing is not None and placing.unresolved
    shows_award = "award" in row
    titles = shows_award and bool(st.titles)
    if (
        ("tied" in row) is not tied
        or ("unresolved_tie" in row) is not unresolved
        or ("best_of_delegation" in row) is not st.best_of_delegation
        or ("titles" in row) is not titles
    ):
        return None
    new = row.copy()
    new["rank"] = placing.rank if placing else None
    if std_places is not None:
        new["standardised"] = (
            fmt(st.standardised, std_places) if st.standardised is not None else None
        )
    if shows_award:
        new["award"] = st.award
        if titles:
            new["titles"] = list(st.titles)
    return new


@dataclass(frozen=True)
class _Printed:
    total: str | None
    criteria: dict[str, str]
    components: dict[str, str]
    rounds: dict[str, str]


class _RowCache:
    """Rows as ``build_row`` makes them, remade only from what changed.

    A row depends on the competitor's result, standing, status and the program's
    visibility (all replaced, never changed in place, when they change), and for the
    jury on the competitor's marks, locks and sign-offs, which change only through
    events about that competitor. Rows are never changed once made: a view and its
    deltas may hold them.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str, str], tuple[object, object, object, object, Row]] = {}
        self.printed: dict[tuple[str, str], tuple[Result, bool, _Printed]] = {}
        self.aspects: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.competitors: dict[tuple[str, str], dict[str, object]] = {}

    def row(
        self,
        state: ProgramState,
        cid: str,
        audience: str,
        event_about: bool = False,
        remarked: str | None = None,
    ) -> Row:
        """The row; ``event_about``: the event applied was about this competitor (and
        ``remarked`` the aspect it marked)."""
        res = state.results[cid]
        st = state.standings[cid]
        status = state.statuses[cid]
        vis = state.visibility
        key = (state.program.id, audience, cid)
        hit = self.rows.get(key)
        jury = audience == JURY
        if (
            hit is not None
            and hit[0] is res
            and hit[2] is status
            and hit[3] is vis
            and not (jury and event_about)
        ):
            if hit[1] is st:
                return hit[4]
            std = state.program.standardisation
            row = _restand(
                hit[4], st, std.places if std is not None else None
            )  # only the standing changed
            if row is not None:
                self.rows[key] = (res, st, status, vis, row)
                return row
        pk = (state.program.id, cid)
        scored = status is Status.OK and res.has_result
        p = self.printed.get(pk)
        if p is None or p[0] is not res or p[1] is not scored:
            p = (
                res,
                scored,
                _printed(
                    state,
                    res,
                    scored,
                    p[2] if p is not None and p[1] and scored else None,
                    p[0] if p is not None else None,
                ),
            )
            self.printed[pk] = p
        competitor = self.competitors.get(pk)
        if competitor is None:
            competitor = self.competitors[pk] = state.program.competitors[cid].public()
        if not jury:
            row = _row(state, cid, audience, p[2], competitor, None)
        else:
            aspects = self.aspects.get(pk)
            locked = signed_off = None
            if aspects is None:
                aspects = self.aspects[pk] = jury_aspects(state, cid)
            elif event_about and remarked is not None:
                aspects = self.aspects[pk] = {
                    **aspects,
                    remarked: _aspect_entry(state, cid, remarked),
                }
            if hit is not None and (not event_about or remarked is not None):
                # locks and sign-offs change only through lock, unlock and sign-off events
                locked, signed_off = hit[4]["locked"], hit[4]["signed_off"]
            row = _row(state, cid, audience, p[2], competitor, aspects, locked, signed_off)
        self.rows[key] = (res, st, status, vis, row)
        return row


__all__ = [
    "Scoreboard",
    "Update",
    "program_channel",
    "build_row",
    "jury_aspects",
    "row_id",
    "PUBLIC",
    "JURY",
]
