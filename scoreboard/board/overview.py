"""The overview channels: every program with its visibility and progress, the medal table
by delegation and the best standardised result across programs (scoring.md §7)."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from ..awards import medal_table
from ..model import Competition, Visibility
from ..numbers import fmt
from ..program import ProgramState
from ..views import View
from .channels import JURY, PUBLIC


class Overview:
    """What the overview shows, kept up to date event by event."""

    def __init__(self, competition: Competition, programs: dict[str, ProgramState]) -> None:
        self.competition = competition
        self.programs = programs
        self.with_result = {
            pid: {cid for cid, r in st.results.items() if r.has_result}
            for pid, st in programs.items()
        }
        self.won: dict[str, dict[str, str | None]] = {}  # program → competitor → medal
        self.medals: dict[str, list[dict[str, Any]]] = {}  # audience → medal table, while valid
        self.best: dict[str, tuple[Fraction, list[str]]] = {}  # program → its best standardised
        self.shown: dict[tuple[str, str], tuple[str, Visibility, int]] = {}  # as last shown
        for pid in programs:
            self.count_medals(pid)
            self.note_best(pid)

    def results_changed(self, pid: str, cids: Iterable[str]) -> None:
        """Note who of ``cids`` has a result now."""
        st = self.programs[pid]
        for cid in cids:
            if st.results[cid].has_result:
                self.with_result[pid].add(cid)
            else:
                self.with_result[pid].discard(cid)

    def refresh(self, view: View, audience: str, pids: list[str]) -> dict[str, Any] | None:
        """Update ``view`` (the overview of ``audience``) for the programs ``pids``."""
        medals = self.medals.get(audience)
        shown = [(pid, self.programs[pid].visibility, len(self.with_result[pid])) for pid in pids]
        best = self.overall_best(audience)
        if (
            medals is not None
            and best == view.header.get("overall_best")
            and all(self.shown.get((audience, s[0])) == s for s in shown)
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
            self.shown[(audience, pid)] = (pid, vis, marked)
        if medals is None:
            medals = self.medals[audience] = self.medal_table(audience, self.won)
        return view.update(rows, list(self.programs), {"medals": medals, "overall_best": best})

    def note_best(self, pid: str) -> None:
        st = self.programs[pid]
        if st.program.standardisation is None:
            return
        scores = [
            (s.standardised, cid) for cid, s in st.standings.items() if s.standardised is not None
        ]
        if not scores:
            self.best.pop(pid, None)
            return
        top = max(v for v, _ in scores)
        self.best[pid] = (top, sorted(cid for v, cid in scores if v == top))

    def overall_best(self, audience: str = PUBLIC) -> list[dict[str, Any]]:
        """scoring.md §7: the best standardised result across programs, every tied winner kept
        (the public's counts published programs only)."""
        shown = [
            (pid, best)
            for pid, best in self.best.items()
            if audience == JURY or self.programs[pid].visibility is Visibility.PUBLISHED
        ]
        if not shown:
            return []
        top = max(best[0] for _, best in shown)
        out = []
        for pid, (score, cids) in shown:
            if score == top:
                prog = self.programs[pid].program
                assert prog.standardisation is not None  # only such programs have a best
                for cid in cids:
                    out.append(
                        {
                            "program": pid,
                            "competitor": prog.competitors[cid].public(),
                            "standardised": fmt(score, prog.standardisation.places),
                        }
                    )
        return out

    def count_medals(self, pid: str, cids: Iterable[str] | None = None) -> None:
        """Note the medals of a program (of ``cids`` only: the others' did not change); the
        medal tables are remade only when a medal changed hands."""
        st = self.programs[pid]
        names = st.program.medal_names()
        comps = st.program.competitors
        won = self.won.setdefault(pid, {})
        before = dict(won) if cids is None else None
        for cid in st.standings if cids is None else cids:
            award = st.standings[cid].award
            if award in names and comps[cid].delegation is not None:
                if won.get(cid) != award:
                    won[cid] = award
                    self.medals.clear()
            elif won.pop(cid, None) is not None:
                self.medals.clear()
        if before is not None and before != won:
            self.medals.clear()

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
