"""The overview channels: every program with its visibility and progress, the medal table
by delegation (the public's: final results only; ``not_counted``: the programs in 公示 it
does not count yet) and the best standardised result across programs (scoring.md §7)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Competition, Layer, Lifecycle, Visibility
from ..program import ProgramState
from ..program.anonymous import desk_layer, layer_progress, layered, masked
from ..views import View
from .channels import PUBLIC
from .tallies import BestTracker, MedalTally


class Overview:
    """What the overview shows, kept up to date event by event."""

    def __init__(self, competition: Competition, programs: dict[str, ProgramState]) -> None:
        self.competition = competition
        self.programs = programs
        self.with_result = {
            pid: {cid for cid, r in st.results.items() if r.has_result}
            for pid, st in programs.items()
        }
        self.medals = MedalTally(competition, programs)
        self.best = BestTracker(programs)
        self.shown: dict[
            tuple[str, str], tuple[str, Visibility, int, int, Lifecycle]
        ] = {}  # as last shown

    def results_changed(self, pid: str, cids: Iterable[str]) -> bool:
        """Note who of ``cids`` has a result now; True when that changed the count."""
        st = self.programs[pid]
        have = self.with_result[pid]
        before = len(have)
        for cid in cids:
            if st.results[cid].has_result:
                have.add(cid)
            else:
                have.discard(cid)
        return len(have) != before

    def standings_changed(self, pid: str, cids: set[str]) -> bool:
        """Note the medals and the best score of ``pid`` after the standings of ``cids`` changed
        (those whose award changed are enough, when the caller knows them). True when a medal table or an overall best is to be made anew: of the standings, the
        overview shows only those (most moves change neither)."""
        self.medals.count(pid, cids)
        self.best.note(pid)
        return None in self.medals.tables.values() or None in self.best.results.values()

    def visibility_changed(self, pid: str) -> None:
        self.medals.stage_changed(pid)
        self.best.visibility_changed(pid)

    def stage_changed(self, pid: str) -> None:
        self.medals.stage_changed(pid)

    def refresh(self, view: View, audience: str, pids: list[str]) -> dict[str, Any] | None:
        """Update ``view`` (the overview of ``audience``) for the programs ``pids``."""
        shown = [
            (
                pid,
                self.programs[pid].visibility,
                *self.counts(pid, audience),
                self.programs[pid].lifecycle.stage,
            )
            for pid in pids
        ]
        medals = self.medals.table(audience)
        best = self.best.result(audience)
        not_counted = self.medals.not_counted(audience)
        header = view.header
        if (
            medals is header.get("medals")
            and best is header.get("overall_best")
            and not_counted == header.get("not_counted")
            and all(self.shown.get((audience, s[0])) == s for s in shown)
        ):
            return None  # nothing it shows has changed
        rows = []
        for s in shown:
            pid, vis, marked, complete, stage = s
            st = self.programs[pid]
            rows.append(
                {
                    "id": pid,
                    "name": st.program.name,
                    "visibility": vis.value,
                    "competitors": len(st.program.competitors),
                    "with_result": marked,
                    "complete": complete,  # marking complete (the gate's count)
                    "lifecycle": stage.value,
                }
            )
            self.shown[(audience, pid)] = s
        order = None if view.order else list(self.programs)  # the programs' order never changes
        delta = view.update(
            rows, order, {"medals": medals, "overall_best": best, "not_counted": not_counted}
        )
        # the view holds what it was given, or an equal table it already had: take that one
        self.medals.tables[audience] = header["medals"]
        self.best.results[audience] = header["overall_best"]
        return delta

    def counts(self, pid: str, audience: str) -> tuple[int, int]:
        """(with a result, complete): a masked two-layer program's of one layer alone, its
        desk's on the jury's overview, the workstation number's (the public board's) on the
        public's: its own counts join the layers (``anonymous.layer_progress``), and moved with
        a workstation's first mark or completion only if its second code was marked."""
        st = self.programs[pid]
        if masked(st) and layered(st.program):
            layer = Layer.WORKSTATION if audience == PUBLIC else desk_layer(st.program)
            return layer_progress(st, layer)
        return len(self.with_result[pid]), len(st.settled)

    def overall_best(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """scoring.md §7: the best standardised result across programs, every tied winner kept
        (the public's counts published programs only)."""
        return self.best.result(audience)

    def medal_table(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """Medals by delegation; the public table counts final results only."""
        return self.medals.table(audience)
