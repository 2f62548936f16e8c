"""One program's live state: its marks, locks and sign-offs, results and standings.

``ProgramState.check(event)`` refuses what the scheme or the author's
assignment does not allow, without changing anything; ``apply(event)``
changes the state and returns the ids of competitors whose result changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .awards import Entrant, award
from .errors import InvalidValue, NotAllowed, StateConflict, UnknownId
from .events import (
    Event,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
)
from .model import Aggregation, Competition, Judge, Program, Role, Status, Visibility
from .numbers import ZERO, round_half_up
from .ranking import Placing, rank
from .scoring import AspectResult, Result, parse_entry, score_aspect, total_up
from .standardise import standardise

# Visibility transitions (style.md: states are enums with guarded transitions).
# `published` is final and official: it is left only through a new competition file.
TRANSITIONS: dict[Visibility, set[Visibility]] = {
    Visibility.LIVE: {Visibility.FROZEN, Visibility.HIDDEN, Visibility.PUBLISHED},
    Visibility.FROZEN: {Visibility.LIVE, Visibility.HIDDEN, Visibility.PUBLISHED},
    Visibility.HIDDEN: {Visibility.LIVE, Visibility.FROZEN, Visibility.PUBLISHED},
    Visibility.PUBLISHED: set(),
}


@dataclass(frozen=True)
class Mark:
    event: str  # the mark's id
    judge: str
    value: str
    raw: Fraction
    ts: int


@dataclass
class Standing:
    """Everything ranking gives one competitor."""

    placing: Placing | None = None
    standardised: Fraction | None = None
    award: str | None = None
    titles: tuple[str, ...] = ()
    best_of_delegation: bool = False


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
    order: list[str] = field(default_factory=list)
    standings: dict[str, Standing] = field(default_factory=dict)
    unresolved: list[list[str]] = field(default_factory=list)
    marks_applied: int = 0

    def __post_init__(self) -> None:
        self.visibility = self.program.visibility
        empty = total_up(self.program, {})
        for cid, comp in self.program.competitors.items():
            self.marks[cid] = {}
            self.aspect_results[cid] = {}
            self.results[cid] = empty
            self.statuses[cid] = comp.status
        self.rank()

    # -- checks ---------------------------------------------------------------

    def _judge(self, judge_id: str) -> Judge:
        judge = self.competition.judges.get(judge_id)
        if judge is None:
            raise UnknownId(f"judge {judge_id!r} is not in the competition; sign in with your own credential",
                            "unknown_judge")  # fmt: skip
        return judge

    def _competitor(self, cid: str) -> None:
        if cid not in self.program.competitors:
            raise UnknownId(f"competitor {cid!r} is not in program {self.program.id}; check the bib",
                            "unknown_competitor")  # fmt: skip

    def _chief(self, author: str) -> None:
        judge = self._judge(author)
        if judge.role is not Role.CHIEF or not judge.assigned(self.program.id):
            raise NotAllowed(f"only the chief expert of {self.program.id} may do this; ask the chief",
                             "wrong_role")  # fmt: skip

    def _locked(self, cid: str, criterion: str) -> bool:
        return (cid, "") in self.locks or (cid, criterion) in self.locks

    def check(self, event: Event) -> None:
        """Raise ``EventRefused`` if ``event`` may not be applied; never changes state."""
        if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            judge = self._judge(event.judge)
            self._competitor(event.competitor)
            aspect = self.program.aspects.get(event.aspect)
            if aspect is None:
                raise UnknownId(f"aspect {event.aspect!r} is not in program {self.program.id}; use one of "
                                f"{', '.join(self.program.aspects)}", "unknown_aspect")  # fmt: skip
            if not judge.assigned(self.program.id, aspect):
                raise NotAllowed(f"judge {judge.id} is not assigned to {self.program.id} {aspect.id}; "
                                 "ask the chief expert to assign you", "not_assigned")  # fmt: skip
            comp = self.program.competitors[event.competitor]
            if (self.program.conflict_of_interest and judge.delegation is not None
                    and judge.delegation == comp.delegation):  # fmt: skip
                raise NotAllowed(f"judge {judge.id} is from {comp.delegation}, as is competitor {comp.bib}; "
                                 "another judge must mark this competitor", "conflict_of_interest")  # fmt: skip
            if self.visibility is Visibility.PUBLISHED:
                raise StateConflict(f"program {self.program.id} is published; results are final",
                                    "program_published")  # fmt: skip
            if self._locked(comp.id, aspect.criterion):
                raise StateConflict(f"{comp.bib} {aspect.criterion} is locked by the chief expert; "
                                    "ask the chief to unlock it with a reason", "locked")  # fmt: skip
            if (comp.id, judge.id) in self.signoffs:
                raise StateConflict(f"you signed off competitor {comp.bib}; ask the chief expert to unlock "
                                    "before changing a mark", "signed_off")  # fmt: skip
            if isinstance(event, MarkSubmitted):
                parse_entry(aspect, event.value, self.program.places)
            elif judge.id not in self.marks[comp.id].get(aspect.id, {}):
                raise StateConflict(f"there is no mark of yours on {comp.bib} {aspect.id} to withdraw", "no_mark")
        elif isinstance(event, SignedOff):
            self._judge(event.judge)
            self._competitor(event.competitor)
            if not self.competition.judges[event.judge].assigned(self.program.id):
                raise NotAllowed(f"judge {event.judge} is not assigned to {self.program.id}", "not_assigned")
            if (event.competitor, event.judge) in self.signoffs:
                raise StateConflict(f"you already signed off {event.competitor}", "already_signed_off")
        elif isinstance(event, (Locked, Unlocked)):
            self._chief(event.author)
            self._competitor(event.competitor)
            if event.criterion and event.criterion not in self.program.criteria:
                raise UnknownId(f"criterion {event.criterion!r} is not in program {self.program.id}",
                                "unknown_criterion")  # fmt: skip
            key = (event.competitor, event.criterion)
            if isinstance(event, Locked) and key in self.locks:
                raise StateConflict("this is already locked", "already_locked")
            if isinstance(event, Unlocked):
                if key not in self.locks:
                    raise StateConflict("this is not locked; nothing to unlock", "not_locked")
                if not event.reason.strip():
                    raise InvalidValue("an unlock needs a reason; say why the marks must change",
                                       "reason_required")  # fmt: skip
        elif isinstance(event, VisibilityChanged):
            self._chief(event.author)
            try:
                new = Visibility(event.visibility)
            except ValueError:
                raise InvalidValue(f"visibility {event.visibility!r} is unknown; use live, frozen, hidden or "
                                   "published", "invalid_value") from None  # fmt: skip
            allowed = TRANSITIONS[self.visibility]
            if new not in allowed:
                hint = (f"it can go to {', '.join(sorted(v.value for v in allowed))}" if allowed
                        else "published results are final")  # fmt: skip
                raise StateConflict(f"program {self.program.id} cannot go from {self.visibility.value} to "
                                    f"{new.value}; {hint}", "invalid_transition")  # fmt: skip
        elif isinstance(event, StatusChanged):
            self._chief(event.author)
            self._competitor(event.competitor)
            try:
                Status(event.status)
            except ValueError:
                raise InvalidValue(f"status {event.status!r} is unknown; use ok, DNS, DNF or DSQ",
                                   "invalid_value") from None  # fmt: skip

    # -- changes --------------------------------------------------------------

    def apply(self, event: Event) -> set[str]:
        """Apply a checked event; return the competitors whose result changed."""
        self.check(event)
        changed: set[str] = set()
        if isinstance(event, MarkSubmitted):
            aspect = self.program.aspects[event.aspect]
            raw = parse_entry(aspect, event.value, self.program.places)
            panel = self.marks[event.competitor].setdefault(event.aspect, {})
            # §9.4: a later mark by the same judge replaces the earlier one
            panel.pop(event.judge, None)  # keep the panel in the order the marks were made
            panel[event.judge] = Mark(event.id, event.judge, event.value, raw, event.ts)
            self.marks_applied += 1
            changed |= self._rescore(event.competitor, event.aspect)
        elif isinstance(event, MarkWithdrawn):
            panel = self.marks[event.competitor][event.aspect]
            del panel[event.judge]
            changed |= self._rescore(event.competitor, event.aspect)
        elif isinstance(event, SignedOff):
            self.signoffs.add((event.competitor, event.judge))
            changed.add(event.competitor)
        elif isinstance(event, Locked):
            self.locks.add((event.competitor, event.criterion))
            changed.add(event.competitor)
        elif isinstance(event, Unlocked):
            self.locks.discard((event.competitor, event.criterion))
            # an unlock reopens the competitor's marks for the judges who signed off
            self.signoffs = {s for s in self.signoffs if s[0] != event.competitor}
            changed.add(event.competitor)
        elif isinstance(event, VisibilityChanged):
            self.visibility = Visibility(event.visibility)
        elif isinstance(event, StatusChanged):
            self.statuses[event.competitor] = Status(event.status)
            changed.add(event.competitor)
        if changed or isinstance(event, StatusChanged):
            self.rank()
        return changed

    def _rescore(self, cid: str, aid: str) -> set[str]:
        aspect = self.program.aspects[aid]
        comp = self.program.competitors[cid]
        raws = [m.raw for m in self.marks[cid].get(aid, {}).values()]
        if aspect.aggregation is Aggregation.SINGLE:
            raws = raws[-1:]  # one agreed value: the latest entered by anyone on the panel
        res = score_aspect(aspect, comp, raws, self.program.stage, self.program.places)
        self.aspect_results[cid][aid] = res
        self.results[cid] = total_up(self.program, self.aspect_results[cid])
        return {cid}

    # -- standings ------------------------------------------------------------

    def key_value(self, cid: str, key: str) -> Fraction | None:
        """The value of a ranking key as printed (§9.3: values that print equal are tied)."""
        res = self.results[cid]
        kind, _, ref = key.partition(":")
        value: Fraction | None = None
        if kind == "total":
            value = res.total
        elif kind == "standardised":
            st = self.standings.get(cid)
            return st.standardised if st else None  # already rounded to its own places
        elif kind == "component":
            value = res.components.get(ref)
        elif kind == "criterion":
            value = res.criteria.get(ref)
        elif kind == "aspect":
            a = res.aspects.get(ref)
            value = a.value if a is not None else None
        return None if value is None else round_half_up(value, self.program.places)

    def rank(self) -> None:
        """Recompute standardised scores, ranks and awards for the whole program."""
        prog = self.program
        comps = prog.competitors
        ranked = [
            cid for cid in comps
            if self.statuses[cid] is Status.OK and not comps[cid].guest and self.results[cid].has_result
        ]  # fmt: skip
        standings = {cid: Standing() for cid in comps}
        self.standings = standings
        if prog.standardisation is not None:
            std = standardise(prog.standardisation, {cid: self.results[cid].total for cid in ranked})
            for cid, v in std.items():
                standings[cid].standardised = v
        keys = prog.ranking.keys
        values = {cid: [self.key_value(cid, k.key) for k in keys] for cid in ranked}
        bibs = {cid: comps[cid].bib.zfill(8) for cid in comps}
        order, placings = rank(ranked, keys, values, prog.ranking.mode, bibs)
        for cid, p in placings.items():
            standings[cid].placing = p
        groups: dict[int, list[str]] = {}
        for cid in order:
            if placings[cid].unresolved:
                groups.setdefault(placings[cid].standard, []).append(cid)
        self.unresolved = list(groups.values())
        field_ = [
            Entrant(cid, None if placings[cid].unresolved else placings[cid].standard,
                    {"total": self.results[cid].total, "standardised": standings[cid].standardised,
                     **{k.key: v for k, v in zip(keys, values[cid])}}, comps[cid].tags)
            for cid in order
        ]  # fmt: skip
        for a in prog.awards:
            if a.type == "threshold" and a.key not in ("total", "standardised"):
                for e in field_:
                    e.values[a.key] = self.key_value(e.id, a.key)
        won, titles = award(prog.awards, field_, prog.min_field)
        for cid, name in won.items():
            standings[cid].award = name
        for cid, t in titles.items():
            standings[cid].titles = tuple(t)
        seen: set[str | None] = set()
        for cid in order:
            d = comps[cid].delegation
            if d not in seen:
                seen.add(d)
                standings[cid].best_of_delegation = True
        # guests: a score, placed among the field by total, but no rank (§9.6)
        guests = [cid for cid in comps if comps[cid].guest and self.statuses[cid] is Status.OK
                  and self.results[cid].has_result]  # fmt: skip
        if guests:
            gv = {cid: [self.key_value(cid, k.key) for k in keys] for cid in guests}
            everyone, _ = rank(order + guests, keys, {**values, **gv}, prog.ranking.mode, bibs)
            order = everyone
        placed = set(order)
        waiting = sorted((cid for cid in comps if cid not in placed and self.statuses[cid] is Status.OK),
                         key=lambda c: bibs[c])  # fmt: skip
        out = sorted((cid for cid in comps if self.statuses[cid] is not Status.OK),
                     key=lambda c: (list(Status).index(self.statuses[c]), bibs[c]))  # fmt: skip
        self.order = order + waiting + out

    def total_marks(self) -> int:
        return sum(len(p) for per in self.marks.values() for p in per.values())


__all__ = ["ProgramState", "Standing", "Mark", "TRANSITIONS", "ZERO"]
