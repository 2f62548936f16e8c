"""From aspect results to criteria, components, rounds and the total (scoring.md §3, §4, §9.2).

Rounding happens only where the program's rounding stage says, half-up on the
exact value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .model import Program, Stage
from .numbers import ZERO, fsum, round_half_up
from .scoring import AspectResult


@dataclass(frozen=True)
class Result:
    """A competitor's values at every level, rounded as the program says."""

    aspects: dict[str, AspectResult]
    criteria: dict[str, Fraction]
    components: dict[str, Fraction]
    rounds: dict[str, Fraction]
    total: Fraction
    provisional: bool  # a counted aspect is not complete
    has_result: bool  # at least one counted aspect is complete
    # per criterion, in the program's order: its counting aspects (not complete, complete)
    tally: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)


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
    places = program.places
    counted = set(program.counted_criteria())
    criteria: dict[str, Fraction] = {}
    provisional = False
    has_result = False
    reuse = previous is not None and len(previous.tally) == len(program.criteria)
    tally: list[tuple[int, int]] = []
    for i, crit in enumerate(program.criteria.values()):
        cid = crit.id
        if reuse and cid != changed:
            assert previous is not None
            criteria[cid] = previous.criteria[cid]
            pending, complete = previous.tally[i]
        else:
            criteria[cid], pending, complete = _criterion(program, crit.aspects, aspects)
        tally.append((pending, complete))
        if cid in counted:
            provisional = provisional or pending > 0
            has_result = has_result or complete > 0
    components, total = _components_and_total(program, criteria, counted)
    rounds: dict[str, Fraction] = {}
    for rnd in program.rounds:
        rv = sum((v for c, v in criteria.items() if program.criteria[c].round == rnd), ZERO)
        rounds[rnd] = round_half_up(rv, places)
    return Result(
        aspects, criteria, components, rounds, total, provisional, has_result, tuple(tally)
    )


def _criterion(
    program: Program, ids: tuple[str, ...], aspects: dict[str, AspectResult]
) -> tuple[Fraction, int, int]:
    """A criterion's sum of its counting aspects, and how many are pending and complete."""
    pending = complete = 0
    values = []
    for aid in ids:
        if not program.aspects[aid].counts:
            continue
        r = aspects.get(aid)
        if r is None or r.value is None:
            pending += 1
            continue  # §9.4: counts as 0 until the panel is complete
        complete += 1
        values.append(r.value)
    s = fsum(values)
    if program.stage <= Stage.CRITERION:
        s = round_half_up(s, program.places)
    return s, pending, complete


def _components_and_total(
    program: Program, criteria: dict[str, Fraction], counted: set[str]
) -> tuple[dict[str, Fraction], Fraction]:
    """Weighted components (§3), and the total: components plus the criteria outside them."""
    places = program.places
    components: dict[str, Fraction] = {}
    in_component: set[str] = set()
    for comp in program.components:
        raw = sum((criteria[c] for c in comp.criteria if c in counted), ZERO)
        in_component.update(comp.criteria)
        v = raw / comp.max * comp.scale * comp.weight
        if program.stage <= Stage.COMPONENT:
            v = round_half_up(v, places)
        components[comp.id] = v
    total = fsum(
        [
            *components.values(),
            *(v for c, v in criteria.items() if c in counted and c not in in_component),
        ]
    )
    total = round_half_up(total, places)
    if program.descending and total < 0:
        total = ZERO  # §4: floors at 0
    return components, total
