"""Who sees an anonymous program under codes before decryption, and what they see and type.

The one rule (issue 15): until the ``decrypt`` event, everyone who takes part in judging the
program sees codes only — judges, the chief (the desk), reviewers, arbitrators, leaders, data
entry — never a name, bib, delegation, id or another layer's code; the organizer and the
supervisor (who holds the draw list, 密封) see names (``sees_codes``). A judge (and an
operator typing a judge's sheet) names the code of the layer each aspect is marked under;
everyone else the program's own layer
(``desk_layer``: the workstation number, unless the program marks under the second code).

The core keeps competitors by id (ids embed the bib: ``weld-07``); here, on the way in, the
code typed becomes the id, and on the way out what a masked person receives about the program
(``/judge/api/me``, refusals) names codes only (``scoreboard/program/anonymous.py`` has the
codes). The jury channel is rewritten in ``jury_codes.py``, the history in ``history_mask.py``,
the lifecycle report and the draw list in ``masked_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scoreboard import EventRefused, UnknownId
from scoreboard.model import Judge, Layer, Program, Role
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, desk_layer, layered, masked

from .layer_tables import program_layers, split

if TYPE_CHECKING:
    from .hub import Hub

# the frames that name a competitor
FRAMES = ("mark", "withdraw", "signoff", "lock", "unlock", "status", "reviewed", "correct", "entry")
BY_LAYER = ("signoff", "lock", "unlock")  # under one layer's code, the layer it applies to
BY_ASPECT = (Role.JUDGE, Role.OPERATOR)  # type the code of the aspect's layer (a judge's sheet)
NAMES = (Role.ORGANIZER, Role.SUPERVISOR)  # who sees names before decryption
# refusals whose core message names the competitor: said again with the code only
MESSAGES = {
    "conflict_of_interest": "this code is assigned to other judges; leave it to them",
    "locked": "{code} is locked by the chief expert; ask the chief to unlock it with a reason",
    "signed_off": "you signed off {code}; ask the chief expert to unlock before changing a mark",
    "no_mark": "there is no mark of yours on {code} {aspect} to withdraw",
    "already_signed_off": "you already signed off {code}",
}


def sees_codes(judge: Judge, state: ProgramState) -> bool:
    """Whether ``judge`` (any role) sees ``state``'s program under codes: the one rule."""
    return masked(state) and judge.role not in NAMES


def judge_masked(hub: Hub, judge_id: str, pid: str) -> ProgramState | None:
    """The program's state when ``judge_id`` sees it under codes, else None."""
    state = hub.board.programs.get(pid)
    judge = hub.competition.judges.get(judge_id)
    if state is None or judge is None or not sees_codes(judge, state):
        return None
    return state


def layers(prog: Program, judge: Judge) -> list[Layer]:
    """The layers of the aspects ``judge`` marks, in the scheme's order (a judge's); the
    program's own layer for every other role."""
    if judge.role is not Role.JUDGE:
        return [desk_layer(prog)]
    out: list[Layer] = []
    for aid, aspect in prog.aspects.items():
        if judge.assigned(prog.id, aspect) and prog.layer(aid) not in out:
            out.append(prog.layer(aid))
    return out or [prog.anonymous_layer]


def code_book(state: ProgramState, judge: Judge, aspect: str | None = None) -> dict[str, str]:
    """Competitor id → code, in the layer of ``aspect`` or of every aspect the judge marks."""
    prog = state.program
    # a desk shown in layers names each aspect's work by that layer's code too (layer_tables)
    by_aspect = (judge.role in BY_ASPECT or split(prog)) and aspect in prog.aspects
    wanted = [prog.layer(aspect or "")] if by_aspect else layers(prog, judge)
    book: dict[str, str] = {}
    for layer in reversed(wanted):  # the first layer's code wins for a signoff
        book.update(codes(state, layer))
    return book


def incoming(hub: Hub, judge_id: str, frame: dict[str, Any]) -> dict[str, Any]:
    """The frame with the typed code replaced by the competitor's id (judges' frames only)."""
    if frame.get("type") not in FRAMES or not isinstance(frame.get("program"), str):
        return frame
    state = judge_masked(hub, judge_id, frame["program"])
    if state is None:
        return frame
    if frame["type"] in BY_LAYER and layered(state.program):
        return by_layer(state, hub.competition.judges[judge_id], frame)
    book = code_book(state, hub.competition.judges[judge_id], frame.get("aspect"))
    by_code = {code: cid for cid, code in book.items()}
    code = frame.get("competitor")
    cid = by_code.get(code) if isinstance(code, str) else None
    if cid is None:
        raise UnknownId(
            f"no competitor has the code {code!r} in {state.program.id}; "
            "type the code written on the work",
            "unknown_competitor",
        )
    return {**frame, "competitor": cid}


def by_layer(state: ProgramState, judge: Judge, frame: dict[str, Any]) -> dict[str, Any]:
    """A sign-off, lock or unlock of a two-layer program: the code typed gives the competitor
    and the layer the event applies to (``scoreboard/program/layer_rule.py``): a criterion's
    layer if it names one, else the layer whose code it is among those the reader is shown
    (a judge's layers; the desk's tables)."""
    prog = state.program
    crit = frame.get("criterion")
    if isinstance(crit, str) and crit in prog.criteria:
        wanted = [prog.criteria[crit].layer or prog.anonymous_layer]
    elif judge.role is Role.JUDGE:
        wanted = layers(prog, judge)
    else:
        wanted = program_layers(prog) if split(prog) else [desk_layer(prog)]
    code = frame.get("competitor")
    for layer in wanted:
        by_code = {c: cid for cid, c in codes(state, layer).items()}
        if isinstance(code, str) and code in by_code:
            return {**frame, "competitor": by_code[code], "layer": str(layer)}
    raise UnknownId(
        f"no competitor has the code {code!r} in {state.program.id}"
        + (f" under criterion {crit}'s layer" if isinstance(crit, str) and crit else "")
        + "; type the code written on the work",
        "unknown_competitor",
    )


def refusal(hub: Hub, judge_id: str, frame: dict[str, Any], e: EventRefused) -> EventRefused:
    """A refusal as the judge may read it: the core's message may name the bib or delegation."""
    state = judge_masked(hub, judge_id, str(frame.get("program")))
    if state is None:
        return e
    if isinstance(frame.get("layer"), str):  # by_layer: the code of the layer typed
        book = codes(state, Layer(frame["layer"]))
    else:
        book = code_book(state, hub.competition.judges[judge_id], frame.get("aspect"))
    code = book.get(str(frame.get("competitor")), "?")
    # a correction's ``no_mark`` is of the judge named, not the sender's withdrawal (the core's
    # message names no competitor: it goes out as it is)
    own = not (e.code == "no_mark" and frame.get("type") == "correct")
    text = MESSAGES.get(e.code) if own else None
    if text is None:
        comp = state.program.competitors.get(str(frame.get("competitor")))
        leaks = [comp.id, comp.bib, comp.delegation or "", *comp.name.values()] if comp else []
        if not any(x and x in e.message for x in leaks):
            return e
        text = "{code}: refused ({error})"
    message = text.format(code=code, aspect=frame.get("aspect", ""), error=e.code)
    return type(e)(message, e.code)


def me_program(state: ProgramState, judge: Judge, mine: dict[str, Any]) -> dict[str, Any]:
    """``/judge/api/me``'s program entry under codes: every code of the judge's layers, in the
    marking order (a judge of both layers: one row per layer and competitor, ``layer`` and its
    ``aspects`` on each, the second layer's in code order), those the judge may not mark listed in ``others`` ("assigned to other
    judges", whatever the reason: no conflicts, no gap in the order), and their marks,
    sign-offs and locks by code. Leaving a code out would say which one is the judge's own
    delegation's as plainly: see docs/competition-format.md on what remains inferable."""
    prog = state.program
    order = state.draw.order if state.draw is not None else ()
    blocked = set()
    if prog.conflict_of_interest and judge.delegation is not None:
        blocked = {cid for cid, c in prog.competitors.items() if c.delegation == judge.delegation}
    lays = layers(prog, judge)
    competitors: list[dict[str, Any]] = []
    signed: list[str] = []
    others: list[str] = []
    part = mine.pop("signed_layers", {})
    for n, layer in enumerate(lays):
        book = codes(state, layer)
        ids = [cid for cid in order if cid in book]
        if n:  # a judge of both layers: the second layer's rows in code order, not next to
            ids.sort(key=lambda c: book[c])  # their workstation in the marking order
        aspects = [a for a in mine["aspects"] if prog.layer(a) is layer]
        for cid in ids:
            row = {"id": book[cid], "bib": book[cid], "name": {"zh": "", "en": ""},
                   "order": len(competitors) + 1}  # fmt: skip
            if len(lays) > 1:  # the row's layer and the aspects marked under it
                row.update(layer=str(layer), aspects=aspects)
            competitors.append(row)
            if cid in mine["signed_off"] or str(layer) in part.get(cid, ()):
                signed.append(book[cid])
        others += sorted(book[c] for c in blocked if c in book)
    return {
        **mine,
        "anonymous": True,
        "layers": [str(x) for x in lays],
        "competitors": competitors,
        "marks": marks_by_layer(state, judge, mine["marks"]),
        "signed_off": signed,
        "locked": locks_by_layer(state, judge, mine["locked"]),
        "conflicts": [],
        "others": others,
    }


def marks_by_layer(
    state: ProgramState, judge: Judge, marks: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """A reader's own marks, each under the code of its aspect's layer (as it was typed): a
    chief or a judge who marks both layers would see a second-code mark under the workstation
    number (``{"07": {"A1": …, "B1": …}}``) and so pair the two codes."""
    out: dict[str, dict[str, str]] = {}
    books: dict[str, dict[str, str]] = {}
    for cid, by_aspect in marks.items():
        for aid, value in by_aspect.items():
            book = books.get(aid)
            if book is None:
                book = books[aid] = code_book(state, judge, aid)
            code = book.get(cid)
            if code is not None:
                out.setdefault(code, {})[aid] = value
    return out


def locks_by_layer(
    state: ProgramState, judge: Judge, locked: dict[str, list[str]]
) -> dict[str, list[str]]:
    """A reader's locks, each under the code of the layer it holds (``*``: every layer; a
    criterion: its layer; ``@code``: that layer), of the reader's layers only: a lock under
    the second code must not show on the workstation's number."""
    prog = state.program
    out: dict[str, list[str]] = {}
    for layer in layers(prog, judge):
        book = codes(state, layer)
        for cid, keys in locked.items():
            mine = [k for k in keys if lock_layer(prog, k) in (None, layer)]
            if mine and cid in book:
                out.setdefault(book[cid], []).extend(mine)
    return out


def lock_layer(prog: Program, key: str) -> Layer | None:
    """The layer a lock (as a jury row lists it) holds; None for every layer."""
    if key.startswith("@"):
        return Layer(key[1:])
    if key in prog.criteria:
        return prog.criteria[key].layer or prog.anonymous_layer
    return None
