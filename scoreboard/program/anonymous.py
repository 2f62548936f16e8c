"""Anonymised marking (加密) in the core: codes, what waits for the draw, and decryption (解密).

An ``anonymous`` program is marked under codes: the drawn workstation number (layer
``workstation``, printed ``07``) or the draw's second code (layer ``code``), per criterion.
Until a ``decrypt`` event the program stays hidden from the public, judges cannot mark before
the draw gave the codes, and the hub shows judges codes only (``server/anonymity.py``).
Decryption needs the chief, a supervisor's confirmation, and the review finished: the lifecycle
in review with every competitor of the review set reviewed (or the publication gate overridden
and confirmed), or past it. 公示 shows names, so it waits for decryption. A decryption recorded
before the lifecycle (``gate = "panels"``) was checked against every panel being signed off,
and replays under that rule.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import groupby
from typing import Protocol

from ..errors import InvalidValue, NotAllowed, StateConflict
from ..events import Decrypted, DrawMade
from ..kinds import Lifecycle
from ..lifecycle.checks import person
from ..lifecycle.events import GateOverridden, LifecycleEvent, OverrideConfirmed, StageChanged
from ..lifecycle.gates import PUBLICATION, Marked, publication_gate, review_gate
from ..model import Aspect, Layer, Program, PublicMode, Role, Status, Visibility
from ..scoring import COMPLETE
from .field_ranking import guest_places
from .standings import Standing

GATES = ("review", "panels")  # what a decryption was checked against (``Decrypted.gate``)
DECRYPT = "decrypt"  # the gate of a decryption the chief asks for and a supervisor confirms


class Anonymous(Marked, Protocol):
    draw: DrawMade | None
    decrypted: bool

    def has_mark(self, cid: str, aid: str, judge: str) -> bool: ...

    def parse(self, aspect: Aspect, value: str) -> Fraction: ...


class Ranked(Anonymous, Protocol):
    standings: dict[str, Standing]


class Applied(Anonymous, Protocol):
    draws: int  # how many draws (a redraw counts)


def applied(state: Applied, event: DrawMade | Decrypted) -> set[str]:
    """Apply a checked draw or decryption; the competitors whose rows change."""
    if isinstance(event, DrawMade):
        state.draw = event
        state.draws += 1
        return set()
    state.decrypted = True
    return set(state.program.competitors)


def desk_layer(prog: Program) -> Layer:
    """The layer a program is shown under to all but its judges (the chief's desk)."""
    return prog.anonymous_layer


def layered(prog: Program) -> bool:
    """Whether an anonymous program marks some aspects under another layer than the desk's."""
    return prog.anonymous and any(prog.layer(a) is not desk_layer(prog) for a in prog.aspects)


def layer_progress(state: Anonymous, layer: Layer) -> tuple[int, int]:
    """(with a result, complete) counted on ``layer``'s aspects alone. A two-layer program's
    own counts join the layers: a second-code mark that completes a work moves them only if
    its workstation side was complete too, which says whose it is. DNS, DNF and DSQ (set by
    the desk's code) count as complete on the desk's layer only."""
    prog = state.program
    aspects = [a for a in prog.aspects if prog.layer(a) is layer]
    desk = layer is desk_layer(prog)
    marked = complete = 0
    for cid in prog.competitors:
        res = state.aspect_results[cid]
        done = [a in res and res[a].state is COMPLETE for a in aspects]
        marked += any(done)
        complete += all(done) or (desk and state.statuses[cid] is not Status.OK)
    return marked, complete


def masked(state: Anonymous) -> bool:
    """Judges see codes only: an anonymous program before decryption."""
    return state.program.anonymous and not state.decrypted


def codes(state: Anonymous, layer: Layer) -> dict[str, str]:
    """Competitor id → its code of ``layer`` (empty before the draw)."""
    d = state.draw
    if d is None:
        return {}
    if layer is Layer.CODE:
        return dict(zip(d.stations, d.codes, strict=True))
    width = max(2, len(str(len(d.stations))))
    return {cid: f"{i + 1:0{width}d}" for i, cid in enumerate(d.stations)}


def desk_order(state: Ranked) -> list[str]:
    """The board's order as the desk sees it under codes: competitors who share a place, have
    no result yet or share a status are listed by code, not by bib as the board lists them
    (the public lists the bibs in that order); different places keep their order."""
    book = codes(state, desk_layer(state.program))
    if not book:
        return state.order
    guests = [c for c in state.order
              if c not in placed(state) and state.statuses[c] is Status.OK
              and state.results[c].has_result]  # fmt: skip
    guest = guest_places(state.program, state.standings, state.results, guests) if guests else {}

    def place(cid: str) -> tuple[object, ...]:
        st = state.standings.get(cid)
        p = st.placing if st is not None else None
        if p is not None:
            return (0, p.standard, p.rank)
        if cid in guest:  # guests by the key chain; equal values by code, not by bib
            return (1, guest[cid])
        return (2, state.statuses[cid].value)

    out: list[str] = []
    for _, group in groupby(state.order, key=place):  # (consecutive: guests come together)
        out.extend(sorted(group, key=lambda c: book.get(c, "")))
    return out


def placed(state: Ranked) -> set[str]:
    """Who has a place in the field (guests and the unranked have none)."""
    return {c for c, st in state.standings.items() if st.placing is not None}


def check_marking(state: Anonymous) -> None:
    if masked(state) and state.draw is None:
        raise StateConflict(
            f"{state.program.id} is marked anonymously and has not been drawn yet; "
            "marking starts after the draw",
            "not_drawn",
        )


def public_codes(state: Anonymous) -> bool:
    """The public sees the program by workstation number: an anonymous program before
    decryption with ``public_before_decryption = "codes"`` (``board/public_codes.py``)."""
    return state.program.public_before_decryption is PublicMode.CODES and masked(state)


def check_visibility(state: Anonymous, new: Visibility) -> None:
    if not masked(state):
        return
    if not public_codes(state):
        raise StateConflict(
            f"{state.program.id} is anonymous: it stays hidden until decryption",
            "not_decrypted",
        )
    if new not in (Visibility.LIVE, Visibility.HIDDEN):
        raise StateConflict(
            f"{state.program.id} is anonymous and shown by workstation number until "
            f"decryption: it can be live or hidden, not {new.value} (which shows names)",
            "not_decrypted",
        )


def check_decrypt(state: Anonymous, event: Decrypted) -> None:
    check_closed(state)
    sup = state.competition.judges.get(event.supervisor)
    if sup is None or sup.role is not Role.SUPERVISOR:
        raise NotAllowed(
            "decryption needs a supervisor's confirmation: the supervisor signs in too",
            "supervisor_required",
        )
    if event.gate not in GATES:
        raise InvalidValue(f"decrypt gate {event.gate!r} is unknown", "invalid_event")
    check_ready(state, event.gate)


def check_closed(state: Anonymous) -> None:
    prog = state.program
    if not prog.anonymous:
        raise StateConflict(f"{prog.id} is not marked anonymously", "not_anonymous")
    if state.decrypted:
        raise StateConflict(f"{prog.id} is decrypted already", "already_decrypted")


def check_ready(state: Anonymous, gate: str = "review") -> None:
    """Whether the codes may be opened now (under ``gate``: the review, or the old panels)."""
    prog = state.program
    if gate == "panels":
        missing = open_panels(state)
        if missing:
            raise StateConflict(
                f"{len(missing)} panel(s) of {prog.id} are not complete and signed off "
                f"(first: {missing[0]}); decrypt after every judge has marked and signed off",
                "panels_open",
            )
        return
    unfinished = review_unfinished(state)
    if unfinished:
        raise StateConflict(
            f"{prog.id} cannot be decrypted yet: {unfinished}", "review_not_finished"
        )


def review_unfinished(state: Anonymous) -> str:
    """What the review still misses before decryption ("" once it is finished). Counts only:
    the chief reads it, and the chief sees codes."""
    lc = state.lifecycle
    if lc.stage is Lifecycle.MARKING:
        g = review_gate(state)
        todo = "" if g.met else f" ({g.summary()})"
        return (
            f"it is still in marking{todo}; the chief enters review, the reviewers finish it, "
            "then the codes are opened"
        )
    if lc.stage is Lifecycle.REVIEW and PUBLICATION not in lc.confirmed:
        g = publication_gate(state)
        if not g.met:
            return (
                f"the review is not finished: {g.summary()}; the reviewers confirm them "
                "(or the chief overrides the publication gate with a supervisor)"
            )
    return ""


def check_step(state: Anonymous, event: LifecycleEvent) -> bool:
    """Check what anonymity says of a lifecycle event; True when it was a decryption's request
    or confirmation (checked here, not by the lifecycle)."""
    if isinstance(event, StageChanged) and event.stage == Lifecycle.PUBLICATION and masked(state):
        raise StateConflict(
            f"{state.program.id} is still encrypted; 公示 shows names, so the chief decrypts "
            "it with a supervisor first (the desk's 解密, scorecast decrypt)",
            "not_decrypted",
        )
    if not isinstance(event, (GateOverridden, OverrideConfirmed)) or event.gate != DECRYPT:
        return False
    # 解密 in two steps, as a gate override: the chief asks, a supervisor confirms
    lc = state.lifecycle
    if isinstance(event, GateOverridden):
        person(state, event.author, Role.CHIEF)
        if DECRYPT in lc.pending:
            raise StateConflict(
                "a decryption request waits for a supervisor's confirmation", "override_pending"
            )
    else:
        person(state, event.author, Role.SUPERVISOR)
        if DECRYPT not in lc.pending:
            raise StateConflict(
                f"no decryption of {state.program.id} waits for a confirmation; the chief asks "
                "first",
                "no_override",
            )
    check_closed(state)
    check_ready(state)
    return True


def confirmed(state: Applied, event: LifecycleEvent) -> set[str]:
    """A supervisor confirmed the chief's request: decrypted, every row changes."""
    if isinstance(event, OverrideConfirmed) and event.gate == DECRYPT:
        state.decrypted = True
        return set(state.program.competitors)
    return set()


def open_panels(state: Anonymous) -> list[str]:
    """``competitor aspect`` for each panel not complete, or with a judge not signed off."""
    prog = state.program
    out = []
    for cid in prog.competitors:
        if state.statuses[cid] is not Status.OK:
            continue
        for aid, aspect in prog.aspects.items():
            judges = [
                j.id
                for j in state.competition.judges.values()
                if j.assigned(prog.id, aspect) and state.has_mark(cid, aid, j.id)
            ]
            if len(judges) < aspect.panel or any((cid, j) not in state.signoffs for j in judges):
                out.append(f"{cid} {aid}")
    return out
