"""What a lifecycle event may do: refusals with their codes, never a change.

Who may do what: the chief moves the stages and asks for overrides, a supervisor confirms
them, reviewers review and correct in the review, a delegation's leader appeals for its own
competitors during 公示, an arbitrator rules, the chief corrects after an upheld appeal, and
the hub's clock records the end of 公示.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

from ..errors import InvalidValue, NotAllowed, StateConflict, UnknownId
from ..kinds import Lifecycle, Role
from ..model import Aspect, Judge
from .events import (
    HUB,
    AppealFiled,
    AppealRuled,
    Finalised,
    GateOverridden,
    LifecycleEvent,
    MarkCorrected,
    OverrideConfirmed,
    Reviewed,
    StageChanged,
)
from .gates import GATES, PUBLICATION, REVIEW, Marked, gate, ranked

NEXT = {Lifecycle.MARKING: REVIEW, Lifecycle.REVIEW: PUBLICATION}  # the gate out of a stage
RULINGS = ("dismissed", "upheld")


class Checkable(Marked, Protocol):
    def parse(self, aspect: Aspect, value: str) -> Fraction: ...


def check_lifecycle(state: Checkable, event: LifecycleEvent) -> None:
    """Raise ``EventRefused`` if ``event`` may not be applied to ``state``."""
    lc = state.lifecycle
    if isinstance(event, StageChanged):
        _check_stage(state, event)
    elif isinstance(event, GateOverridden):
        person(state, event.author, Role.CHIEF)
        _gate_name(event.gate)
        if NEXT.get(lc.stage) != event.gate:
            raise StateConflict(
                f"the {event.gate} gate is not the next one; the program is in {lc.stage.value}",
                "wrong_gate",
            )
        _reason(event.reason, "an override needs a reason; say why the gate may be passed")
        if event.gate in lc.pending or event.gate in lc.confirmed:
            raise StateConflict(f"the {event.gate} gate is already overridden", "override_pending")
        if gate(state, event.gate).met:
            raise StateConflict(f"the {event.gate} gate is met; nothing to override", "gate_met")
    elif isinstance(event, OverrideConfirmed):
        person(state, event.author, Role.SUPERVISOR)
        _gate_name(event.gate)
        if event.gate not in lc.pending:
            raise StateConflict(
                f"no override of the {event.gate} gate waits for a confirmation", "no_override"
            )
    elif isinstance(event, Reviewed):
        person(state, event.author, Role.REVIEWER)
        _in_review(state, event.competitor)
    elif isinstance(event, MarkCorrected):
        _check_correction(state, event)
    elif isinstance(event, AppealFiled):
        _check_appeal(state, event)
    elif isinstance(event, AppealRuled):
        person(state, event.author, Role.ARBITRATOR)
        appeal = lc.appeals.get(event.appeal)
        if appeal is None:
            raise UnknownId(
                f"there is no appeal {event.appeal!r} on this program", "unknown_appeal"
            )
        if not appeal.open:
            raise StateConflict(f"appeal {event.appeal} was ruled {appeal.ruling}", "appeal_ruled")
        if event.ruling not in RULINGS:
            raise InvalidValue(
                f"ruling {event.ruling!r} is unknown; use dismissed or upheld", "invalid_value"
            )
        _reason(event.reason, "a ruling needs its reasons")
    elif isinstance(event, Finalised):
        if event.author != HUB:
            raise NotAllowed("only the hub's clock makes results final", "wrong_role")
        _stage_is(state, Lifecycle.PUBLICATION, "only a program in 公示 becomes final")
        if lc.ends is not None and event.ts < lc.ends:
            raise StateConflict("公示 has not ended yet", "window_open")
        if lc.open_appeals():
            raise StateConflict(
                f"{len(lc.open_appeals())} appeal(s) are open; the arbitrator rules first",
                "appeal_open",
            )


def _check_stage(state: Checkable, event: StageChanged) -> None:
    person(state, event.author, Role.CHIEF)
    lc = state.lifecycle
    if event.stage == Lifecycle.MARKING and lc.stage is Lifecycle.REVIEW:
        _reason(event.reason, "reopening marking needs a reason; the review so far is dropped")
        return
    want = NEXT.get(lc.stage)
    if event.stage != want:
        hint = f"the next stage is {want}" if want else "公示 ends with final results by the clock"
        raise StateConflict(
            f"program {state.program.id} cannot go from {lc.stage.value} to {event.stage}; {hint}",
            "invalid_transition",
        )
    if want == REVIEW and not event.seed:
        raise InvalidValue("entering review needs the draw's seed", "seed_required")
    g = gate(state, want)
    if not g.met and want not in lc.confirmed:
        pending = " (an override waits for a supervisor)" if want in lc.pending else ""
        raise StateConflict(
            f"the {want} gate is not met: {g.summary()}{pending}; finish them, or override "
            "with a reason and a supervisor's confirmation",
            "gate_not_met",
        )


def _check_correction(state: Checkable, event: MarkCorrected) -> None:
    lc = state.lifecycle
    prog = state.program
    if event.competitor not in prog.competitors:
        raise UnknownId(
            f"competitor {event.competitor!r} is not in {prog.id}", "unknown_competitor"
        )
    aspect = prog.aspects.get(event.aspect)
    if aspect is None:
        raise UnknownId(f"aspect {event.aspect!r} is not in {prog.id}", "unknown_aspect")
    if event.judge not in state.marks[event.competitor].get(event.aspect, {}):
        raise StateConflict(
            f"judge {event.judge} has no mark on this competitor's {event.aspect} to correct",
            "no_mark",
        )
    _reason(event.reason, "a correction needs a reason")
    if lc.stage is Lifecycle.REVIEW:
        person(state, event.author, Role.REVIEWER)
        if event.appeal:
            raise InvalidValue("in the review a correction names no appeal", "invalid_value")
        _in_review(state, event.competitor)
    elif lc.stage in (Lifecycle.PUBLICATION, Lifecycle.FINAL):
        person(state, event.author, Role.CHIEF)
        appeal = lc.appeals.get(event.appeal)
        if appeal is None or appeal.ruling != "upheld" or appeal.competitor != event.competitor:
            raise StateConflict(
                "after the review, marks change only through an upheld appeal on this "
                "competitor; name it (appeal)",
                "ruling_required",
            )
    else:
        raise StateConflict(
            "in marking each judge changes their own marks; corrections come with the review",
            "not_in_review",
        )
    state.parse(aspect, event.value)


def _check_appeal(state: Checkable, event: AppealFiled) -> None:
    leader = person(state, event.author, Role.LEADER)
    lc = state.lifecycle
    prog = state.program
    comp = prog.competitors.get(event.competitor)
    if comp is None:
        raise UnknownId(
            f"competitor {event.competitor!r} is not in {prog.id}", "unknown_competitor"
        )
    if leader.delegation is None or leader.delegation != comp.delegation:
        raise NotAllowed(
            f"competitor {comp.bib} is not of your delegation; appeal for your own competitors",
            "not_your_delegation",
        )
    if event.aspect and event.aspect not in prog.aspects:
        raise UnknownId(f"aspect {event.aspect!r} is not in {prog.id}", "unknown_aspect")
    if lc.stage is not Lifecycle.PUBLICATION or (lc.ends is not None and event.ts >= lc.ends):
        raise StateConflict(
            "appeals are taken only while the results are in 公示, before its end time",
            "appeal_window_closed",
        )
    if event.id in lc.appeals:
        raise StateConflict(f"appeal {event.id} exists already", "duplicate_appeal")
    _reason(event.text, "an appeal needs its text: what is wrong and why")


def _in_review(state: Checkable, cid: str) -> None:
    lc = state.lifecycle
    _stage_is(state, Lifecycle.REVIEW, "the program is not in review")
    if cid not in lc.members(ranked(state)):
        raise StateConflict(f"competitor {cid} is not in the review set", "not_in_review_set")
    if cid in lc.reviewed:
        raise StateConflict(f"competitor {cid} has been reviewed", "already_reviewed")


def person(state: Checkable, author: str, role: Role) -> Judge:
    """The author, who must have ``role`` (and, if assigned to programs, this one)."""
    j = state.competition.judges.get(author)
    pid = state.program.id
    if j is None or j.role is not role:
        raise NotAllowed(f"only a {role.value} may do this on {pid}", "wrong_role")
    if role is not Role.LEADER and (role is Role.CHIEF or j.assignments) and not j.assigned(pid):
        raise NotAllowed(f"{author} is not assigned to {pid}", "not_assigned")
    return j


def _stage_is(state: Checkable, stage: Lifecycle, message: str) -> None:
    if state.lifecycle.stage is not stage:
        raise StateConflict(
            f"{message} (program {state.program.id} is in {state.lifecycle.stage.value})",
            "wrong_stage",
        )


def _gate_name(name: str) -> None:
    if name not in GATES:
        raise InvalidValue(f"gate {name!r} is unknown; use review or publication", "invalid_value")


def _reason(text: str, message: str) -> None:
    if not text.strip():
        raise InvalidValue(message, "reason_required")
