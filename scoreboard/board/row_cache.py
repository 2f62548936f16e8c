"""Rows as ``rows.make_row`` makes them, remade only from what changed."""

from __future__ import annotations

from typing import Any

from ..model import Status
from ..program import ProgramState
from ..program.entries import entered
from ..totals import Result
from ..views import Moved, Row
from .channels import JURY
from .rows import (
    Agreements,
    Printed,
    aspect_entry,
    jury_aspects,
    make_row,
    printed,
    restand,
)


class Made:
    """What a competitor's row was made from (result, standing, status, visibility and stage)
    and the row: one record per competitor and audience, brought up to date in place (a
    tuple per row made was a new object for the collector on every move)."""

    __slots__ = ("res", "st", "status", "vis", "row")

    def __init__(self, res: object, st: object, status: object, vis: object, row: Row) -> None:
        self.res, self.st, self.status, self.vis, self.row = res, st, status, vis, row


class RowCache:
    """Rows as ``make_row`` makes them, remade only from what changed.

    A row depends on the competitor's result, standing, status and the program's
    visibility and stage (all replaced, never changed in place, when they change), and for the
    jury on the competitor's marks, locks and sign-offs, which change only through
    events about that competitor. Rows are never changed once made: a view and its
    deltas may hold them.
    """

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Made]] = {}  # (program, audience) → by id
        self.printed: dict[tuple[str, str], tuple[Result, bool, Printed]] = {}
        self.aspects: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.competitors: dict[tuple[str, str], dict[str, object]] = {}
        self.agreements: Agreements = {}
        # the row the last ``row`` call remade with one aspect's new entry (``_remarked``):
        # the new row differs from it for certain
        self.remade: Row | None = None

    def made(self, pid: str, audience: str) -> dict[str, Made]:
        m = self.rows.get((pid, audience))
        if m is None:
            m = self.rows[(pid, audience)] = {}
        return m

    def changed_rows(
        self,
        state: ProgramState,
        audience: str,
        cids: set[str],
        changed: set[str] | frozenset[str],
        remarked: str | None,
        current: dict[str, Row],
        moved: Moved | None = None,
    ) -> tuple[list[str], list[Row]]:
        """The ids and rows of ``cids`` (``changed``: those the event was about, ``remarked`` the aspect
        it marked) that are not the very rows ``current`` holds: ``row`` for each, with the
        commonest cases (nothing changed; only the standing) taken here in one loop. Given
        ``moved``, a row that differs from the one ``current`` holds in its rank alone goes
        there instead, with its rank (by id: a delta's ``ranks``, ``views.View.update``)."""
        made = self.made(state.program.id, audience)
        results, standings, statuses, vis = (
            state.results,
            state.standings,
            state.statuses,
            state.row_mode,
        )
        jury = audience == JURY
        std = state.program.standardisation
        places: int | None = std.places if std is not None else None
        ids, out = [], []
        moved_rows, moved_ranks = moved if moved is not None else ({}, {})
        # those the ranking moved in rank alone, with the standing each had (``rank_moves``):
        # a row made from that standing differs from the new one's in its rank only
        by_rank = state.rank_moves if moved is not None and places is None else None
        if by_rank is None:
            by_rank = {}
        about = changed if jury else ()  # the jury's rows of those the event was about: anew
        for c in cids:
            hit = made[c] if c in made else None
            row: Row | None = None
            if (
                hit is not None
                and hit.res is results[c]
                and hit.status is statuses[c]
                and hit.vis is vis
                and c not in about
            ):
                st = standings[c]
                if hit.st is st:
                    row = hit.row
                elif c in by_rank and by_rank[c] is hit.st and current.get(c) is hit.row:
                    rank = st.placing.rank  # type: ignore[union-attr]  # (placed: rank_one)
                    old = hit.row
                    hit.st = st
                    if old["rank"] == rank:
                        continue  # the row shows the standing as it is (the view holds it)
                    row = old.copy()
                    row["rank"] = rank
                    hit.row = moved_rows[c] = row
                    moved_ranks[c] = rank
                    continue
                elif moved is not None and places is None and current.get(c) is hit.row:
                    # only the rank moved (``restand``'s commonest case in aspect order, inline)
                    old = hit.row
                    placing = st.placing
                    if placing is None:
                        rank, tied, unresolved = None, False, False
                    else:
                        rank, tied, unresolved = placing.rank, placing.tied, placing.unresolved
                    if (
                        ("tied" in old) is tied
                        and ("unresolved_tie" in old) is unresolved
                        and ("best_of_delegation" in old) is st.best_of_delegation
                        and (
                            "award" not in old
                            or not (st.titles or "titles" in old or old["award"] != st.award)
                        )
                    ):
                        if old["rank"] == rank:
                            hit.st = st  # the row shows the standing as it is (the view holds it)
                            continue
                        row = old.copy()
                        row["rank"] = rank
                        hit.st, hit.row = st, row
                        moved_rows[c] = row
                        moved_ranks[c] = rank
                        continue
                    row = restand(old, st, places)
                    if row is not None:
                        hit.st, hit.row = st, row
                else:
                    row = restand(hit.row, st, places)
                    if row is not None:
                        hit.st, hit.row = st, row
            if row is None:
                row = self.row(state, c, audience, c in changed, remarked)
            if c not in current or current[c] is not row:
                ids.append(c)
                out.append(row)
        return ids, out

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
        self.remade = None
        res = state.results[cid]
        st = state.standings[cid]
        status = state.statuses[cid]
        vis = state.row_mode  # visibility and stage
        made = self.made(state.program.id, audience)
        hit = made.get(cid)
        jury = audience == JURY
        if hit is not None and hit.res is res and hit.status is status and hit.vis is vis:
            if jury and event_about:
                if remarked is not None and hit.st is st and not entered(state.program, remarked):
                    # a mark that left the result as it was (a panel not complete yet, an
                    # equal value): only the marked aspect's entry can differ
                    row = hit.row = self._remarked(state, cid, hit.row, remarked)
                    return row
            elif hit.st is st:
                return hit.row
            else:  # only the standing changed
                std = state.program.standardisation
                moved = restand(hit.row, st, std.places if std is not None else None)
                if moved is not None:
                    hit.st, hit.row = st, moved
                    return moved
        shown = self._printed(state, cid)
        pk = (state.program.id, cid)
        competitor = self.competitors.get(pk)
        if competitor is None:
            competitor = self.competitors[pk] = state.program.competitors[cid].public()
        if not jury:
            row = make_row(state, cid, audience, shown, competitor, None)
        else:
            row = self._jury_row(state, cid, shown, competitor, hit, event_about, remarked)
        if hit is None:
            made[cid] = Made(res, st, status, vis, row)
        else:
            hit.res, hit.st, hit.status, hit.vis, hit.row = res, st, status, vis, row
        return row

    def remark(self, state: ProgramState, cid: str, aid: str) -> Row:
        """``row(state, cid, JURY, True, aid)``: the jury's row after a mark on ``cid``'s aspect
        ``aid``, with the commonest case (the result, standing, status and mode as the row was
        made from: only that aspect's entry can differ) taken first."""
        made = self.rows.get((state.program.id, JURY))
        hit = made.get(cid) if made is not None else None
        if (
            hit is not None
            and hit.res is state.results[cid]
            and hit.st is state.standings[cid]
            and hit.status is state.statuses[cid]
            and hit.vis is state.row_mode
            and not entered(state.program, aid)
        ):
            self.remade = None
            row = hit.row = self._remarked(state, cid, hit.row, aid)
            return row
        return self.row(state, cid, JURY, True, aid)

    def _remarked(self, state: ProgramState, cid: str, row: Row, aid: str) -> Row:
        """The jury's ``row`` with aspect ``aid`` as its marks are now, as ``make_row`` would
        make it (the same result, standing, status, locks and sign-offs); ``row`` itself
        when that aspect shows as it did."""
        pk = (state.program.id, cid)
        aspects = self.aspects.get(pk)
        if aspects is None or aspects is not row["aspects"]:
            aspects = self.aspects[pk] = jury_aspects(state, cid, self.agreements)
        else:
            entry = aspect_entry(state, cid, aid, self.agreements)
            if aspects.get(aid) == entry:
                return row
            aspects = self.aspects[pk] = {**aspects, aid: entry}
            self.remade = row
        new = row.copy()
        new["aspects"] = aspects
        return new

    def forget(self, pid: str) -> None:
        """Make ``pid``'s rows anew next time (its state changed without rows: a replay)."""
        for key in [k for k in self.rows if k[0] == pid]:
            del self.rows[key]  # both audiences
        for pk in [k for k in self.aspects if k[0] == pid]:
            del self.aspects[pk]

    def _printed(self, state: ProgramState, cid: str) -> Printed:
        """The competitor's result as printed, made anew only when the result changed."""
        res = state.results[cid]
        pk = (state.program.id, cid)
        scored = state.statuses[cid] is Status.OK and res.has_result
        p = self.printed.get(pk)
        if p is None or p[0] is not res or p[1] is not scored:
            before = p[2] if p is not None and p[1] and scored else None
            p = (res, scored, printed(state, res, scored, before, p[0] if p is not None else None))
            self.printed[pk] = p
        return p[2]

    def _jury_row(
        self,
        state: ProgramState,
        cid: str,
        shown: Printed,
        competitor: dict[str, object],
        hit: Made | None,
        event_about: bool,
        remarked: str | None,
    ) -> Row:
        pk = (state.program.id, cid)
        aspects = self.aspects.get(pk)
        locked = signed_off = None
        if aspects is None:
            aspects = self.aspects[pk] = jury_aspects(state, cid, self.agreements)
        elif event_about and remarked is not None:
            entry = aspect_entry(state, cid, remarked, self.agreements)
            aspects = self.aspects[pk] = {**aspects, remarked: entry}
        if hit is not None and (not event_about or remarked is not None):
            # locks and sign-offs change only through lock, unlock and sign-off events
            locked, signed_off = hit.row["locked"], hit.row["signed_off"]
        return make_row(state, cid, JURY, shown, competitor, aspects, locked, signed_off)
