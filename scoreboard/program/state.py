"""One program's live state: its marks, locks and sign-offs, results and standings.

``ProgramState.check(event)`` refuses what the scheme or the author's
assignment does not allow, without changing anything; ``apply(event)``
changes the state and returns the ids of competitors whose result changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

from ..events import (
    Decrypted,
    DrawMade,
    EntryMade,
    Event,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
)
from ..kinds import Lifecycle
from ..lifecycle import LIFECYCLE_EVENTS, LifecycleState, apply_lifecycle, check_lifecycle
from ..lifecycle.events import MarkCorrected
from ..model import Aggregation, Aspect, Competition, Program, Status, Visibility
from ..scoring import PENDING_RESULT, AspectResult, parse_entry, score_aspect
from ..totals import Result, total_up
from . import anonymous, entries, layer_rule
from .checks import check_event
from .entries import Entry, Key
from .field_ranking import rank_field
from .incremental import rank_one
from .progress import Mark, as_mark, settled
from .standings import RankMemo, Standing, best_standardised

LIFECYCLE_TYPES = tuple(LIFECYCLE_EVENTS.values())
MARKS = (MarkSubmitted, MarkWithdrawn)


@dataclass
class ProgramState:
    program: Program
    competition: Competition
    visibility: Visibility = Visibility.LIVE
    marks: dict[str, dict[str, dict[str, Mark]]] = field(default_factory=dict)  # cid → aid → judge
    aspect_results: dict[str, dict[str, AspectResult]] = field(default_factory=dict)
    results: dict[str, Result] = field(default_factory=dict)
    statuses: dict[str, Status] = field(default_factory=dict)
    locks: set[tuple[str, str]] = field(default_factory=set)  # (cid, criterion or "")
    signoffs: set[tuple[str, str]] = field(default_factory=set)  # (cid, judge)
    signed_at: dict[tuple[str, str], int] = field(default_factory=dict)  # (cid, judge) → ts
    signed_layers: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # part
    layer_signed_at: dict[tuple[str, str, str], int] = field(default_factory=dict)  # + layer
    entries: dict[Key, dict[str, Entry]] = field(default_factory=dict)  # 双人录入, held
    agreed: set[Key] = field(default_factory=set)
    resolved: dict[Key, str] = field(default_factory=dict)  # a mismatch the chief resolved
    entry_ids: dict[str, tuple[str, ...]] = field(default_factory=dict)  # author:id → typed
    order: list[str] = field(default_factory=list)
    standings: dict[str, Standing] = field(default_factory=dict)
    unresolved: list[list[str]] = field(default_factory=list)
    marks_applied: int = 0
    draw: DrawMade | None = None  # the program's draw (抽签), the latest if it was redrawn
    draws: int = 0
    decrypted: bool = False  # an anonymous program's codes are open (解密)
    changed_standings: set[str] = field(default_factory=set)  # by the last event applied
    changed_awards: set[str] | None = field(default=None, repr=False, compare=False)  # of them
    # of them, whose standing a mark moved in rank alone, with the one it had (``rank_one``)
    rank_moves: dict[str, Standing] | None = field(default=None, repr=False, compare=False)
    lifecycle: LifecycleState = field(default_factory=LifecycleState)
    settled: set[str] = field(default_factory=set)  # marking complete, or not OK (DNS…)
    # what a row shows besides its result: visibility and stage (one object until they change);
    # not tuple[V, L]: mypyc unboxes that, and each read would be a new object (rows cache on it)
    row_mode: tuple[Visibility | Lifecycle, ...] = (Visibility.LIVE, Lifecycle.MARKING)
    # every event but marks and withdrawals, in order: what an amendment re-applies (rebase)
    procedure: list[Event] = field(default_factory=list, repr=False, compare=False)
    # caches, derived from the above and the program (never part of the state's value)
    _parsed: dict[tuple[str, str], Fraction] = field(
        default_factory=dict, repr=False, compare=False
    )
    _memo: RankMemo = field(init=False, repr=False, compare=False)
    # rank one competitor at a time when that gives what ranking the field does
    _incremental: bool = field(default=False, init=False, repr=False, compare=False)
    # marks a long replay recorded and ``settle`` has not scored yet: competitor → aspects
    _unscored: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)
    # whether the aspect ``_score`` scored last changed state (pending, complete, flagged)
    _state_moved: bool = field(default=True, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prog = self.program
        self.visibility = prog.visibility
        empty = total_up(prog, {})
        for cid, comp in prog.competitors.items():
            self.marks[cid] = {}
            self.aspect_results[cid] = {}
            self.results[cid] = replace(empty, aspects=self.aspect_results[cid])
            self.statuses[cid] = comp.status
            self._settle(cid)
        self.row_mode = (self.visibility, self.lifecycle.stage)
        self._memo = RankMemo.of(prog)
        self._incremental = self._memo.allows_incremental(prog)
        self.rank()

    def check(self, event: Event) -> None:
        """Raise ``EventRefused`` if ``event`` may not be applied; never changes state."""
        if isinstance(event, LIFECYCLE_TYPES):
            if not anonymous.check_step(self, event):
                check_lifecycle(self, event)
        else:
            check_event(self, event)

    def has_mark(self, cid: str, aid: str, judge: str) -> bool:
        return judge in self.marks[cid].get(aid, {})

    def parse(self, aspect: Aspect, value: str) -> Fraction:
        """``parse_entry``, remembered: judges enter the same few values again and again."""
        key = (aspect.id, value)
        raw = self._parsed.get(key)
        if raw is None:
            raw = parse_entry(aspect, value, self.program.places)
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            self._parsed[key] = raw
        return raw

    def apply(self, event: Event) -> set[str]:
        """Apply a checked event; return the competitors whose result changed.

        ``changed_standings`` then holds the competitors whose standing (placing,
        standardised score, award, titles, best of delegation) the event changed.
        """
        self.check(event)
        self.changed_standings = set()
        self.changed_awards = self.rank_moves = None
        if isinstance(event, MARKS):  # most events: taken first
            return self._apply_mark(event)
        changed: set[str] = set()
        rerank = False
        settle = True
        self.procedure.append(event)
        if isinstance(event, EntryMade):
            agreed = entries.record(self, event)
            if agreed is None:
                return {event.competitor}  # held: the jury row shows the entries
            return self._apply_mark(agreed)  # two operators agree: the judge's mark
        if isinstance(event, LIFECYCLE_TYPES):
            rerank = apply_lifecycle(self, event)
            changed |= anonymous.confirmed(self, event)  # 解密 confirmed by a supervisor
            if isinstance(event, MarkCorrected):
                changed.add(event.competitor)
        elif isinstance(event, (SignedOff, Locked, Unlocked)):  # by layer: layer_rule.py
            if isinstance(event, SignedOff):
                layer_rule.sign(self, event)
            elif isinstance(event, Locked):
                self.locks.add(layer_rule.lock_key(event))
            else:  # an unlock reopens the marks (of its layer) for the judges who signed off
                layer_rule.reopen(self, event)
            changed.add(event.competitor)
        elif isinstance(event, VisibilityChanged):
            self.visibility = Visibility(event.visibility)
            if self.visibility is Visibility.PUBLISHED:  # the old publish: final at once
                self.lifecycle.stage = Lifecycle.FINAL
                self.lifecycle.legacy = True
                self.lifecycle.note("published", event.author, event.ts)
        elif isinstance(event, StatusChanged):
            self.statuses[event.competitor] = Status(event.status)
            changed.add(event.competitor)
            rerank = True
        elif isinstance(event, (DrawMade, Decrypted)):
            changed = anonymous.applied(self, event)
        if settle:
            for cid in changed:
                self._settle(cid)
        self._note_mode()
        # Standings follow from results and statuses only: when neither changed (a panel
        # still incomplete, an equal value, a sign-off, a lock) they stay as they are.
        if rerank:
            self.rank()
        return changed

    def _apply_mark(self, event: MarkSubmitted | MarkWithdrawn) -> set[str]:
        """``apply`` of a checked mark or withdrawal."""
        cid = event.competitor
        rerank = self._mark(event)
        memo, res, ok = self._memo, self.results[cid], self.statuses[cid] is Status.OK
        one = rerank and self._incremental and ok and cid in memo.placings and res.has_result
        if one:  # still in the ranked field: only its neighbourhood moves (``rank_one``)
            self.changed_awards = aw = set[str]()  # whose award changed
            rm: dict[str, Standing] = {}  # whose standing moved in rank alone
            self.rank_moves = rm
            standings = self.standings
            if rank_one(self.program, memo, cid, res, standings, self.changed_standings, aw, rm):
                self.order = memo.ranked + memo.tail
        if self._state_moved:  # settled or not follows from its aspects' states alone
            self._settle(cid)
        if not one:
            self._note_mode()
            if rerank:  # else the standings stay as they are (a panel still incomplete…)
                self.rank()
        return {cid}

    def _note_mode(self) -> None:
        mode = (self.visibility, self.lifecycle.stage)
        if mode != self.row_mode:
            self.row_mode = mode

    def correct(self, event: MarkCorrected) -> bool:
        """A checked correction: the judge's mark takes the corrected value."""
        return self._mark(as_mark(self.program.id, event))

    def _settle(self, cid: str) -> None:
        (self.settled.add if settled(self, cid) else self.settled.discard)(cid)

    def absorb(self, event: MarkSubmitted | MarkWithdrawn) -> None:
        """A mark recorded, not scored (a long replay: ``settle`` scores); may refuse."""
        self.check(event)
        self._record(event)
        self._unscored.setdefault(event.competitor, set()).add(event.aspect)

    def settle(self) -> set[str]:
        """Score what ``absorb`` recorded and rank once (as one by one); who changed."""
        changed: set[str] = set()
        for cid, aids in self._unscored.items():
            # the points or the state (pending, complete, flagged) of an aspect moved
            if any([self._score(cid, aid, states=True) for aid in aids]):
                self.results[cid] = total_up(self.program, self.aspect_results[cid])
                changed.add(cid)
            self._settle(cid)
        self._unscored = {}
        self.changed_standings, self.rank_moves = set(), None
        if changed:
            self.rank()
        return changed

    def _mark(self, event: MarkSubmitted | MarkWithdrawn) -> bool:
        """Record or withdraw a mark and rescore its aspect; True when the result changed."""
        self._record(event)
        return self._rescore(event.competitor, event.aspect)

    def _record(self, event: MarkSubmitted | MarkWithdrawn) -> None:
        if isinstance(event, MarkSubmitted):
            aspect = self.program.aspects[event.aspect]
            raw = self.parse(aspect, event.value)
            if (panel := self.marks[event.competitor].get(event.aspect)) is None:  # (no setdefault:
                panel = self.marks[event.competitor][event.aspect] = {}  # a dict every mark)
            # §9.4: a later mark by the same judge replaces the earlier one
            panel.pop(event.judge, None)  # keep the panel in the order the marks were made
            panel[event.judge] = Mark(event.id, event.judge, event.value, raw, event.ts)
            self.marks_applied += 1
        else:
            del self.marks[event.competitor][event.aspect][event.judge]

    def _rescore(self, cid: str, aid: str) -> bool:
        """Rescore one aspect of one competitor; True when its points changed (and so the result)."""
        if not self._score(cid, aid):
            return False  # the same points: criteria, totals, ranks and awards are unchanged
        criterion = self.program.aspects[aid].criterion
        self.results[cid] = total_up(
            self.program, self.aspect_results[cid], self.results[cid], criterion
        )
        return True

    def _score(self, cid: str, aid: str, states: bool = False) -> bool:
        """Score one aspect from its marks; True when its points (``states``: state) changed."""
        aspect = self.program.aspects[aid]
        panel = self.marks[cid].get(aid, {})
        if len(panel) < aspect.panel and aspect.aggregation is not Aggregation.SINGLE:
            res = PENDING_RESULT  # as score_aspect gives it, without collecting the entries
        else:
            raws = [m.raw for m in panel.values()]
            if aspect.aggregation is Aggregation.SINGLE:
                raws = raws[-1:]  # one agreed value: the latest entered by anyone on the panel
            comp = self.program.competitors[cid]
            res = score_aspect(aspect, comp, raws, self.program.stage, self.program.places)
        per = self.aspect_results[cid]
        old = per.get(aid)
        per[aid] = res  # the result's aspects are this dict: their states are up to date
        if old is None:
            self._state_moved = True
            return res.value is not None or states
        self._state_moved = old.state != res.state
        return old.value != res.value or (states and self._state_moved)

    def rank(self) -> None:
        """Standardised scores, ranks and awards of the whole program anew (and who of them
        changed: ``changed_standings``)."""
        ranked = rank_field(
            self.program, self._memo, self.statuses, self.results, self.standings, self._incremental
        )
        self.unresolved = ranked.unresolved
        self.rank_moves = None  # (standings of the whole field: none moved by rank alone)
        self.standings = ranked.standings
        self.changed_standings |= ranked.changed
        self.order = ranked.order

    def best_standardised(self) -> tuple[int, int, list[str]] | None:
        return best_standardised(self.program, self._memo)  # (``standings.best_standardised``)
