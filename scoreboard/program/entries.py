"""双人录入: marks typed from paper sheets by two data-entry operators.

In a ``double_entry`` program (or on a ``double_entry`` aspect: ``entered``) judges mark on
paper; each mark is typed by two operators
(``entry`` events). It enters the scoreboard as the judge's mark once two operators' entries
agree (by value: ``8.5`` and ``8.50`` agree), once only; while they differ it is held and the
jury row shows both values with their sheets (``entries``) for the chief. An operator who
types the mark again before the other has typed it replaces their own entry (a correction).
Once two entries differ the mark is the chief's: the operators' further entries of it are
refused (``mismatch_held``) and the program's chief resolves it from the paper sheet with an
``entry`` of their own (``author`` the chief, in the ledger), whose value enters as the judge's
mark. (The hub records each entry with ``policy = "chief"``; an entry recorded before, without
it, replays under the old rule: an operator's retype replaced their entry and could clear the
mismatch.) An entry id (per author) names one entry: the same id again with other content is refused
(``id_reused``, ``reused``) and changes nothing; with the same content it is a resend
(``duplicate``). The other aspects of a program whose aspects say ``double_entry`` are marked
on the pads, directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from ..errors import NotAllowed, StateConflict
from ..events import EntryMade, MarkSubmitted
from ..model import Aspect, Competition, Program, Role

Key = tuple[str, str, str]  # competitor, aspect, judge
CHIEF_RESOLVES = "chief"  # ``EntryMade.policy`` of every entry the hub records now


@dataclass(frozen=True)
class Entry:
    value: str
    sheet: str
    raw: Fraction


class Entered(Protocol):
    program: Program
    competition: Competition
    entries: dict[Key, dict[str, Entry]]
    agreed: set[Key]
    resolved: dict[Key, str]  # a mismatch the chief resolved → the chief
    entry_ids: dict[str, tuple[str, ...]]  # "author:id" → what it typed

    def parse(self, aspect: Aspect, value: str) -> Fraction: ...


def entered(prog: Program, aid: str) -> bool:
    """Whether marks of aspect ``aid`` are typed from paper (the program's or the aspect's
    ``double_entry``); False for an aspect the program does not have."""
    if prog.double_entry:
        return True
    aspect = prog.aspects.get(aid)
    return aspect is not None and aspect.double_entry


def has_entries(prog: Program) -> bool:
    """Whether any of the program's marks are typed from paper."""
    return prog.double_entry or any(a.double_entry for a in prog.aspects.values())


def as_mark(event: EntryMade) -> MarkSubmitted:
    """The judge's mark the entry types (checked as a mark would be)."""
    return MarkSubmitted(
        f"entry:{event.id}",
        event.program,
        event.competitor,
        event.aspect,
        event.judge,
        event.value,
        event.ts,
        device=f"entry:{event.author}",
    )


def content(event: EntryMade) -> tuple[str, ...]:
    """What an entry typed (its time aside: a resend is the same entry)."""
    e = event
    return (e.program, e.competitor, e.aspect, e.judge, e.value, e.sheet)


def reused(state: Entered, event: EntryMade, taken: bool = False) -> None:
    """Refuse an entry id its author used already for another entry (the hub asks before it
    takes the id for a resend: ``duplicate``); ``taken``: the hub holds the author's id for
    another frame (a lock, a mark, an entry of another program), not an entry of this one."""
    before = state.entry_ids.get(f"{event.author}:{event.id}")
    if before is None and taken:
        raise StateConflict(
            f"id {event.id!r} was used already for another of your frames, not an entry of "
            f"{event.program}; give each entry a new id (a resend keeps the id and the content)",
            "id_reused",
        )
    if before is not None and before != content(event):
        raise StateConflict(
            f"entry id {event.id!r} was used already for another entry ({before[2]} of the "
            f"sheet {before[5]}); give each entry a new id (a resend keeps the id and the "
            "content)",
            "id_reused",
        )


def check_entry(state: Entered, event: EntryMade) -> None:
    op = state.competition.judges.get(event.author)
    chief = op is not None and op.role is Role.CHIEF and op.assigned(state.program.id)
    if op is None or (op.role is not Role.OPERATOR and not chief):
        raise NotAllowed("only data-entry operators type paper sheets", "wrong_role")
    prog = state.program
    if not has_entries(prog):
        raise StateConflict(
            f"{prog.id} is marked on the pads, not entered from paper sheets",
            "not_double_entry",
        )
    if event.aspect in prog.aspects and not entered(prog, event.aspect):
        typed = ", ".join(a for a in prog.aspects if entered(prog, a))
        raise StateConflict(
            f"{event.aspect} of {prog.id} is marked on the pads, not entered from paper sheets "
            f"(typed from paper: {typed})",
            "not_double_entry",
        )
    key = (event.competitor, event.aspect, event.judge)
    if key in state.agreed:
        raise StateConflict(
            "two entries of this mark agreed already; it is on the scoreboard", "already_agreed"
        )
    held = status(state, key)
    if chief and held != MISMATCH:
        raise StateConflict(
            f"{event.aspect} of {event.judge}'s sheet has no mismatch to resolve; the data-entry "
            "operators type the sheets, the chief resolves only two entries that differ",
            "no_mismatch",
        )
    if not chief and held == MISMATCH and event.policy == CHIEF_RESOLVES:
        raise StateConflict(
            f"the two entries of {event.aspect} of {event.judge}'s sheet differ: the mark is "
            "held for the chief, who resolves it from the paper sheet at the desk; it is not "
            "typed again",
            "mismatch_held",
        )


def record(state: Entered, event: EntryMade) -> MarkSubmitted | None:
    """Keep the entry; the judge's mark once two operators agree, else None (held)."""
    key = (event.competitor, event.aspect, event.judge)
    state.entry_ids[f"{event.author}:{event.id}"] = content(event)
    raw = state.parse(state.program.aspects[event.aspect], event.value)
    if status(state, key) == MISMATCH:  # checked: the chief's entry resolves it
        del state.entries[key]
        state.agreed.add(key)
        state.resolved[key] = event.author
        return as_mark(event)
    held = state.entries.setdefault(key, {})
    held[event.author] = Entry(event.value, event.sheet, raw)
    if len(held) < 2 or len({e.raw for e in held.values()}) != 1:
        return None
    del state.entries[key]
    state.agreed.add(key)
    return as_mark(event)


def pending(state: Entered, cid: str) -> list[dict[str, Any]]:
    """A competitor's marks waiting for a second entry or disagreeing, for the jury row."""
    out = []
    for (c, aid, judge), held in sorted(state.entries.items()):
        if c != cid:
            continue
        out.append(
            {
                "aspect": aid,
                "judge": judge,
                "mismatch": len({e.raw for e in held.values()}) > 1,
                "values": {op: e.value for op, e in held.items()},
                "sheets": {op: e.sheet for op, e in held.items()},
            }
        )
    return out


AGREED, WAITING, MISMATCH, RESOLVED = "agreed", "waiting", "mismatch", "resolved"


def status(state: Entered, key: Key) -> str | None:
    """Where a mark typed from paper stands: ``agreed`` (on the scoreboard), ``waiting`` (for a
    second operator's entry), ``mismatch`` (two entries differ: held for the chief), or None
    (not typed yet); ``resolved``: on the scoreboard with the value the chief entered for a
    mismatch."""
    if key in state.agreed:
        return RESOLVED if key in state.resolved else AGREED
    held = state.entries.get(key)
    if not held:
        return None
    return MISMATCH if len({e.raw for e in held.values()}) > 1 else WAITING


def entry_status(state: Entered, event: EntryMade) -> str:
    """The status of the mark ``event`` typed, once it is applied (the operator's ack)."""
    return status(state, (event.competitor, event.aspect, event.judge)) or WAITING
