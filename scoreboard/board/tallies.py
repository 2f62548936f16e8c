"""The overview's cross-program figures, kept event by event: the medal table by delegation
and the best standardised result (scoring.md §7). A change in one program costs the same
whatever the number of programs (issue 11, issue 17).

- ``MedalTally``: each delegation's medal counts (and so its points, 团体总分) per audience,
  adjusted by the medals that changed hands; the table is re-ranked (by delegation, never by
  program) only when a count changed. The public's counts the programs whose results are
  final (issue 14: a result in 公示 may still change on appeal) and knows how many programs
  are in 公示, not counted yet; the jury's counts every program, as it stands.
- ``BestTracker``: each standardised program's best score as an exact whole number on a
  common scale, per audience in a sorted list: the overall best is its end.

A medal counts under the medal table's column at its position in its program's medal
rule: the table's columns are the names of the longest medal rule, so a program that names
its medals ``金牌, 银牌, 铜牌`` counts them as the 1st, 2nd and 3rd medal, as ``medal_points``
does.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from fractions import Fraction
from typing import Any

from ..model import Competition, Lifecycle, Program, Visibility
from ..numbers import fmt
from ..program import ProgramState
from ..program.anonymous import masked
from ..standardise import score
from .channels import AUDIENCES, JURY, PUBLIC


def counts(state: ProgramState, audience: str, *, final: bool = False) -> bool:
    """Whether ``state``'s program counts in ``audience``'s tables. The public's: when published,
    and for the medal table (``final``) once its results are final (an old ledger's publish made
    them final at once). The jury's: unless it is anonymous and not decrypted (its medals would
    say which delegation won under which code)."""
    if audience == PUBLIC:  # (an encrypted program shown by codes is never published)
        shown = state.visibility is Visibility.PUBLISHED and not masked(state)
        return shown and (not final or state.lifecycle.stage is Lifecycle.FINAL)
    return not masked(state)


def positions(program: Program, competition: Competition) -> dict[str, int]:
    """Each award of ``program`` that counts in the medal table, with its position (its column,
    before the table's columns are known): the program's medal rule, or for a program without
    medals the file's count_awards (一/二/三等奖)."""
    pos: dict[str, int] = {}
    for i, m in enumerate(program.medal_names() or competition.count_awards):
        pos.setdefault(m, i)
    return pos


class MedalTally:
    def __init__(self, competition: Competition, programs: dict[str, ProgramState]) -> None:
        self.programs = programs
        names: tuple[str, ...] = ()
        self.position: dict[str, dict[str, int]] = {}
        for pid, st in programs.items():
            medal_names = st.program.medal_names()
            if len(medal_names) > len(names):
                names = medal_names
            self.position[pid] = positions(st.program, competition)
        names = names or competition.count_awards
        for pos in self.position.values():  # a position past the table's columns is not counted
            for m in [m for m, i in pos.items() if i >= len(names)]:
                del pos[m]
        self.names = names
        self.points = competition.medal_points
        self.delegations = list(competition.delegations)
        self.counts: dict[str, dict[str, list[int]]] = {
            a: {d: [0] * len(names) for d in self.delegations} for a in AUDIENCES
        }
        self.won: dict[str, dict[str, tuple[str, int]]] = {}  # program → competitor → medal
        # the programs each audience counts (``counts``): the jury's all but the encrypted,
        # the public's the final ones
        self.counted: dict[str, set[str]] = {JURY: set(programs), PUBLIC: set()}
        self.publication: set[str] = set()  # in 公示: public, not counted yet
        self.tables: dict[str, list[dict[str, Any]] | None] = dict.fromkeys(AUDIENCES)
        for pid in programs:
            self.won[pid] = {}
            self.count(pid)
            self.stage_changed(pid)

    def _add(self, pid: str, medal: tuple[str, int], by: int) -> None:
        deleg, i = medal
        for a in AUDIENCES:
            if pid in self.counted[a]:
                row = self.counts[a].get(deleg)
                if row is not None:  # a delegation outside the list is not in the table
                    row[i] += by
                    self.tables[a] = None

    def count(self, pid: str, cids: set[str] | None = None) -> None:
        """Note the medals of ``pid``'s competitors ``cids`` (None: all)."""
        st = self.programs[pid]
        pos = self.position[pid]
        comps = st.program.competitors
        won = self.won[pid]
        for cid in st.standings if cids is None else cids:
            award = st.standings[cid].award
            i = None if award is None else pos.get(award)
            deleg = comps[cid].delegation
            new = None if i is None or deleg is None else (deleg, i)
            old = won.get(cid)
            if new == old:
                continue
            if old is not None:
                self._add(pid, old, -1)
                del won[cid]
            if new is not None:
                won[cid] = new
                self._add(pid, new, 1)

    def not_counted(self, audience: str) -> int:
        """How many programs in 公示 the audience's table does not count yet."""
        return len(self.publication) if audience == PUBLIC else 0

    def stage_changed(self, pid: str) -> None:
        """Count ``pid`` in each audience's table when it counts there (``counts``), after its
        visibility, its lifecycle stage or its decryption changed."""
        st = self.programs[pid]
        if st.lifecycle.stage is Lifecycle.PUBLICATION:
            self.publication.add(pid)
        else:
            self.publication.discard(pid)
        for audience in AUDIENCES:
            shown = counts(st, audience, final=True)
            counted = self.counted[audience]
            if shown == (pid in counted):
                continue
            sign = 1 if shown else -1
            for deleg, i in self.won[pid].values():
                row = self.counts[audience].get(deleg)
                if row is not None:
                    row[i] += sign
                    self.tables[audience] = None
            if shown:
                counted.add(pid)
            else:
                counted.discard(pid)

    def table(self, audience: str) -> list[dict[str, Any]]:
        t = self.tables[audience]
        if t is None:
            t = self.tables[audience] = self._rank(self.counts[audience])
        return t

    def _rank(self, tally: dict[str, list[int]]) -> list[dict[str, Any]]:
        """As ``awards.medal_table``: by points (when given), then gold, silver, bronze, then
        by code; tied delegations share a rank; a delegation with nothing has none."""
        names, points = self.names, self.points

        def pts(c: list[int]) -> int:
            return sum(p * x for p, x in zip(points, c, strict=False)) if points else 0

        # (the sort key, the code): points 0 without medal points
        keyed = sorted(((-pts(c), *[-x for x in c]), d) for d, c in tally.items())
        rows = []
        prev: object = None
        rank = 0
        for i, (key, d) in enumerate(keyed):
            if key != prev:
                rank, prev = i + 1, key
            c = tally[d]
            rows.append(
                {
                    "delegation": d,
                    "rank": rank if any(c) else None,  # nothing won: listed, not ranked
                    "medals": dict(zip(names, c, strict=True)),
                    "points": pts(c),
                    "total": sum(c),
                }
            )
        return rows


class BestTracker:
    def __init__(self, programs: dict[str, ProgramState]) -> None:
        self.programs = programs
        self.index = {pid: i for i, pid in enumerate(programs)}
        places = [
            st.program.standardisation.places
            for st in programs.values()
            if st.program.standardisation is not None
        ]
        self.scale: int = 10 ** max(places, default=0)
        self.best: dict[str, tuple[int, Fraction, tuple[str, ...]]] = {}  # program → its best
        self.keys: dict[str, list[tuple[int, int]]] = {a: [] for a in AUDIENCES}  # sorted
        self.counted: dict[str, set[str]] = {JURY: set(programs), PUBLIC: set()}
        self.results: dict[str, list[dict[str, Any]] | None] = dict.fromkeys(AUDIENCES)
        for pid in programs:
            self.note(pid)
            self.visibility_changed(pid)

    def note(self, pid: str) -> None:
        """Take ``pid``'s best standardised score (after its standings changed)."""
        got = self.programs[pid].best_standardised()
        new = None
        if got is not None:
            k, scale, cids = got
            new = (k * (self.scale // scale), score(k, scale), tuple(cids))
        old = self.best.get(pid)
        if new == old:
            return
        for a in AUDIENCES:
            if pid in self.counted[a]:
                self._move(a, pid, old, new)
        if new is None:
            del self.best[pid]
        else:
            self.best[pid] = new

    def _move(self, audience: str, pid: str, old: Any, new: Any) -> None:
        keys = self.keys[audience]
        at = self.index[pid]
        top_before = keys[-1][0] if keys else None
        if old is not None:
            del keys[bisect_left(keys, (old[0], at))]
        if new is not None:
            insort(keys, (new[0], at))
        top_after = keys[-1][0] if keys else None
        for k in (old, new):  # it was, or is, at the top: what the overview shows changed
            if k is not None and k[0] in (top_before, top_after):
                self.results[audience] = None

    def visibility_changed(self, pid: str) -> None:
        for audience in AUDIENCES:
            counted = self.counted[audience]
            shown = counts(self.programs[pid], audience)
            if shown == (pid in counted):
                continue
            best = self.best.get(pid)
            if shown:
                counted.add(pid)
                self._move(audience, pid, None, best)
            else:
                counted.discard(pid)
                self._move(audience, pid, best, None)

    def result(self, audience: str) -> list[dict[str, Any]]:
        """scoring.md §7: the best standardised result across programs, every tied winner
        kept, in the competition's program order."""
        out = self.results[audience]
        if out is not None:
            return out
        keys = self.keys[audience]
        pids = list(self.programs)
        top: list[int] = []
        i = len(keys) - 1
        while i >= 0 and keys[i][0] == keys[-1][0]:
            top.append(keys[i][1])
            i -= 1
        out = []
        for at in sorted(top):
            pid = pids[at]
            _, score, cids = self.best[pid]
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
        self.results[audience] = out
        return out
