"""What a marking scheme gives that scoring reads on every mark, worked out once.

``model.Aspect`` and ``model.Program`` take these from the two classes here: each value is
remembered on the (frozen) object the first time it is asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from functools import cached_property
from typing import Protocol

from .kinds import AspectType

# a criterion's aspects: those that count, those kept for tie-breaks only, the penalties
CriterionParts = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


class AspectLookups:
    type: AspectType
    max: Fraction | None
    scale: int

    @cached_property
    def linear_factor(self) -> Fraction:
        """The points one unit of an entry is worth, for the types whose points are the entry
        times a constant (``scoring._score_linear``): judgement max / scale, measurement max
        (entries 0 or 1), score and time 1."""
        mx = self.max if self.max is not None else Fraction(0)
        if self.type is AspectType.JUDGEMENT:
            return mx / self.scale
        if self.type is AspectType.MEASUREMENT:
            return mx
        return Fraction(1)


class _Aspect(Protocol):  # what of ``model.Aspect`` (and ``_Criterion``) is read here
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> AspectType: ...
    @property
    def counts(self) -> bool: ...


class _Criterion(Protocol):
    @property
    def aspects(self) -> tuple[str, ...]: ...


class ProgramLookups:
    criteria: Mapping[str, _Criterion]
    aspects: Mapping[str, _Aspect]

    @cached_property
    def criterion_parts(self) -> dict[str, CriterionParts]:
        """Each criterion's aspects by what they do to its sum (counting, tie-break only,
        penalties), each in the scheme's order."""
        out: dict[str, CriterionParts] = {}
        for cid, crit in self.criteria.items():
            aspects = [self.aspects[a] for a in crit.aspects]
            penalty = AspectType.PENALTY
            out[cid] = (
                tuple(a.id for a in aspects if a.type is not penalty and a.counts),
                tuple(a.id for a in aspects if a.type is not penalty and not a.counts),
                tuple(a.id for a in aspects if a.type is penalty),
            )
        return out

    @cached_property
    def criterion_index(self) -> dict[str, int]:
        """Each criterion's place in the program's order (a result's tally is in it)."""
        return {cid: i for i, cid in enumerate(self.criteria)}
