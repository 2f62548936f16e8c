"""From aspect results to criteria, components, rounds and the total (scoring.md §3, §4, §9.2).

Rounding happens only where the program's rounding stage says, half-up on the
exact value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .lookups import CriterionParts
from .model import Program, Stage
from .numbers import ZERO, fsum, round_half_up
from .scoring import AspectResult


@dataclass(frozen=True, slots=True)
class Result:
    """A competitor's values at every level, rounded as the program says."""

    aspects: dict[str, AspectResult]
    criteria: dict[str, Fraction]  # the sums of their counting aspects and exact penalties
    components: dict[str, Fraction]
    rounds: dict[str, Fraction]
    total: Fraction
    provisional: bool  # §9.13: an aspect the row needs is pending or flagged
    has_result: bool  # §9.12 (a counted aspect is complete); timed: every time is in (§9.15)
    # per criterion, in the program's order: (pending counting aspects, complete counting
    # aspects, pending tie-break aspects, the exact sum of its penalties)
    tally: tuple[Tally, ...] = field(default=(), compare=False, repr=False)


Tally = tuple[int, int, int, Fraction]


def total_up(
    program: Program,
    aspects: dict[str, AspectResult],
    previous: Result | None = None,
    changed: str | None = None,
) -> Result:
    """Add a competitor's aspect results up to criteria, components, rounds and the total.

    With ``previous`` (this competitor's result so far) and ``changed`` (the one
    criterion whose aspects changed since), the other criteria sums are taken
    from ``previous``: the same result, without re-adding every criterion.
    """
    counted = program.counted
    criteria: dict[str, Fraction]
    tally: list[Tally]
    if previous is not None and len(previous.tally) == len(program.criteria):
        # the other criteria as they were: their sums and tallies are taken over
        criteria = dict(previous.criteria)
        tally = list(previous.tally)
        i = program.criterion_index.get(changed) if changed is not None else None
        if i is not None:
            assert changed is not None
            parts = program.criterion_parts[changed]
            criteria[changed], tally[i] = _criterion(program, parts, aspects)
    else:
        criteria, tally = {}, []
        for cid, parts in program.criterion_parts.items():
            criteria[cid], t = _criterion(program, parts, aspects)
            tally.append(t)
    penalties: dict[str, Fraction] = {}
    pending = complete = flagged = 0
    for cid, t in zip(program.criteria, tally, strict=True):
        if t[3] is not ZERO and t[3]:  # (a criterion without penalties keeps ZERO itself)
            penalties[cid] = t[3]
        if cid in counted:
            pending, complete, flagged = pending + t[0], complete + t[1], flagged + t[2]
    components, total = _components_and_total(program, criteria, counted, penalties)
    rounds: dict[str, Fraction] = {}
    for rnd in program.rounds:
        rv = sum((v for c, v in criteria.items() if program.criteria[c].round == rnd), ZERO)
        rounds[rnd] = round_half_up(rv, program.value_places)
    # §9.15: in a timed program a pending time leaves no total; it is not zero seconds
    has_result = complete > 0 and not (program.timed and pending)
    provisional = pending > 0 or flagged > 0 or not has_result
    return Result(
        aspects, criteria, components, rounds, total, provisional, has_result, tuple(tally)
    )


def _criterion(
    program: Program, ids: CriterionParts, aspects: dict[str, AspectResult]
) -> tuple[Fraction, Tally]:
    """A criterion's sum of its counting aspects, and its tally (``ids``: the criterion's
    aspects as ``Program.criterion_parts`` sorts them)."""
    counting, tiebreaks, penalties = ids
    values = []
    for aid in counting:
        r = aspects.get(aid)
        if r is not None and r.value is not None:
            values.append(r.value)
    complete = len(values)
    pending = len(counting) - complete  # §9.4: counts as 0 until the panel is complete
    flagged = 0
    for aid in tiebreaks:  # §9.13: a pending tie-break aspect keeps the row provisional
        r = aspects.get(aid)
        flagged += r is None or r.value is None
    penalty = ZERO
    for aid in penalties:
        r = aspects.get(aid)
        if r is not None and r.value is not None:
            penalty += r.value  # §9.14: no entry is no penalty; never pending
    s = fsum(values)
    if program.stage <= Stage.CRITERION and not program.timed:
        s = round_half_up(s, program.places)
    return s if penalty is ZERO else s + penalty, (pending, complete, flagged, penalty)


def _components_and_total(
    program: Program,
    criteria: dict[str, Fraction],
    counted: frozenset[str],
    penalties: dict[str, Fraction],
) -> tuple[dict[str, Fraction], Fraction]:
    """Weighted components (§3), and the total: components plus the criteria outside them,
    then the penalties, exact (§9.14: a criterion shows its penalties, but they are taken
    from the weighted total, not weighted), rounded once and floored at 0; a timed program's
    total keeps its measured value (§9.15)."""
    places = program.places
    if not penalties and not program.components:  # the total is the counted criteria's sum
        total = fsum([v for c, v in criteria.items() if c in counted])
        if not program.timed:
            total = round_half_up(total, places)
        if program.descending and total.numerator < 0:
            total = ZERO
        return {}, total
    penalty = fsum([v for c, v in penalties.items() if c in counted])
    base = {c: v - penalties[c] if c in penalties else v for c, v in criteria.items()}
    components: dict[str, Fraction] = {}
    in_component: set[str] = set()
    for comp in program.components:
        raw = sum((base[c] for c in comp.criteria if c in counted), ZERO)
        in_component.update(comp.criteria)
        v = raw / comp.max * comp.scale * comp.weight
        if program.stage <= Stage.COMPONENT:
            v = round_half_up(v, places)
        components[comp.id] = v
    total = fsum(
        [
            *components.values(),
            *(v for c, v in base.items() if c in counted and c not in in_component),
            penalty,
        ]
    )
    if not program.timed:
        total = round_half_up(total, places)
    if program.descending and total < 0:
        total = ZERO  # §4, §9.14: floors at 0
    return components, total
