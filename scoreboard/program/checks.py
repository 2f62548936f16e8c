"""What an event may do to a program: refusals with their codes, never a change.

Each check names the fix in its message (architecture: bad input gets a clear
error and changes nothing).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from ..errors import InvalidValue, NotAllowed, StateConflict, UnknownId
from ..events import (
    Decrypted,
    DrawMade,
    EntryMade,
    Event,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
)
from ..lifecycle.gates import Marked
from ..model import Aspect, Judge, Lifecycle, Role, Status, Visibility
from . import anonymous, layer_rule
from .drawing import check_draw
from .entries import Entry, Key, as_mark, check_entry, entered

# Visibility transitions (style.md: states are enums with guarded transitions).
# `published` is final and official: it is left only through a new competition file.
TRANSITIONS: dict[Visibility, set[Visibility]] = {
    Visibility.LIVE: {Visibility.FROZEN, Visibility.HIDDEN, Visibility.PUBLISHED},
    Visibility.FROZEN: {Visibility.LIVE, Visibility.HIDDEN, Visibility.PUBLISHED},
    Visibility.HIDDEN: {Visibility.LIVE, Visibility.FROZEN, Visibility.PUBLISHED},
    Visibility.PUBLISHED: set(),
}


class Checked(Marked, Protocol):
    """What the checks read of a program's state (besides what the gates read)."""

    visibility: Visibility
    locks: set[tuple[str, str]]
    signed_at: dict[tuple[str, str], int]
    signed_layers: dict[tuple[str, str], frozenset[str]]
    layer_signed_at: dict[tuple[str, str, str], int]
    draw: DrawMade | None
    marks_applied: int
    decrypted: bool
    entries: dict[Key, dict[str, Entry]]
    agreed: set[Key]
    resolved: dict[Key, str]
    entry_ids: dict[str, tuple[str, ...]]

    def has_mark(self, cid: str, aid: str, judge: str) -> bool: ...

    def parse(self, aspect: Aspect, value: str) -> Fraction: ...


def check_event(state: Checked, event: Event) -> None:
    """Raise ``EventRefused`` if ``event`` may not be applied to ``state``."""
    if isinstance(event, (MarkSubmitted, MarkWithdrawn)):
        if entered(state.program, event.aspect):
            raise NotAllowed(
                f"marks of {event.aspect} of {state.program.id} are typed from the paper sheets "
                "by two data-entry operators; write the mark on the sheet",
                "double_entry",
            )
        _check_mark(state, event)
    elif isinstance(event, EntryMade):
        check_entry(state, event)
        _check_mark(state, as_mark(event))
    elif isinstance(event, SignedOff):
        _judge(state, event.judge)
        _competitor(state, event.competitor)
        if not state.competition.judges[event.judge].assigned(state.program.id):
            raise NotAllowed(
                f"judge {event.judge} is not assigned to {state.program.id}", "not_assigned"
            )
        layer_rule.check_signoff(state, event)
    elif isinstance(event, (Locked, Unlocked)):
        _check_lock(state, event)
    elif isinstance(event, VisibilityChanged):
        _check_visibility(state, event)
    elif isinstance(event, StatusChanged):
        _chief(state, event.author, Role.ORGANIZER)
        _not_published(state)
        _marking(state)
        _competitor(state, event.competitor)
        try:
            Status(event.status)
        except ValueError:
            raise InvalidValue(
                f"status {event.status!r} is unknown; use ok, DNS, DNF or DSQ", "invalid_value"
            ) from None
    elif isinstance(event, DrawMade):
        _chief(state, event.author)
        _not_published(state)
        check_draw(state, event)
    elif isinstance(event, Decrypted):
        _chief(state, event.author)
        anonymous.check_decrypt(state, event)


def _check_mark(state: Checked, event: MarkSubmitted | MarkWithdrawn) -> None:
    # (asked of every mark: the checks that pass are made inline, their messages by the helpers)
    prog = state.program
    judge = state.competition.judges.get(event.judge)
    if judge is None:
        judge = _judge(state, event.judge)
    if event.competitor not in prog.competitors:
        _competitor(state, event.competitor)
    aspect = prog.aspects.get(event.aspect)
    if aspect is None:
        raise UnknownId(
            f"aspect {event.aspect!r} is not in program {prog.id}; use one of "
            f"{', '.join(prog.aspects)}",
            "unknown_aspect",
        )
    if not judge.assigned(prog.id, aspect):
        raise NotAllowed(
            f"judge {judge.id} is not assigned to {prog.id} {aspect.id}; "
            "ask the chief expert to assign you",
            "not_assigned",
        )
    comp = prog.competitors[event.competitor]
    if (
        prog.conflict_of_interest
        and judge.delegation is not None
        and judge.delegation == comp.delegation
    ):
        raise NotAllowed(
            f"judge {judge.id} is from {comp.delegation}, as is competitor {comp.bib}; "
            "another judge must mark this competitor",
            "conflict_of_interest",
        )
    if state.visibility is Visibility.PUBLISHED:
        _not_published(state)
    if prog.anonymous:
        anonymous.check_marking(state)
    if state.lifecycle.stage is Lifecycle.REVIEW:
        _marking(state)
    if layer_rule.locked(state, comp.id, aspect.id):
        raise StateConflict(
            f"{comp.bib} {aspect.criterion} is locked by the chief expert; "
            "ask the chief to unlock it with a reason",
            "locked",
        )
    if layer_rule.signed(state, comp.id, judge.id, aspect.id):
        raise StateConflict(
            f"you signed off competitor {comp.bib}; ask the chief expert to unlock "
            "before changing a mark",
            "signed_off",
        )
    if isinstance(event, MarkSubmitted):
        state.parse(aspect, event.value)
    elif not state.has_mark(comp.id, aspect.id, judge.id):
        raise StateConflict(
            f"there is no mark of yours on {comp.bib} {aspect.id} to withdraw", "no_mark"
        )


def _check_lock(state: Checked, event: Locked | Unlocked) -> None:
    _chief(state, event.author)
    _competitor(state, event.competitor)
    if event.criterion and event.criterion not in state.program.criteria:
        raise UnknownId(
            f"criterion {event.criterion!r} is not in program {state.program.id}",
            "unknown_criterion",
        )
    layer_rule.check_lock(state, event)
    key = layer_rule.lock_key(event)
    if isinstance(event, Locked) and key in state.locks:
        raise StateConflict("this is already locked", "already_locked")
    if isinstance(event, Unlocked):
        if key not in state.locks:
            raise StateConflict("this is not locked; nothing to unlock", "not_locked")
        if not event.reason.strip():
            raise InvalidValue(
                "an unlock needs a reason; say why the marks must change", "reason_required"
            )


def _check_visibility(state: Checked, event: VisibilityChanged) -> None:
    _chief(state, event.author)
    try:
        new = Visibility(event.visibility)
    except ValueError:
        raise InvalidValue(
            f"visibility {event.visibility!r} is unknown; use live, frozen, hidden or published",
            "invalid_value",
        ) from None
    anonymous.check_visibility(state, new)
    allowed = TRANSITIONS[state.visibility]
    if new not in allowed:
        hint = (
            f"it can go to {', '.join(sorted(v.value for v in allowed))}"
            if allowed
            else "published results are final"
        )
        raise StateConflict(
            f"program {state.program.id} cannot go from {state.visibility.value} to "
            f"{new.value}; {hint}",
            "invalid_transition",
        )
    if new is Visibility.PUBLISHED and state.lifecycle.stage is not Lifecycle.MARKING:
        raise StateConflict(
            f"program {state.program.id} is in {state.lifecycle.stage.value}: results go "
            "public through the lifecycle (stage publication), not the old publish",
            "use_lifecycle",
        )


def _judge(state: Checked, judge_id: str) -> Judge:
    judge = state.competition.judges.get(judge_id)
    if judge is None:
        raise UnknownId(
            f"judge {judge_id!r} is not in the competition; sign in with your own credential",
            "unknown_judge",
        )
    return judge


def _competitor(state: Checked, cid: str) -> None:
    if cid not in state.program.competitors:
        raise UnknownId(
            f"competitor {cid!r} is not in program {state.program.id}; check the bib",
            "unknown_competitor",
        )


def _chief(state: Checked, author: str, also: Role | None = None) -> None:
    """The author is the program's chief (or has the role ``also``, e.g. the organizer)."""
    judge = _judge(state, author)
    if also is not None and judge.role is also:
        return
    if judge.role is not Role.CHIEF or not judge.assigned(state.program.id):
        raise NotAllowed(
            f"only the chief expert of {state.program.id} may do this; ask the chief",
            "wrong_role",
        )


def _marking(state: Checked) -> None:
    stage = state.lifecycle.stage
    if stage is Lifecycle.REVIEW:
        raise StateConflict(
            f"program {state.program.id} is in review (复核): marks change only through a "
            "reviewer's correction, or the chief reopens marking with a reason",
            "in_review",
        )


def _not_published(state: Checked) -> None:
    if state.visibility is Visibility.PUBLISHED:
        raise StateConflict(
            f"program {state.program.id} is published; results are final",
            "program_published",
        )
