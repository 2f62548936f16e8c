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


def _anonymous(competition: Competition, prog: Program, seed: int) -> list[Step]:
    """Draw, marks under codes, sign-offs, review, decryption and 公示."""
    chiefs = _people(competition, prog.id, Role.CHIEF)
    reviewers = _people(competition, prog.id, Role.REVIEWER)
    supervisor = _supervisor(competition)
    if not chiefs or not reviewers or supervisor is None:
        return []  # no one to hold the draw, review or decryption: the program waits
    chief, pid = chiefs[0], prog.id
    seed_input = f"{Prng(seed).below(10_000):04d}"  # the digits the supervisor calls out
    steps = [Step(chief, {"type": "draw", "program": pid, "seed_input": seed_input})]
    marks = _marks(competition, prog, seed)
    steps += marks
    marked: dict[str, list[str]] = {}  # judge → the competitors they marked, in bib order
    for s in marks:
        mine = marked.setdefault(s.actor, [])
        if s.frame["competitor"] not in mine:
            mine.append(s.frame["competitor"])
    for cid in prog.competitors:
        for jid, mine in marked.items():
            if cid in mine:
                steps.append(Step(jid, {"type": "signoff", "program": pid, "competitor": cid}))
    steps += [
        Step(chief, {"type": "stage", "program": pid, "stage": "review"}),
        Step(reviewers[0], {"type": "review", "program": pid}),
        Step(chief, {"type": "decrypt", "program": pid, "supervisor": supervisor}),
        Step(chief, {"type": "stage", "program": pid, "stage": "publication"}),
    ]
    return steps


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
    return steps + [s for _, s in waiting]


def program_steps(competition: Competition, prog: Program, seed: int) -> list[Step]:
    if has_entries(prog):
        return _double_entry(competition, prog, seed)
    if prog.anonymous:
        return _anonymous(competition, prog, seed)
    return _marks(competition, prog, seed)


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
