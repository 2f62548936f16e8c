"""The competition model: programs, marking schemes, competitors, judges (ranking and award
rules in ``rules``, the closed sets in ``kinds``: both re-exported here). Immutable: the loader
builds it from a file; what changes (marks, locks, visibility) is ``program.ProgramState``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from .event_plan import EventPlan
from .kinds import (
    STATUS_ORDER,
    Aggregation,
    AgreementAction,
    AspectType,
    Layer,
    Lifecycle,
    PublicMode,
    Role,
    Stage,
    Status,
    Visibility,
)
from .lookups import AspectLookups, ProgramLookups
from .numbers import decimals
from .rules import (
    AwardRule,
    AwardType,
    KeyKind,
    LifecycleRules,
    MinField,
    Ranking,
    RankKey,
    RankMode,
    Spread,
    Standardisation,
)

Name = dict[str, str]  # {"zh": ..., "en": ...}


@dataclass(frozen=True)
class Band:
    within: Fraction
    points: Fraction


@dataclass(frozen=True)
class Agreement:
    tolerance: Fraction
    action: AgreementAction


@dataclass(frozen=True)
class Aspect(AspectLookups):
    id: str
    name: Name
    type: AspectType
    criterion: str
    max: Fraction | None  # points the aspect can give (None: time, penalty)
    low: Fraction  # what a judge may enter: [low, high] on step
    high: Fraction
    step: Fraction
    panel: int
    aggregation: Aggregation
    trim: int
    agreement: Agreement | None
    multiplier: Fraction
    round_panel_first: bool
    counts: bool  # adds to the criterion (False: kept for tie-breaks only)
    scale: int = 3  # judgement: the top of the 0..scale range
    per_unit: Fraction = Fraction(0)  # deduction per error, penalty per count
    cap: Fraction | None = None  # penalty: the largest magnitude
    nominal: Fraction | None = None  # banded: the target value
    bands: tuple[Band, ...] = ()
    description: Name | None = None  # extra aspect information (WorldSkills marking scheme)
    descriptions: tuple[Name, ...] = ()  # judgement: what each score 0..scale means
    double_entry: bool = False  # typed from paper by two operators (双人录入; or the program's)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: Name
    max: Fraction | None
    round: str | None
    aspects: tuple[str, ...]
    layer: Layer | None = None  # anonymous programs: this criterion's layer, if not the program's


@dataclass(frozen=True)
class Component:
    id: str
    name: Name
    weight: Fraction
    criteria: tuple[str, ...]
    max: Fraction  # the component's raw maximum; normalised to `scale`
    scale: Fraction = Fraction(100)


@dataclass(frozen=True)
class Competitor:
    id: str
    bib: str
    name: Name
    delegation: str | None
    members: tuple[Name, ...] = ()
    guest: bool = False
    status: Status = Status.OK
    tags: tuple[str, ...] = ()
    multipliers: dict[str, Fraction] = field(default_factory=dict)
    judge_factors: dict[str, Fraction] = field(default_factory=dict)
    offsets: dict[str, Fraction] = field(default_factory=dict)
    # Kept for the organizer's exports; never in public(): no snapshot, API or page carries them.
    workplace: str | None = None
    talent_consent: bool = False  # may be listed for the recruitment fair
    national_id: str | None = field(default=None, repr=False)
    born: int | None = field(default=None, repr=False)  # year of birth: honours' eligibility

    def public(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.id,
            "bib": self.bib,
            "name": self.name,
            "delegation": self.delegation,
        }
        if self.members:
            out["members"] = list(self.members)
        if self.guest:
            out["guest"] = True
        return out


@dataclass(frozen=True)
class Program(ProgramLookups):
    id: str
    name: Name
    visibility: Visibility
    places: int
    stage: Stage
    descending: bool  # points programs: higher is better; timed: lower
    criteria: dict[str, Criterion]
    aspects: dict[str, Aspect]
    components: tuple[Component, ...]
    rounds: tuple[str, ...]
    standing_rounds: tuple[str, ...]
    ranking: Ranking
    standardisation: Standardisation | None
    awards: tuple[AwardRule, ...]
    min_field: MinField | None
    conflict_of_interest: bool
    competitors: dict[str, Competitor]
    team: bool = False
    total_max: Fraction | None = None
    anonymous: bool = False  # marked under codes until decryption (加密)
    double_entry: bool = False  # marks come from paper sheets typed by two operators (双人录入)
    anonymous_layer: Layer = Layer.WORKSTATION
    public_before_decryption: PublicMode = PublicMode.HIDDEN  # hidden, or the board by codes
    lifecycle: LifecycleRules = LifecycleRules()
    category: str | None = None  # a category (track) id of the event plan
    venue: str | None = None  # a venue id of the event plan
    days: tuple[str, ...] = ()  # YYYY-MM-DD

    def layer(self, aid: str) -> Layer:  # the anonymity layer an aspect is marked under
        crit = self.criteria[self.aspects[aid].criterion]
        return crit.layer or self.anonymous_layer

    @cached_property
    def timed(self) -> bool:
        """§9.15: the lowest total wins and it adds up measured times."""
        return not self.descending and any(
            a.type is AspectType.TIME and a.counts for a in self.aspects.values()
        )

    @cached_property
    def value_places(self) -> int:
        """Decimals of totals, criteria and components: ``places``; in a timed program as many
        as its times' steps and penalties need too (times are measured, not rounded: §9.15)."""
        if not self.timed:
            return self.places
        return max(self.places, *(self.aspect_places(a) for a in self.aspects))

    @cached_property
    def key_places(self) -> int:
        """The most decimals any ranking value prints with (every one is exact at it)."""
        return max(self.value_places, *(self.aspect_places(a) for a in self.aspects))

    def aspect_places(self, aid: str) -> int:
        """Decimals of an aspect's value: a time prints as its step (§9.15), a penalty as its
        ``per_unit`` (§9.14: never rounded on its own), at least ``places``."""
        a = self.aspects[aid]
        if a.type is AspectType.TIME:
            return max(self.places, decimals(a.step))
        if a.type is AspectType.PENALTY:
            return max(self.places, decimals(a.per_unit))
        return self.places

    @cached_property
    def counted(self) -> frozenset[str]:  # ``counted_criteria`` as a set (read on every mark)
        return frozenset(self.counted_criteria())

    def counted_criteria(self) -> tuple[str, ...]:
        keep = set(self.standing_rounds)  # none: every criterion counts
        crits = self.criteria.values()
        return tuple(c.id for c in crits if not keep or c.round is None or c.round in keep)

    def medal_names(self) -> tuple[str, ...]:
        for rule in self.awards:
            if rule.type is AwardType.MEDALS:
                return rule.awards
        return ()


@dataclass(frozen=True)
class Assignment:
    program: str
    criteria: frozenset[str] | None  # None: every criterion
    aspects: frozenset[str] | None  # None: every aspect of those criteria

    def covers(self, aspect: Aspect) -> bool:
        if self.aspects is not None:
            return aspect.id in self.aspects
        if self.criteria is not None:
            return aspect.criterion in self.criteria
        return True


@dataclass(frozen=True)
class Judge:
    id: str
    name: Name
    delegation: str | None
    role: Role
    assignments: tuple[Assignment, ...]

    def programs(self) -> tuple[str, ...]:
        return tuple(a.program for a in self.assignments)

    def assigned(self, program: str, aspect: Aspect | None = None) -> bool:
        for a in self.assignments:
            if a.program == program and (aspect is None or a.covers(aspect)):
                return True
        return False


@dataclass(frozen=True)
class Delegation:
    code: str
    name: Name


@dataclass(frozen=True)
class Competition:
    id: str
    name: Name
    delegations: dict[str, Delegation]
    programs: dict[str, Program]
    judges: dict[str, Judge]
    medal_points: tuple[int, ...] | None = None  # None: gold, then silver, then bronze
    count_awards: tuple[str, ...] = ()  # 一/二/三等奖: counted as the 1st, 2nd, 3rd medal
    plan: EventPlan = field(default_factory=EventPlan)  # venues, categories, side events, honours


__all__ = [
    "STATUS_ORDER",
    "Aggregation",
    "Agreement",
    "AgreementAction",
    "Aspect",
    "AspectType",
    "Assignment",
    "AwardRule",
    "AwardType",
    "Band",
    "Competition",
    "Competitor",
    "Component",
    "Criterion",
    "Delegation",
    "Judge",
    "KeyKind",
    "Lifecycle",
    "LifecycleRules",
    "MinField",
    "Name",
    "Program",
    "RankKey",
    "RankMode",
    "Ranking",
    "Layer",
    "PublicMode",
    "Role",
    "Spread",
    "Stage",
    "Standardisation",
    "Status",
    "Visibility",
]
