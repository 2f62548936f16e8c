"""The program channels: each program's leaderboard, per audience, with visibility applied.

The jury sees the live board. The public sees it live or published; a hidden
program as its competitors by bib, without results; a frozen one as it was
when frozen, each row whose live result differs marked ``pending``.
"""

from __future__ import annotations

from typing import Any

from ..lifecycle import lifecycle_header
from ..model import Visibility
from ..program import ProgramState
from ..program.anonymous import desk_order, masked
from ..views import Moved, Row, View
from . import public_codes
from .channels import JURY, PUBLIC, program_channel
from .row_cache import RowCache
from .rows import results_differ

VISIBILITY_TEXT = {v: v.value for v in Visibility}  # (an enum's .value is slow to read)

# what a program board's header is made from: the state, its visibility and stage, its count of
# settled competitors, its unresolved ties (a new list at every full ranking) and its count of
# events other than marks (every lifecycle step, appeal and correction is one of them)
HeaderKey = tuple[ProgramState, object, int, object, int]


def header_key(state: ProgramState) -> HeaderKey:
    return (state, state.row_mode, len(state.settled), state.unresolved, len(state.procedure))


def same_key(a: HeaderKey | None, state: ProgramState) -> bool:
    """Whether ``a`` is ``header_key(state)`` (without making it: asked on every event)."""
    return (
        a is not None
        and a[0] is state
        and a[1] is state.row_mode
        and a[2] == len(state.settled)
        and a[3] is state.unresolved
        and a[4] == len(state.procedure)
    )


class Leaderboards:
    def __init__(self) -> None:
        self.views: dict[str, View] = {}
        self.frozen: dict[str, tuple[dict[str, Row], list[str]]] = {}  # program → rows, order
        self.rows = RowCache()
        self.orders: dict[View, list[str]] = {}  # the state's order each view last took
        self.headers: dict[View, HeaderKey] = {}  # what each view's header was last made from
        self.coded: set[View] = set()  # public views keyed by code (``public_codes``)

    def view(self, pid: str, audience: str = PUBLIC) -> View:
        return self.views[program_channel(pid, audience)]  # (the names are cached)

    def freeze(self, pid: str) -> None:
        view = self.view(pid)
        self.frozen[pid] = (dict(view.rows), list(view.order))

    def refresh(
        self,
        state: ProgramState,
        audience: str,
        cids: set[str],
        changed: set[str] | frozenset[str] = frozenset(),
        remarked: str | None = None,
    ) -> dict[str, Any] | None:
        """Update the rows of ``cids`` (``changed``: those the event was about, ``remarked``
        the aspect it marked) and the order; the delta, or None when nothing changed."""
        view = self.view(state.program.id, audience)
        vis = state.visibility
        removed: list[str] = []
        coded = audience == PUBLIC and public_codes.coded(state)
        if view in self.coded and not coded:  # decrypted (or hidden): the rows by id again
            self.coded.discard(view)
            comps = state.program.competitors
            removed = [k for k in view.rows if k not in comps]
            cids = set(comps)
            self.orders.pop(view, None)
            self.headers.pop(view, None)
        # the header is made (and compared with the view's) only when what it shows may have
        # changed: most events are marks, which change none of it unless they settle someone
        header: dict[str, Any] | None = None
        if coded:  # the codes may have changed (a draw) without the header's inputs
            self.headers.pop(view, None)
        if not same_key(self.headers.get(view), state):
            header = {
                "visibility": VISIBILITY_TEXT[vis],
                "unresolved_ties": state.unresolved
                if audience == JURY or vis in (Visibility.LIVE, Visibility.PUBLISHED)
                else [],
                **lifecycle_header(state, audience == JURY),
            }
            self.headers[view] = header_key(state)
        if coded:
            return self._refresh_coded(state, view, header)
        if audience == PUBLIC and vis in (Visibility.HIDDEN, Visibility.FROZEN):
            self.orders.pop(view, None)  # the view shows another order than the state's
        if audience == PUBLIC and vis is Visibility.HIDDEN:
            comps = state.program.competitors
            rows: list[Row] = [
                {"rank": None, "competitor": comps[c].public(), "total": None} for c in cids
            ]
            order = sorted(comps, key=lambda c: comps[c].bib.zfill(8))
            return view.update(rows, order, header, removed=removed)
        if audience == PUBLIC and vis is Visibility.FROZEN and state.program.id in self.frozen:
            return self._refresh_frozen(state, view, cids, header)
        # the very rows the view holds have not changed
        # a row whose rank alone moved goes in the delta's ``ranks`` (not under codes, where
        # the server rewrites the jury's rows: ``server/jury_codes.py``)
        moved: Moved | None = None if state.program.anonymous else ({}, {})
        ids, rows = self.rows.changed_rows(
            state, audience, cids, changed, remarked, view.rows, moved
        )
        # the order is offered only when the state made a new one since this view last took it
        new_order: list[str] | None = None
        if audience == JURY and state.program.anonymous and masked(state):
            self.orders.pop(view, None)  # under codes: ties and the unranked by code
            new_order = desk_order(state)  # (the view sends it only when it changed)
        elif self.orders.get(view) is not state.order:
            self.orders[view] = state.order
            new_order = state.order  # (kept as is: the state replaces its order, never changes it)
        return view.update(rows, new_order, header, removed=removed, ids=ids, moved=moved)

    def _refresh_coded(
        self, state: ProgramState, view: View, header: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The public view by code (``public_codes``): every row remade (an anonymous program
        is small), those of ids or of an earlier draw's codes removed."""
        self.coded.add(view)
        self.orders.pop(view, None)
        book = public_codes.book(state)
        # by code: in the file's order (the start list's), row k would be the k-th competitor
        comps = state.program.competitors
        drawn = sorted((c for c in book if c in comps), key=book.__getitem__)
        ids = [book[c] for c in drawn]
        rows = [public_codes.row(self.rows.row(state, c, PUBLIC), book[c], state, c) for c in drawn]
        keep = set(ids)
        removed = [k for k in view.rows if k not in keep]
        ties = public_codes.by_code(state.program)  # ties are of ranks: not shown then
        shown = public_codes.header(header, book, ties, state) if header is not None else None
        return view.update(rows, public_codes.order(state, book), shown, removed, ids)

    def remarked(self, state: ProgramState, cid: str, aid: str) -> dict[str, Any] | None:
        """The jury board after a mark on ``cid``'s aspect ``aid`` that left its result,
        standings and progress as they were: ``refresh`` of that one row, done directly when
        the header and the order are as the view last took them (the common case)."""
        view = self.view(state.program.id, JURY)
        if (
            self.orders.get(view) is not state.order
            or not same_key(self.headers.get(view), state)
            or (state.program.anonymous and masked(state))
        ):
            return self.refresh(state, JURY, {cid}, {cid}, aid)
        held = view.rows.get(cid)
        row = self.rows.remark(state, cid, aid)
        if held is row:
            return None
        if held is not None and self.rows.remade is held:
            # the row it holds with the marked aspect's new entry (``RowCache._remarked``)
            return view.replace(cid, row)
        return view.update([row], ids=[cid])

    def _refresh_frozen(
        self, state: ProgramState, view: View, cids: set[str], header: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        frozen_rows, frozen_order = self.frozen[state.program.id]
        rows = []
        for c in cids:
            live = self.rows.row(state, c, PUBLIC)
            then = frozen_rows.get(c)
            if then is None:
                continue
            rows.append({**then, "pending": True} if results_differ(then, live) else then)
        return view.update(rows, frozen_order, header)
