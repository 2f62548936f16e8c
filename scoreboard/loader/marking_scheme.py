"""A program's marking scheme: criteria of aspects, their maxima, and weighted components."""

from __future__ import annotations

from fractions import Fraction

from ..model import Aspect, AspectType, Component, Criterion, Layer
from ..numbers import ZERO, fmt
from .aspects import read_aspect
from .reader import Reader, indexed


def read_criteria(
    r: Reader, rounds: tuple[str, ...], places: int
) -> tuple[dict[str, Criterion], dict[str, Aspect]]:
    """The program's criteria and, across them, its aspects (ids unique per program)."""
    criteria: dict[str, Criterion] = {}
    aspects: dict[str, Aspect] = {}
    seen: dict[str, str] = {}  # aspect ids are unique across the program's criteria
    for cpath, c in indexed(r.list("criteria"), r.at("criteria"), "id", r.p):
        crit = _criterion(r, Reader(c, cpath, r.p), rounds, places, aspects, seen)
        criteria[crit.id] = crit
    if not criteria:
        r.p.add(r.at("criteria"), "is empty; a program needs a marking scheme")
    return criteria, aspects


def _criterion(
    r: Reader,
    cr: Reader,
    rounds: tuple[str, ...],
    places: int,
    aspects: dict[str, Aspect],
    seen: dict[str, str],
) -> Criterion:
    """One criterion; its aspects are added to ``aspects``."""
    cid = cr.str("id", required=True)
    cr.unknown({"id", "name", "max", "round", "aspects", "anonymous_layer"})
    rnd = cr.str("round") or None
    if rnd is not None and rnd not in rounds:
        r.p.add(
            cr.at("round"),
            f"{rnd!r} is not in the program's rounds {list(rounds)}; add it there",
        )
    ids = []
    for apath, a in indexed(cr.list("aspects"), cr.at("aspects"), "id", r.p, seen):
        aspect = read_aspect(Reader(a, apath, r.p), cid, places)
        aspects[aspect.id] = aspect
        ids.append(aspect.id)
    if not ids:
        r.p.add(cr.at("aspects"), "is empty; a criterion needs at least one aspect")
    cmax = cr.num("max")
    if cmax is not None:
        _check_aspect_maxima(cr, [aspects[i] for i in ids], cmax, places)
    layer = cr.choice("anonymous_layer", Layer, None)
    return Criterion(cid, cr.name(fallback=cid), cmax, rnd, tuple(ids), layer)


def _check_aspect_maxima(cr: Reader, own: list[Aspect], cmax: Fraction, places: int) -> None:
    """The counted aspects with points (not times) add up to the criterion's max."""
    pointed = [a for a in own if a.counts and a.max is not None and a.type is not AspectType.TIME]
    total = sum((a.max * a.multiplier for a in pointed if a.max is not None), ZERO)
    if pointed and total != cmax:
        cr.p.add(
            cr.at("aspects"),
            f"sum to {fmt(total, places)}, criterion max is {fmt(cmax, places)}; "
            "make the aspect maxima add up to the criterion max",
        )


def read_total_max(r: Reader, criteria: dict[str, Criterion], places: int) -> Fraction | None:
    total_max = r.num("total_max")
    if total_max is not None:
        s = sum((c.max for c in criteria.values() if c.max is not None), ZERO)
        if s != total_max:
            r.p.add(
                r.at("criteria"),
                f"maxima sum to {fmt(s, places)}, total_max is {fmt(total_max, places)}",
            )
    return total_max


def read_components(
    r: Reader, criteria: dict[str, Criterion], places: int
) -> tuple[Component, ...]:
    """Weighted components (scoring.md §3): their weights sum to 1."""
    components = []
    for kpath, k in indexed(r.list("components"), r.at("components"), "id", r.p):
        components.append(_component(r, Reader(k, kpath, r.p), criteria, places))
    if components:
        wsum = sum((k.weight for k in components), ZERO)
        if wsum != 1:
            r.p.add(r.at("components"), f"weights sum to {fmt(wsum, 4)}; they must sum to 1")
    return tuple(components)


def _component(r: Reader, kr: Reader, criteria: dict[str, Criterion], places: int) -> Component:
    kr.unknown({"id", "name", "weight", "criteria", "max", "scale"})
    kid = kr.str("id", required=True)
    crit = kr.strs("criteria") or ()
    for c in crit:
        if c not in criteria:
            r.p.add(kr.at("criteria"), f"criterion {c!r} is not in this program")
    cmax = kr.num("max")
    if cmax is None:
        maxes = [criteria[c].max for c in crit if c in criteria]
        if any(m is None for m in maxes) or not maxes:
            r.p.add(kr.at("max"), "is missing and the criteria have no max to add up; give it")
            cmax = Fraction(100)
        else:
            cmax = sum((m for m in maxes if m is not None), ZERO)
    if cmax <= 0:
        r.p.add(
            kr.at("max"),
            f"is {fmt(cmax, places)}; a component's maximum must be greater than 0",
        )
        cmax = Fraction(100)
    return Component(
        kid,
        kr.name(fallback=kid),
        kr.num("weight", required=True) or ZERO,
        crit,
        cmax,
        kr.num("scale", Fraction(100)) or Fraction(100),
    )
