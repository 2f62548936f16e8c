"""The ticker channel: the latest public results, newest first."""

from __future__ import annotations

from typing import Any

from ..events import EntryMade, MarkSubmitted, MarkWithdrawn
from ..model import Competitor, Visibility
from ..program import ProgramState
from ..views import View
from .channels import TICKER, Update
from .public_codes import book, coded, public_key

TICKER_LENGTH = 20


class Ticker:
    def __init__(self, history: int) -> None:
        self.view = View({"ticker": True}, history)
        self.seq = 0

    def tick(
        self,
        state: ProgramState,
        public: View,
        event: MarkSubmitted | MarkWithdrawn | EntryMade,
        old_total: object,
    ) -> Update | None:
        """A new item when the competitor's public total changed (``public``: the program's
        public view, already refreshed; ``old_total``: the total it showed before)."""
        if state.visibility not in (Visibility.LIVE, Visibility.PUBLISHED):
            return None
        row = public.rows.get(public_key(state, event.competitor))
        if row is None or row.get("total") == old_total or not row.get("total"):
            return None
        self.seq += 1
        item = {
            "id": f"t{self.seq}",
            "program": state.program.id,
            "program_name": state.program.name,
            "competitor": row["competitor"],
            "total": row["total"],
            "rank": row["rank"],
            "provisional": row["provisional"],
            "ts": event.ts,
        }
        view = self.view
        # the newest first: the item's id is new, so the oldest past the length drop off
        order = [item["id"], *view.order[: TICKER_LENGTH - 1]]
        removed = view.order[TICKER_LENGTH - 1 :]
        d = view.update([item], order, removed=removed)
        return Update(TICKER, d) if d is not None else None

    def untick(self, pid: str) -> Update | None:
        """Take a program's items off (results posted while it was live are not public any more)."""
        view = self.view
        gone = [i for i in view.order if view.rows[i]["program"] == pid]
        if not gone:
            return None
        d = view.update([], [i for i in view.order if i not in gone], removed=gone)
        return Update(TICKER, d) if d is not None else None

    def decrypted(self, state: ProgramState) -> Update | None:
        """解密: the program's items posted by code take the competitors' names."""
        view = self.view
        pid = state.program.id
        rows = []
        for i in view.order:
            row = view.rows[i]
            comp = named_by(state, row) if row["program"] == pid else None
            if comp is not None and row["competitor"].get("coded"):
                rows.append({**row, "competitor": comp.public()})
        d = view.update(rows, list(view.order)) if rows else None
        return Update(TICKER, d) if d is not None else None

    def amended(self, programs: dict[str, ProgramState]) -> Update | None:
        """After an amendment: items name competitors and programs as amended; items of a program
        gone or hidden now are taken off."""
        view = self.view
        keep, rows = [], []
        for i in view.order:
            row = view.rows[i]
            state = programs.get(row["program"])
            if state is None or state.visibility is Visibility.HIDDEN:
                continue
            keep.append(i)
            comp = named_by(state, row)
            named: dict[str, object] = {"program_name": state.program.name}
            if comp is not None:
                named["competitor"] = comp.public()
            rows.append({**row, **named})
        gone = [i for i in view.order if i not in keep]
        d = view.update(rows, keep, removed=gone)
        return Update(TICKER, d) if d is not None else None


def named_by(state: ProgramState, item: dict[str, Any]) -> Competitor | None:
    """The competitor a ticker item names: by id, or by the workstation number of an item
    posted by code, once the program is decrypted (while it is coded, nobody: the number may
    be another competitor's id, "01")."""
    who = item["competitor"]
    if not who.get("coded"):
        return state.program.competitors.get(who["id"])
    if coded(state):
        return None
    cid = {code: c for c, code in book(state).items()}.get(who["id"])
    return state.program.competitors.get(cid) if cid is not None else None
