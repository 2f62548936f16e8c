"""Simulated judges: a deterministic, complete marking of a competition.

``simulated_marks(competition, seed)`` plays every judge of every program:
each aspect of each competitor who is in the competition (status ``ok``) gets
a full panel of valid marks (in range, on step), from judges assigned to the
aspect who are not of the competitor's delegation (conflict of interest). The
demo drives its simulated judges with it, and the benchmarks their load.

Values follow a per-competitor ability, so the boards look like a real
competition. Panels with an agreement rule mostly agree; now and then one
judge marks outside the tolerance first (the jury sees a "disagreement") and
re-marks a little later, so every panel ends complete and agreeing.

Pure and deterministic: no clock, no I/O, and its own small generator
(splitmix64) instead of the ``random`` module. ``ts`` counts up from 0 in
milliseconds; the caller re-stamps it.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction

from scoreboard.events import MarkSubmitted
from scoreboard.model import (
    Aspect,
    AspectType,
    Competition,
    Competitor,
    Judge,
    Program,
    Role,
    Status,
)
from scoreboard.numbers import fmt
from scoreboard.program.entries import has_entries

_MASK = (1 << 64) - 1
# One panel in this many (of those with an agreement rule) starts with a disagreement.
DISAGREEMENT_ONE_IN = 12


class Prng:
    """splitmix64: tiny, fast, and the same sequence on every platform and Python."""

    def __init__(self, seed: int) -> None:
        self.state = (seed * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) & _MASK

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return self.next() % n if n > 1 else 0

    def chance(self, per_mille: int) -> bool:
        return self.below(1000) < per_mille


def _places(x: Fraction) -> int:
    for places in range(0, 7):
        if (x * 10**places).denominator == 1:
            return places
    return 6


def _grid(aspect: Aspect) -> tuple[Fraction, int]:
    """Where a judge's entries start, and how many steps there are to the top of the range."""
    if aspect.type is AspectType.BANDED:
        widest = max((b.within for b in aspect.bands), default=aspect.step * 10)
        origin = (aspect.nominal or Fraction(0)) - widest * 2
        origin = max(origin, aspect.low)
        top = min((aspect.nominal or Fraction(0)) + widest * 2, aspect.high)
        return origin, int((top - origin) / aspect.step)
    return aspect.low, int((aspect.high - aspect.low) / aspect.step)


def _text(aspect: Aspect, origin: Fraction, k: int) -> str:
    if aspect.type is AspectType.MEASUREMENT:
        return "pass" if k else "fail"
    x = origin + aspect.step * k
    return fmt(x, max(_places(aspect.step), _places(origin)))


def _base(aspect: Aspect, quality: int, steps: int, rng: Prng) -> int:
    """The panel's common value, in steps from the origin, for a competitor of ``quality`` (0..999)."""
    t = aspect.type
    worse = 1000 - quality
    if t is AspectType.MEASUREMENT:
        return 1 if rng.chance(300 + quality * 2 // 3) else 0
    if t is AspectType.BANDED:
        middle = steps // 2  # the nominal value
        spread = max(1, middle * (worse + 100) // 1000)
        off = rng.below(spread + 1)
        return middle + off if rng.chance(500) else middle - off
    if t is AspectType.DEDUCTION:
        return min(steps, rng.below(1 + worse * 4 // 1000))
    if t is AspectType.PENALTY:
        if abs(aspect.per_unit) >= 5:  # a heavy penalty: rare
            return min(steps, 1 if rng.chance(worse // 4) else 0)
        return min(steps, rng.below(1 + worse * 5 // 1000))
    if t is AspectType.JUDGEMENT:
        return min(steps, (quality * (steps + 1)) // 1000)
    if t is AspectType.TIME:
        return steps * (250 + worse * 6 // 10) // 1000
    return steps * (300 + quality * 65 // 100) // 1000  # score


def _noise(aspect: Aspect, steps: int) -> int:
    """How many steps apart judges without an agreement rule may be."""
    t = aspect.type
    if t in (AspectType.JUDGEMENT, AspectType.DEDUCTION):
        return 1
    if t in (AspectType.MEASUREMENT, AspectType.PENALTY):
        return 0
    return max(1, steps // 25)


def _panel_values(
    aspect: Aspect, quality: int, size: int, rng: Prng
) -> tuple[list[int], int | None]:
    """Each panel judge's value in steps, and a first disagreeing value for judge 0 (or None)."""
    origin, steps = _grid(aspect)
    base = _base(aspect, quality, steps, rng)
    if aspect.agreement is not None:
        tol = int(aspect.agreement.tolerance / aspect.step)
        base = max(0, min(base, steps - tol))
        values = [min(steps, base + rng.below(tol + 1)) for _ in range(size)]
        first = None
        if size > 1 and rng.below(DISAGREEMENT_ONE_IN) == 0:
            others = values[1:]
            high, low = max(others) + tol + 1, min(others) - tol - 1
            first = high if high <= steps else (low if low >= 0 else None)
        return values, first
    if aspect.type is AspectType.MEASUREMENT and size > 1:
        return [1 if rng.chance(300 + quality * 2 // 3) else 0 for _ in range(size)], None
    w = _noise(aspect, steps)
    return [max(0, min(steps, base + rng.below(2 * w + 1) - w)) for _ in range(size)], None


def _eligible(
    program: Program, judges: list[Judge], aspect: Aspect, comp: Competitor
) -> list[Judge]:
    out = [j for j in judges if j.assigned(program.id, aspect)]
    if program.conflict_of_interest:
        out = [j for j in out if j.delegation is None or j.delegation != comp.delegation]
    return out


def program_marks(
    competition: Competition, program: Program, rng: Prng
) -> Iterator[tuple[str, str, str, str]]:
    """(competitor, aspect, judge, value) in marking order: aspect by aspect, competitor by competitor."""
    markers = [
        j for j in competition.judges.values() if j.role is Role.JUDGE and j.assigned(program.id)
    ]
    chiefs = [
        j for j in competition.judges.values() if j.role is Role.CHIEF and j.assigned(program.id)
    ]
    comps = [c for c in program.competitors.values() if c.status is Status.OK]
    ability = {c.id: 250 + rng.below(700) for c in comps}
    for ai, aspect in enumerate(program.aspects.values()):
        origin, _ = _grid(aspect)
        corrections: list[tuple[str, str, str, str]] = []
        for ci, comp in enumerate(comps):
            eligible = _eligible(program, markers, aspect, comp)
            if len(eligible) < aspect.panel:  # not enough judges: the chief marks too
                eligible += _eligible(program, chiefs, aspect, comp)
            start = (ci + ai) % len(eligible) if eligible else 0
            panel = (eligible[start:] + eligible[:start])[: aspect.panel]
            quality = max(0, min(999, ability[comp.id] + rng.below(201) - 100))
            values, first = _panel_values(aspect, quality, len(panel), rng)
            pending, corrections = corrections, []
            for i, (judge, k) in enumerate(zip(panel, values, strict=True)):
                if i == 0 and first is not None:
                    yield comp.id, aspect.id, judge.id, _text(aspect, origin, first)
                    corrections.append((comp.id, aspect.id, judge.id, _text(aspect, origin, k)))
                else:
                    yield comp.id, aspect.id, judge.id, _text(aspect, origin, k)
            # a re-mark arrives after the next competitor's panel
            yield from pending
        yield from corrections


def program_seeds(competition: Competition, seed: int) -> dict[str, int]:
    """Each program's own generator seed: one program's marks do not move with another's."""
    rng = Prng(seed)
    return {pid: rng.next() for pid in competition.programs}


def on_the_pads(program: Program) -> bool:
    """Judges mark it directly: no draw, codes or paper sheets (``server.simulate_steps``)."""
    return not (program.anonymous or has_entries(program))


def simulated_marks(competition: Competition, seed: int) -> list[MarkSubmitted]:
    """Every judge's marks for the programs marked on the pads, interleaved, ``ts`` from 0 up.

    Deterministic for a given ``seed``. A competitor whose aspect lacks enough
    eligible judges gets a partial panel (the board stays provisional there).
    Anonymous and double-entry programs are left out: their marks come with their
    procedure, in ``server.simulate_steps``.
    """
    seeds = program_seeds(competition, seed)
    streams = [
        (pid, program_marks(competition, prog, Prng(seeds[pid])))
        for pid, prog in competition.programs.items()
        if on_the_pads(prog)
    ]
    out: list[MarkSubmitted] = []
    while streams:
        alive = []
        for pid, stream in streams:
            item = next(stream, None)
            if item is None:
                continue
            alive.append((pid, stream))
            cid, aid, jid, value = item
            n = len(out)
            out.append(
                MarkSubmitted(
                    id=f"sim{seed}-{n}",
                    program=pid,
                    competitor=cid,
                    aspect=aid,
                    judge=jid,
                    value=value,
                    ts=n,
                    device="simulator",
                )
            )
        streams = alive
    return out


__all__ = [
    "simulated_marks",
    "program_marks",
    "program_seeds",
    "on_the_pads",
    "Prng",
    "DISAGREEMENT_ONE_IN",
]
