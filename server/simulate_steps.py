"""The demo's script: what every simulated person does, fair-play procedures included.

``simulated_steps(competition, seed)`` turns the simulated judges' marks (``server.simulate``)
into steps, each a person and the frame they send, programs interleaved:

- a program marked on the pads: the judges' ``mark`` frames;
- an ``anonymous`` program (加密): the chief runs the draw first (``draw``, with the seed input
  the supervisor calls out), the judges mark and then sign off each competitor (under the
  code of their layer: the demo reads it off the work, as a judge does), the chief enters
  review, the reviewer checks the review set (``review``: the hub draws the set), the chief
  decrypts with the supervisor's confirmation (``decrypt``, 解密) and opens 公示;
- a ``double_entry`` program (双人录入): each judge's paper sheet of a competitor is typed by
  two data-entry operators (``entry``); now and then the second operator mistypes a value,
  the mismatch waits on the chief desk, and the chief resolves it from the paper sheet two
  sheets later (an ``entry`` of the chief's: the operators' retypes are refused).

Every program then goes the way to its official result: each judge signs off every competitor
they marked (``signoff``; for paper sheets, the judge whose sheet it is), the chief enters
review (``stage``), the program's reviewer re-checks the review set (``review``), and the chief
opens 公示 (``stage``: published, objections open); the hub records final when the window
closes (``scorecast demo`` shortens it, ``server.demo``).

Frames name competitors by id. Pure and deterministic like ``server.simulate``: no clock, no
I/O, frame ids fixed by the seed. ``draw``, ``decrypt`` and ``review`` are not ``/ws/judge``
frames: the demo runs them through the HTTP endpoints (``scorecast draw``'s path) and the
hub's review set.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from scoreboard.model import Competition, Program, Role
from scoreboard.numbers import fmt
from scoreboard.program.entries import entered, has_entries

from .simulate import Prng, on_the_pads, program_marks, program_seeds

MISTYPE_ONE_IN = 9  # one sheet in this many has a value mistyped by the second operator
RETYPED_AFTER = 2  # sheets: how long a mismatch waits on the desk before the chief resolves it
Frame = dict[str, str]


@dataclass(frozen=True)
class Step:
    """``actor`` (a judge id: judge, chief, reviewer, operator) sends ``frame``."""

    actor: str
    frame: Frame


def _people(competition: Competition, pid: str, role: Role) -> list[str]:
    return [j.id for j in competition.judges.values() if j.role is role and j.assigned(pid)]


def _supervisor(competition: Competition) -> str | None:
    return next((j.id for j in competition.judges.values() if j.role is Role.SUPERVISOR), None)


def _marks(competition: Competition, prog: Program, seed: int) -> list[Step]:
    return [
        Step(
            jid,
            {"type": "mark", "program": prog.id, "competitor": cid, "aspect": aid, "value": value},
        )  # fmt: skip
        for cid, aid, jid, value in program_marks(competition, prog, Prng(seed))
    ]


def _pads(competition: Competition, prog: Program, seed: int) -> list[Step]:
    """The judges' marks, their sign-offs, review and 公示."""
    marks = _marks(competition, prog, seed)
    return marks + _signoffs(prog, marks) + _review(competition, prog)


def _signoffs(prog: Program, marking: list[Step]) -> list[Step]:
    """Each judge signs off every competitor they marked (or whose sheet they wrote), in bib
    order: the review gate's second half."""
    marked: dict[str, set[str]] = {}  # judge → the competitors they marked
    for s in marking:
        if s.frame["type"] in ("mark", "entry"):
            jid = s.frame.get("judge", s.actor)
            marked.setdefault(jid, set()).add(s.frame["competitor"])
    return [
        Step(jid, {"type": "signoff", "program": prog.id, "competitor": cid})
        for cid in prog.competitors
        for jid, mine in marked.items()
        if cid in mine
    ]


def _review(competition: Competition, prog: Program, decrypt: bool = False) -> list[Step]:
    """The chief enters review, the reviewer re-checks the review set, (the chief decrypts with
    the supervisor,) the chief opens 公示; the hub records final when its window closes. No
    chief or reviewer: the program stays in marking."""
    chiefs = _people(competition, prog.id, Role.CHIEF)
    reviewers = _people(competition, prog.id, Role.REVIEWER)
    supervisor = _supervisor(competition)
    if not chiefs or not reviewers or (decrypt and supervisor is None):
        return []
    chief, pid = chiefs[0], prog.id
    steps = [
        Step(chief, {"type": "stage", "program": pid, "stage": "review"}),
        Step(reviewers[0], {"type": "review", "program": pid}),
    ]
    if decrypt and supervisor is not None:
        steps.append(Step(chief, {"type": "decrypt", "program": pid, "supervisor": supervisor}))
    return steps + [Step(chief, {"type": "stage", "program": pid, "stage": "publication"})]


def _anonymous(competition: Competition, prog: Program, seed: int) -> list[Step]:
    """Draw, marks under codes, sign-offs, review, decryption and 公示."""
    chiefs = _people(competition, prog.id, Role.CHIEF)
    reviewers = _people(competition, prog.id, Role.REVIEWER)
    supervisor = _supervisor(competition)
    if not chiefs or not reviewers or supervisor is None:
        return []  # no one to hold the draw, review or decryption: the program waits
    seed_input = f"{Prng(seed).below(10_000):04d}"  # the digits the supervisor calls out
    steps = [Step(chiefs[0], {"type": "draw", "program": prog.id, "seed_input": seed_input})]
    marks = _marks(competition, prog, seed)
    return steps + marks + _signoffs(prog, marks) + _review(competition, prog, decrypt=True)


def _mistyped(prog: Program, aid: str, value: str) -> str:
    """A slip of the keyboard that is still a valid entry: one point off (or none possible)."""
    aspect = prog.aspects[aid]
    try:
        x = Fraction(value)
    except ValueError:  # pass / fail
        return value
    y = x + 1 if x + 1 <= aspect.high else x - 1
    if y < aspect.low:
        return value
    return fmt(y, len(value.partition(".")[2]))


def _double_entry(competition: Competition, prog: Program, seed: int) -> list[Step]:
    """Each sheet (a judge's marks of one competitor) typed by two operators; the aspects
    marked on the pads (double entry per aspect) marked by their judges."""
    operators = _people(competition, prog.id, Role.OPERATOR)
    if len(operators) < 2:
        return []
    first, second = operators[:2]
    chiefs = _people(competition, prog.id, Role.CHIEF)  # who resolves a mismatch
    rng = Prng(seed ^ 0xD0B1E)
    sheets: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (competitor, judge) → marks
    steps: list[Step] = []
    for cid, aid, jid, value in program_marks(competition, prog, Prng(seed)):
        if not entered(prog, aid):  # an aspect marked on the pads: the judge marks it
            frame = {"type": "mark", "program": prog.id, "competitor": cid, "aspect": aid,
                     "value": value}  # fmt: skip
            steps.append(Step(jid, frame))
            continue
        sheets.setdefault((cid, jid), []).append((aid, value))
    order = sorted(sheets, key=lambda k: list(prog.competitors).index(k[0]))
    waiting: list[tuple[int, Step]] = []  # re-typed entries, due after a sheet number
    for n, (cid, jid) in enumerate(order):
        bib = prog.competitors[cid].bib
        sheet = f"{bib}-{jid.removeprefix(prog.id + '-')}"  # 03-j2: competitor 03, judge 2's
        typo = bool(chiefs) and (rng.below(MISTYPE_ONE_IN) == 0 or n == 4)  # the fifth: sure
        slip = rng.below(len(sheets[cid, jid])) if typo else -1
        for op in (first, second):
            for i, (aid, value) in enumerate(sheets[cid, jid]):
                typed = _mistyped(prog, aid, value) if op == second and i == slip else value
                frame = {"type": "entry", "program": prog.id, "competitor": cid, "aspect": aid,
                         "judge": jid, "value": typed, "sheet": sheet}  # fmt: skip
                steps.append(Step(op, frame))
                if typed != value:
                    resolved = Step(chiefs[0], {**frame, "value": value})
                    waiting.append((n + RETYPED_AFTER, resolved))
        steps += [s for due, s in waiting if due == n]
        waiting = [(due, s) for due, s in waiting if due != n]
    steps += [s for _, s in waiting]
    return steps + _signoffs(prog, steps) + _review(competition, prog)


def program_steps(competition: Competition, prog: Program, seed: int) -> list[Step]:
    if has_entries(prog):
        return _double_entry(competition, prog, seed)
    if prog.anonymous:
        return _anonymous(competition, prog, seed)
    return _pads(competition, prog, seed)


def simulated_steps(competition: Competition, seed: int) -> list[Step]:
    """Every person's steps for the whole competition, programs interleaved one step each.

    Frame ``id``s are ``sim<seed>-<n>``; a program marked on the pads gets the same marks as
    ``simulated_marks`` gives it.
    """
    seeds = program_seeds(competition, seed)
    streams = [
        iter(program_steps(competition, prog, seeds[pid]))
        for pid, prog in competition.programs.items()
    ]
    out: list[Step] = []
    while streams:
        alive = []
        for stream in streams:
            step = next(stream, None)
            if step is None:
                continue
            alive.append(stream)
            out.append(Step(step.actor, {**step.frame, "id": f"sim{seed}-{len(out)}"}))
        streams = alive
    return out


__all__ = ["MISTYPE_ONE_IN", "RETYPED_AFTER", "Step", "on_the_pads", "simulated_steps"]
