"""One program's live state: its marks, locks and sign-offs, results and standings.

``ProgramState.check(event)`` refuses what the scheme or the author's
assignment does not allow, without changing anything; ``apply(event)``
changes the state and returns the ids of competitors whose result changed.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .awards import allowed_awards, award_one, award_ranked, by_precedence, last_rank
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
from .model import (
    STATUS_ORDER,
    Aggregation,
    Aspect,
    AwardRule,
    Competition,
    Judge,
    Program,
    RankMode,
    Role,
    Status,
    Visibility,
)
from .numbers import ZERO, round_half_up
from .ranking import Placing, place, rank, shared_placing, sort_keys
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
    changed_standings: set[str] = field(default_factory=set)  # by the last event applied
    # caches, derived from the above and the program (never part of the state's value)
    _parsed: dict[tuple[str, str], Fraction] = field(
        default_factory=dict, repr=False, compare=False
    )
    _entries: dict[str, _Entry] = field(default_factory=dict, repr=False, compare=False)
    _sequence: list[str] = field(
        default_factory=list, repr=False, compare=False
    )  # the last order first
    _regular: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _guests: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _bibs: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _tiebreak: dict[str, tuple[str, int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _by_bib: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _tags: dict[str, tuple[str, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _delegation: dict[str, str | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _std_keys: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _tolerance: bool = field(default=False, init=False, repr=False, compare=False)
    _by_precedence: list[tuple[int, AwardRule]] = field(
        default_factory=list, init=False, repr=False, compare=False
    )
    _incremental: bool = field(default=False, init=False, repr=False, compare=False)
    # as the last rank left them: placings, awards, the ranked field in order with its
    # order keys, each delegation's best, and those after the ranked field
    _placings: dict[str, Placing] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _won: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)
    _ranked: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _okeys: list[Any] = field(default_factory=list, init=False, repr=False, compare=False)
    _okey_of: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _best: dict[str | None, str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _tail: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _last_ranks: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prog = self.program
        self.visibility = prog.visibility
        empty = total_up(prog, {})
        for cid, comp in prog.competitors.items():
            self.marks[cid] = {}
            self.aspect_results[cid] = {}
            self.results[cid] = replace(empty, aspects=self.aspect_results[cid])
            self.statuses[cid] = comp.status
        comps = prog.competitors
        self._regular = [cid for cid, c in comps.items() if not c.guest]
        self._guests = [cid for cid, c in comps.items() if c.guest]
        self._sequence = list(self._regular)
        self._bibs = {cid: c.bib.zfill(8) for cid, c in comps.items()}
        # equal bibs (after zero-filling) keep the file's order, as a stable sort does
        self._tiebreak = {cid: (self._bibs[cid], i) for i, cid in enumerate(comps)}
        self._by_bib = sorted(comps, key=lambda c: self._tiebreak[c])
        self._tags = {cid: c.tags for cid, c in comps.items()}
        self._delegation = {cid: c.delegation for cid, c in comps.items()}
        keys = prog.ranking.keys
        self._std_keys = [
            i for i, k in enumerate(keys) if k.key.partition(":")[0] == "standardised"
        ]
        self._tolerance = any(k.tolerance is not None for k in keys)
        self._by_precedence = by_precedence(prog.awards)
        self._incremental = (
            not self._std_keys
            and not self._tolerance
            and prog.standardisation is None
            and prog.ranking.mode in (RankMode.STANDARD, RankMode.ORDINAL)
            and not self._guests
            and all(r.type != "title" for r in prog.awards)
        )
        self.rank()

    # -- checks ---------------------------------------------------------------

    def _judge(self, judge_id: str) -> Judge:
        judge = self.competition.judges.get(judge_id)
        if judge is None:
            raise UnknownId(
                f"judge {judge_id!r} is not in the competition; sign in with your own credential",
                "unknown_judge",
            )
        return judge

    def _competitor(self, cid: str) -> None:
        if cid not in self.program.competitors:
            raise UnknownId(
                f"competitor {cid!r} is not in program {self.program.id}; check the bib",
                "unknown_competitor",
            )

    def _chief(self, author: str) -> None:
        judge = self._judge(author)
        if judge.role is not Role.CHIEF or not judge.assigned(self.program.id):
            raise NotAllowed(
                f"only the chief expert of {self.program.id} may do this; ask the chief",
                "wrong_role",
            )

    def _locked(self, cid: str, criterion: str) -> bool:
        return (cid, "") in self.locks or (cid, criterion) in self.locks

    def check(self, event: Event) -> None:
        """Raise ``EventRefused`` if ``event`` may not be applied; never changes state."""
        if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            judge = self._judge(event.judge)
            self._competitor(event.competitor)
            aspect = self.program.aspects.get(event.aspect)
            if aspect is None:
                raise UnknownId(
                    f"aspect {event.aspect!r} is not in program {self.program.id}; use one of "
                    f"{', '.join(self.program.aspects)}",
                    "unknown_aspect",
                )
            if not judge.assigned(self.program.id, aspect):
                raise NotAllowed(
                    f"judge {judge.id} is not assigned to {self.program.id} {aspect.id}; "
                    "ask the chief expert to assign you",
                    "not_assigned",
                )
            comp = self.program.competitors[event.competitor]
            if (
                self.program.conflict_of_interest
                and judge.delegation is not None
                and judge.delegation == comp.delegation
            ):
                raise NotAllowed(
                    f"judge {judge.id} is from {comp.delegation}, as is competitor {comp.bib}; "
                    "another judge must mark this competitor",
                    "conflict_of_interest",
                )
            if self.visibility is Visibility.PUBLISHED:
                raise StateConflict(
                    f"program {self.program.id} is published; results are final",
                    "program_published",
                )
            if self._locked(comp.id, aspect.criterion):
                raise StateConflict(
                    f"{comp.bib} {aspect.criterion} is locked by the chief expert; "
                    "ask the chief to unlock it with a reason",
                    "locked",
                )
            if (comp.id, judge.id) in self.signoffs:
                raise StateConflict(
                    f"you signed off competitor {comp.bib}; ask the chief expert to unlock "
                    "before changing a mark",
                    "signed_off",
                )
            if isinstance(event, MarkSubmitted):
                self._parse(aspect, event.value)
            elif judge.id not in self.marks[comp.id].get(aspect.id, {}):
                raise StateConflict(
                    f"there is no mark of yours on {comp.bib} {aspect.id} to withdraw", "no_mark"
                )
        elif isinstance(event, SignedOff):
            self._judge(event.judge)
            self._competitor(event.competitor)
            if not self.competition.judges[event.judge].assigned(self.program.id):
                raise NotAllowed(
                    f"judge {event.judge} is not assigned to {self.program.id}", "not_assigned"
                )
            if (event.competitor, event.judge) in self.signoffs:
                raise StateConflict(
                    f"you already signed off {event.competitor}", "already_signed_off"
                )
        elif isinstance(event, (Locked, Unlocked)):
            self._chief(event.author)
            self._competitor(event.competitor)
            if event.criterion and event.criterion not in self.program.criteria:
                raise UnknownId(
                    f"criterion {event.criterion!r} is not in program {self.program.id}",
                    "unknown_criterion",
                )
            key = (event.competitor, event.criterion)
            if isinstance(event, Locked) and key in self.locks:
                raise StateConflict("this is already locked", "already_locked")
            if isinstance(event, Unlocked):
                if key not in self.locks:
                    raise StateConflict("this is not locked; nothing to unlock", "not_locked")
                if not event.reason.strip():
                    raise InvalidValue(
                        "an unlock needs a reason; say why the marks must change", "reason_required"
                    )
        elif isinstance(event, VisibilityChanged):
            self._chief(event.author)
            try:
                new = Visibility(event.visibility)
            except ValueError:
                raise InvalidValue(
                    f"visibility {event.visibility!r} is unknown; use live, frozen, hidden or "
                    "published",
                    "invalid_value",
                ) from None
            allowed = TRANSITIONS[self.visibility]
            if new not in allowed:
                hint = (
                    f"it can go to {', '.join(sorted(v.value for v in allowed))}"
                    if allowed
                    else "published results are final"
                )
                raise StateConflict(
                    f"program {self.program.id} cannot go from {self.visibility.value} to "
                    f"{new.value}; {hint}",
                    "invalid_transition",
                )
        elif isinstance(event, StatusChanged):
            self._chief(event.author)
            if self.visibility is Visibility.PUBLISHED:
                raise StateConflict(
                    f"program {self.program.id} is published; results are final",
                    "program_published",
                )
            self._competitor(event.competitor)
            try:
                Status(event.status)
            except ValueError:
                raise InvalidValue(
                    f"status {event.status!r} is unknown; use ok, DNS, DNF or DSQ", "invalid_value"
                ) from None

    # -- changes --------------------------------------------------------------

    def apply(self, event: Event) -> set[str]:
        """Apply a checked event; return the competitors whose result changed.

        ``changed_standings`` then holds the competitors whose standing (placing,
        standardised score, award, titles, best of delegation) the event changed.
        """
        self.check(event)
        self.changed_standings = set()
        changed: set[str] = set()
        rerank = False
        if isinstance(event, MarkSubmitted):
            aspect = self.program.aspects[event.aspect]
            raw = self._parse(aspect, event.value)
            panel = self.marks[event.competitor].setdefault(event.aspect, {})
            # §9.4: a later mark by the same judge replaces the earlier one
            panel.pop(event.judge, None)  # keep the panel in the order the marks were made
            panel[event.judge] = Mark(event.id, event.judge, event.value, raw, event.ts)
            self.marks_applied += 1
            changed.add(event.competitor)
            rerank = self._rescore(event.competitor, event.aspect)
        elif isinstance(event, MarkWithdrawn):
            panel = self.marks[event.competitor][event.aspect]
            del panel[event.judge]
            changed.add(event.competitor)
            rerank = self._rescore(event.competitor, event.aspect)
        if rerank and self._incremental and isinstance(event, (MarkSubmitted, MarkWithdrawn)):
            cid = event.competitor
            if (
                cid in self._placings
                and self.results[cid].has_result
                and self.statuses[cid] is Status.OK
            ):
                self._rank_one(cid)  # still in the ranked field: only its neighbourhood moves
                return changed
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
            rerank = True
        # Standings follow from results and statuses only: when neither changed (a panel
        # still incomplete, an equal value, a sign-off, a lock) they stay as they are.
        if rerank:
            self.rank()
        return changed

    def _parse(self, aspect: Aspect, value: str) -> Fraction:
        """``parse_entry``, remembered: judges enter the same few values again and again."""
        key = (aspect.id, value)
        raw = self._parsed.get(key)
        if raw is None:
            raw = parse_entry(aspect, value, self.program.places)
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            self._parsed[key] = raw
        return raw

    def _rescore(self, cid: str, aid: str) -> bool:
        """Rescore one aspect of one competitor; True when its points changed (and so the result)."""
        aspect = self.program.aspects[aid]
        comp = self.program.competitors[cid]
        raws = [m.raw for m in self.marks[cid].get(aid, {}).values()]
        if aspect.aggregation is Aggregation.SINGLE:
            raws = raws[-1:]  # one agreed value: the latest entered by anyone on the panel
        res = score_aspect(aspect, comp, raws, self.program.stage, self.program.places)
        per = self.aspect_results[cid]
        old = per.get(aid)
        per[aid] = res  # the result's aspects are this dict: their states are up to date
        if (old.value if old is not None else None) == res.value:
            return False  # the same points: criteria, totals, ranks and awards are unchanged
        self.results[cid] = total_up(self.program, per, self.results[cid], aspect.criterion)
        return True

    # -- standings ------------------------------------------------------------

    def key_value(self, cid: str, key: str) -> Fraction | None:
        """The value of a ranking key as printed (§9.3: values that print equal are tied)."""
        if key.partition(":")[0] == "standardised":
            st = self.standings.get(cid)
            return st.standardised if st else None  # already rounded to its own places
        return self._plain_value(self.results[cid], key)

    def _plain_value(self, res: Result, key: str) -> Fraction | None:
        kind, _, ref = key.partition(":")
        value: Fraction | None = None
        if kind == "total":
            value = res.total
        elif kind == "component":
            value = res.components.get(ref)
        elif kind == "criterion":
            value = res.criteria.get(ref)
        elif kind == "aspect":
            a = res.aspects.get(ref)
            value = a.value if a is not None else None
        return None if value is None else round_half_up(value, self.program.places)

    def _entry(self, cid: str) -> _Entry:
        """What ranking needs of one competitor that depends on its own result only, remembered
        until that result changes (results are immutable: a change is a new ``Result``)."""
        res = self.results[cid]
        e = self._entries.get(cid)
        if e is not None and e.result is res:
            return e
        keys = self.program.ranking.keys
        values = [None if k.key == "standardised" else self._plain_value(res, k.key) for k in keys]
        scale = 10**self.program.places
        skey: tuple[object, ...] | None = None
        if not self._std_keys:
            # as ranking.sort_keys, on whole numbers (value x 10^places: exact, as values are
            # rounded to places), which compare much faster than fractions
            skey = tuple(
                (1, 0)
                if v is None
                else (0, -_scaled(v, scale) if k.descending else _scaled(v, scale))
                for k, v in zip(keys, values, strict=True)
            )
        reaches: dict[int, bool] = {}
        for i, rule in enumerate(self.program.awards):
            if rule.type == "threshold" and rule.key != "standardised":
                v = self._plain_value(res, rule.key)
                reaches[i] = v is not None and rule.min is not None and v >= rule.min
        e = _Entry(
            res, values, skey, None if skey is None else (skey, self._tiebreak[cid]), reaches
        )
        self._entries[cid] = e
        return e

    def rank(self) -> None:
        """Recompute standardised scores, ranks and awards for the whole program.

        ``changed_standings`` gets every competitor whose standing changed.
        """
        prog = self.program
        comps = prog.competitors
        statuses = self.statuses
        results = self.results
        ok = Status.OK
        # the previous order first: sorting a nearly sorted list is fast
        ranked = [cid for cid in self._sequence if statuses[cid] is ok and results[cid].has_result]
        entries = {cid: self._entry(cid) for cid in ranked}
        std: dict[str, Fraction] = {}
        if prog.standardisation is not None:
            std = standardise(prog.standardisation, {cid: results[cid].total for cid in ranked})
        keys = prog.ranking.keys
        mode = prog.ranking.mode
        tiebreak = self._tiebreak
        values: dict[str, list[Fraction | None]] = {}
        if self._std_keys:
            for cid, e in entries.items():
                vals = list(e.values)
                for i in self._std_keys:
                    vals[i] = std.get(cid)
                values[cid] = vals
        else:
            values = {cid: e.values for cid, e in entries.items()}
        if self._std_keys or self._tolerance:
            order, placings = place(ranked, sort_keys(ranked, keys, values), mode, tiebreak)
        else:
            order, placings = place(
                ranked,
                {cid: e.sort_key for cid, e in entries.items()},
                mode,
                tiebreak,
                {cid: e.order_key for cid, e in entries.items()},
            )
        unresolved: dict[int, list[str]] = {}
        if mode is RankMode.UNIQUE:
            for cid in order:
                if placings[cid].unresolved:
                    unresolved.setdefault(placings[cid].standard, []).append(cid)
        self.unresolved = list(unresolved.values())
        standard = {cid: None if p.unresolved else p.standard for cid, p in placings.items()}
        rules = prog.awards
        rule_index = {id(r): i for i, r in enumerate(rules)}

        def reaches(rule: AwardRule, cid: str) -> bool:
            if rule.key == "standardised":
                v = std.get(cid)
                return v is not None and rule.min is not None and v >= rule.min
            return entries[cid].reaches[rule_index[id(rule)]]

        won, titles = award_ranked(rules, order, standard, reaches, self._tags, prog.min_field)
        best: set[str] = set()
        seen: set[str | None] = set()
        delegations = self._delegation
        for cid in order:
            d = delegations[cid]
            if d is not None and d not in seen:  # no delegation: nobody to be the best of
                seen.add(d)
                best.add(cid)
        # the new standings: an unchanged competitor keeps its Standing object
        old = self.standings
        new: dict[str, Standing] = {}
        changed: set[str] = set()
        for cid in comps:
            placing = placings.get(cid)
            sv = std.get(cid)
            aw = won.get(cid)
            t = tuple(titles[cid]) if cid in titles else ()
            b = cid in best
            s = old.get(cid)
            if (
                s is None
                or (s.placing is not placing and s.placing != placing)
                or s.standardised != sv
                or s.award != aw
                or s.titles != t
                or s.best_of_delegation is not b
            ):
                s = Standing(placing, sv, aw, t, b)
                changed.add(cid)
            new[cid] = s
        self.standings = new
        self.changed_standings |= changed
        self._sequence = [*order, *(cid for cid in self._regular if cid not in placings)]
        self._placings = placings
        self._won = won
        if self._incremental:
            self._ranked = list(order)
            self._okeys = [entries[cid].order_key for cid in order]
            self._okey_of = {cid: entries[cid].order_key for cid in order}
            self._best = {delegations[cid]: cid for cid in best}
        # guests: a score but no rank (§9.6), listed after every ranked competitor and
        # ordered among themselves by the key chain: they never move the ranked field (§9.11)
        guests = [cid for cid in self._guests if statuses[cid] is ok and results[cid].has_result]
        if guests:
            gv = {cid: [self.key_value(cid, k.key) for k in keys] for cid in guests}
            guest_order, _ = rank(guests, keys, gv, mode, self._bibs)
            order = order + guest_order
        # §9.6: competitors without a result yet, by bib; then DNS, DNF, DSQ
        waiting = [
            cid for cid in self._by_bib if statuses[cid] is ok and not results[cid].has_result
        ]
        out = sorted(
            (cid for cid in self._by_bib if statuses[cid] is not ok),
            key=lambda c: STATUS_ORDER[statuses[c]],
        )
        self._tail = waiting + out
        self.order = order + self._tail

    def _rank_one(self, cid: str) -> None:
        """``rank()`` after a change to one ranked competitor's result, done by moving it
        in the order and re-placing only the stretch between its old and new places.

        Only for programs where that gives exactly what ``rank()`` does (``_incremental``):
        sort keys are each competitor's own (no tolerance, no standardisation), ranks are
        standard or ordinal (a place depends on its tie group only), no titles and no
        guests; and the field's size is unchanged (it is still ranked), so each award
        depends on the competitor's own rank and values alone (``award_one``).
        """
        prog = self.program
        okeys = self._okeys
        ranked = self._ranked
        placings = self._placings
        e = self._entry(cid)
        old_key = self._okey_of[cid]
        new_key = e.order_key
        p = bisect_left(okeys, old_key)
        q = p
        if new_key != old_key:
            del okeys[p], ranked[p]
            q = bisect_left(okeys, new_key)
            okeys.insert(q, new_key)
            ranked.insert(q, cid)
            self._okey_of[cid] = new_key
        n = len(ranked)
        # from the start of the tie group before the stretch to the end of the one after it
        lo = max(min(p, q) - 1, 0)
        while lo > 0 and okeys[lo - 1][0] == okeys[lo][0]:
            lo -= 1
        hi = min(max(p, q) + 1, n - 1)
        while hi < n - 1 and okeys[hi + 1][0] == okeys[hi][0]:
            hi += 1
        ordinal = prog.ranking.mode is RankMode.ORDINAL
        moved: dict[str, Placing | None] = {
            cid: placings.get(cid)
        }  # whose placing changed: the old one
        i = lo
        while i <= hi:
            k = okeys[i][0]
            j = i + 1
            while j < n and okeys[j][0] == k:
                j += 1
            tied = j - i > 1
            for pos in range(i, j):
                c = ranked[pos]
                placing = shared_placing(pos + 1 if ordinal else i + 1, i + 1, tied, False)
                before = placings[c]
                if (
                    before is not placing
                ):  # placings are shared objects: the same value, the same object
                    placings[c] = placing
                    moved.setdefault(c, before)
            i = j
        # awards: each depends on the competitor's own standard rank and values, and on the
        # field's size (unchanged); past the last rank a rule can award, only thresholds count
        won = self._won
        ordered = self._by_precedence
        allowed = allowed_awards(prog.min_field, n)
        last = self._last_ranks.get(n)
        if last is None:
            last = self._last_ranks[n] = max(
                (last_rank(r, n) for _, r in ordered if r.type != "threshold"), default=0
            )
        entries = self._entries
        for c, was in moved.items():
            r = placings[c].standard
            if c != cid and (was is None or min(was.standard, r) > last):
                continue
            aw = award_one(ordered, r, n, entries[c].reaches, allowed)
            if aw is None:
                won.pop(c, None)
            else:
                won[c] = aw
        # best of delegation: only the moved competitor's delegation can have a new first
        delegation = self._delegation
        d = delegation[cid]
        old_best = self._best.get(d)
        if d is None:
            new_best = old_best = None  # no delegation: nobody to be the best of
        elif old_best == cid or old_best is None:
            new_best = next(c for c in ranked if delegation[c] == d)
        else:
            new_best = cid if new_key < self._okey_of[old_best] else old_best
        affected = set(moved)
        if new_best is not None and new_best != old_best:
            self._best[d] = new_best
            affected.add(new_best)
            if old_best is not None:
                affected.add(old_best)
        standings = self.standings
        changed = self.changed_standings
        best = self._best
        for c in affected:
            now = placings[c]
            aw = won.get(c)
            b = best.get(delegation[c]) == c
            s = standings[c]
            if s.placing is not now or s.award != aw or s.best_of_delegation is not b:
                standings[c] = Standing(
                    now, None, aw, (), b
                )  # a new object: rows compare by identity
                changed.add(c)
        if p != q:
            self.order = ranked + self._tail

    def total_marks(self) -> int:
        return sum(len(p) for per in self.marks.values() for p in per.values())


@dataclass(frozen=True)
class _Entry:
    result: Result  # the result these were computed from
    values: list[Fraction | None]  # each ranking key's value as printed (standardised: None here)
    sort_key: tuple[object, ...] | None  # None when a key is the standardised score
    order_key: tuple[object, ...] | None  # (sort_key, tie-break by bib)
    reaches: dict[int, bool]  # threshold award rule index → reached (not standardised ones)


def _scaled(v: Fraction, scale: int) -> int:
    """``v`` x ``scale`` as a whole number; ``v``'s denominator divides ``scale``."""
    return v.numerator * (scale // v.denominator)


__all__ = ["ProgramState", "Standing", "Mark", "TRANSITIONS", "ZERO"]
