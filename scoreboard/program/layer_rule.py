"""Locks and sign-offs by layer: a masked two-layer program keeps each layer to its own code.

In an anonymous program marked under two layers (the workstation number on site, the second
code for the work judged afterwards) nothing a layer's audience sees may change because of an
event under the other layer's code (issue 15). So while it is masked a lock, an unlock and a
sign-off carry the ``layer`` they were made under (the hub fills it from the code typed):

- a lock of a criterion locks that criterion, as before; a whole-competitor lock with a layer
  locks that layer's aspects only (kept as ``(competitor, "@<layer>")`` in ``locks``);
- an unlock reopens the sign-offs of its layer only: a judge who marks only the other layer
  keeps theirs, a judge of both layers keeps the other layer's;
- a judge's sign-off with a layer covers that layer's aspects. ``signoffs`` holds a judge who
  signed off every layer they mark (one layer for most judges: the same as a sign-off without
  a layer); ``signed_layers`` the layers signed so far of a judge who marks both and has not
  signed both.

An event without a layer (every event recorded before this, and every event of a program that
is not layered) does what it always did: a lock of everything, an unlock that reopens every
sign-off of the competitor, a sign-off of all the judge's marks. Old ledgers replay the same.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import InvalidValue, StateConflict
from ..events import Locked, SignedOff, Unlocked
from ..model import Competition, Layer, Program

LAYER_LOCK = "@"  # a layer-wide lock's key: (competitor, "@code")


class Layered(Protocol):
    program: Program
    competition: Competition
    locks: set[tuple[str, str]]
    signoffs: set[tuple[str, str]]
    signed_at: dict[tuple[str, str], int]
    signed_layers: dict[tuple[str, str], frozenset[str]]
    layer_signed_at: dict[tuple[str, str, str], int]


def judge_layers(prog: Program, competition: Competition, judge: str) -> frozenset[str]:
    """The layers of the program's aspects ``judge`` is assigned to (all, if none)."""
    j = competition.judges.get(judge)
    mine = {
        str(prog.layer(aid))
        for aid, a in prog.aspects.items()
        if j is not None and j.assigned(prog.id, a)
    }
    return frozenset(mine or {str(prog.layer(aid)) for aid in prog.aspects})


def lock_key(event: Locked | Unlocked) -> tuple[str, str]:
    if event.criterion or not event.layer:
        return (event.competitor, event.criterion)
    return (event.competitor, LAYER_LOCK + event.layer)


def locked(state: Layered, cid: str, aid: str) -> bool:
    """Whether a mark of aspect ``aid`` of ``cid`` is locked (everything, its criterion or its
    layer)."""
    locks = state.locks
    if not locks:
        return False
    prog = state.program
    crit = prog.aspects[aid].criterion
    return (
        (cid, "") in locks
        or (cid, crit) in locks
        or (cid, LAYER_LOCK + str(prog.layer(aid))) in locks
    )


def signed(state: Layered, cid: str, judge: str, aid: str) -> bool:
    """Whether ``judge`` signed off the marks of aspect ``aid`` of ``cid``."""
    key = (cid, judge)
    if key in state.signoffs:
        return True
    part = state.signed_layers.get(key)
    return part is not None and str(state.program.layer(aid)) in part


def _layer(prog: Program, layer: str) -> None:
    if not layer:
        return
    names = {str(x) for x in Layer}
    if layer not in names:
        raise InvalidValue(
            f"layer {layer!r} is unknown; use {' or '.join(sorted(names))}", "invalid_value"
        )
    used = {str(prog.layer(a)) for a in prog.aspects}
    if layer not in used:
        raise InvalidValue(
            f"{prog.id} marks no aspect under the layer {layer!r}; use {', '.join(sorted(used))}",
            "invalid_value",
        )


def check_lock(state: Layered, event: Locked | Unlocked) -> None:
    """A lock's or unlock's layer: known, and the layer of its criterion if it names one."""
    prog = state.program
    _layer(prog, event.layer)
    if event.layer and event.criterion in prog.criteria:
        of = {str(prog.layer(a)) for a, x in prog.aspects.items() if x.criterion == event.criterion}
        if event.layer not in of:
            raise StateConflict(
                f"criterion {event.criterion} of {prog.id} is marked under the "
                f"{', '.join(sorted(of))} layer, not {event.layer}; lock it by that layer's code",
                "wrong_layer",
            )


def check_signoff(state: Layered, event: SignedOff) -> None:
    """A sign-off's layer is one the judge marks; not signed off already (on that layer)."""
    prog = state.program
    _layer(prog, event.layer)
    key = (event.competitor, event.judge)
    mine = judge_layers(prog, state.competition, event.judge)
    if event.layer and event.layer not in mine:
        raise StateConflict(
            f"you mark no aspect of {prog.id} under the {event.layer} layer; sign off by the "
            "code of the work you marked",
            "wrong_layer",
        )
    part = state.signed_layers.get(key, frozenset())
    if key in state.signoffs or (event.layer and event.layer in part):
        raise StateConflict(f"you already signed off {event.competitor}", "already_signed_off")


def sign(state: Layered, event: SignedOff) -> None:
    """Apply a checked sign-off."""
    key = (event.competitor, event.judge)
    if event.layer:  # its time, for that layer's signed sheet (a judge of both layers)
        state.layer_signed_at[(*key, event.layer)] = event.ts
        part = state.signed_layers.get(key, frozenset()) | {event.layer}
        if part < judge_layers(state.program, state.competition, event.judge):
            state.signed_layers[key] = part  # the judge's other layer is still open
            return
        state.signed_layers.pop(key, None)
    state.signoffs.add(key)
    state.signed_at[key] = event.ts


def reopen(state: Layered, event: Unlocked) -> None:
    """Apply a checked unlock: the lock goes, and the sign-offs of its layer (of every layer
    without one) reopen."""
    state.locks.discard(lock_key(event))
    cid, layer = event.competitor, event.layer
    for at in [k for k in state.layer_signed_at if k[0] == cid and (not layer or k[2] == layer)]:
        del state.layer_signed_at[at]
    keys = {k for k in state.signoffs if k[0] == cid} | {
        k for k in state.signed_layers if k[0] == cid
    }
    for key in keys:
        if key in state.signoffs:
            had = judge_layers(state.program, state.competition, key[1])
        else:
            had = state.signed_layers[key]
        left = had - {layer} if layer else frozenset()
        if left == had:
            continue  # a judge of the other layer only: their sign-off stands
        state.signoffs.discard(key)
        state.signed_at.pop(key, None)
        if left:
            state.signed_layers[key] = left
        else:
            state.signed_layers.pop(key, None)
