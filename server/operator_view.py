"""What a data-entry operator (录入员) reads of a double-entry program: ``/judge/api/me``.

The operator types judges' paper sheets (``entry`` frames, 双人录入). The entry screen needs the
judges whose sheets are typed and the aspects each one marks, the marks agreed already, and
where the operator's own entries stand: ``waiting`` for the other operator's, or ``mismatch``
(held for the chief). The other operator's values are never shown: each types the sheet on
their own, and a mismatch sends them back to the paper.

In an anonymous program before decryption the operator sees codes only, like a judge: one list
per layer, each sorted by code (never in the drawn order, which would link a workstation number
to its second code); entries, agreed marks and refusals name the code of the aspect's layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scoreboard.kinds import Layer
from scoreboard.model import Judge, Role
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes
from scoreboard.program.entries import entered, has_entries, status

from . import anonymity
from .hub import Hub


def operator_program(hub: Hub, operator: Judge, pid: str, mine: dict[str, Any]) -> dict[str, Any]:
    state = hub.board.programs[pid]
    prog = state.program
    masked = anonymity.judge_masked(hub, operator.id, pid) is not None
    shown = _shown(state, masked)
    order = _order(state, masked, shown)
    entries = []
    for key, held in sorted(state.entries.items(), key=lambda kv: order(kv[0])):
        own = held.get(operator.id)
        if own is not None:
            cid, aid, jid = key
            entries.append(
                {"competitor": shown(cid, aid), "aspect": aid, "judge": jid, "value": own.value,
                 "sheet": own.sheet, "status": status(state, key)}
            )  # fmt: skip
    out = {
        **mine,
        "double_entry": has_entries(prog),  # the program's marks, or some of its aspects'
        "entered": [aid for aid in prog.aspects if entered(prog, aid)],  # typed from paper
        "judges": sheets_of(hub, pid),
        "entries": entries,
        "agreed": [[shown(c, a), a, j] for c, a, j in sorted(state.agreed, key=order)],
        # of them, the mismatches the chief resolved from the sheet (the chief's value)
        "resolved": [[shown(c, a), a, j] for c, a, j in sorted(state.resolved, key=order)],
        "conflicts": [],
    }
    if masked:
        used = {prog.layer(aid) for aid in prog.aspects}
        out.update(
            anonymous=True,
            codes={layer.value: sorted(codes(state, layer).values()) for layer in used},
            layers={aid: prog.layer(aid).value for aid in prog.aspects},  # which code to type
            competitors=[],
            marks={},
            signed_off=[],
            locked={},
        )
    return out


def sheets_of(hub: Hub, pid: str) -> list[dict[str, Any]]:
    """The judges whose paper sheets are typed, each with the aspects they mark on paper (the
    chief's only when no judge is assigned)."""
    prog = hub.competition.programs[pid]
    people = [j for j in hub.competition.judges.values() if j.assigned(pid)]
    markers = [j for j in people if j.role is Role.JUDGE] or [
        j for j in people if j.role is Role.CHIEF
    ]
    out = []
    for j in markers:
        aspects = [
            aid for aid, a in prog.aspects.items() if j.assigned(pid, a) and entered(prog, aid)
        ]
        if aspects:
            out.append({"id": j.id, "name": j.name, "aspects": aspects})
    return out


def _order(
    state: ProgramState, masked: bool, shown: Callable[[str, str], str]
) -> Callable[[tuple[str, str, str]], tuple[int, str, str, str]]:
    """The sort key of a (competitor, aspect, judge) row: by what is shown, the layer, then the
    code, the aspect and the judge. Never by competitor id in an anonymous program: in id order a
    competitor's workstation number and second code sit side by side."""
    layers = list(Layer)
    if not masked:
        return lambda key: (0, *key)
    prog = state.program
    return lambda key: (layers.index(prog.layer(key[1])), shown(key[0], key[1]), key[1], key[2])


def _shown(state: ProgramState, masked: bool) -> Callable[[str, str], str]:
    """The competitor as the operator types it: the id, or the code of the aspect's layer."""
    if not masked:
        return lambda cid, aid: cid
    books = {
        layer: codes(state, layer)
        for layer in {state.program.layer(a) for a in state.program.aspects}
    }
    return lambda cid, aid: books[state.program.layer(aid)].get(cid, "?")
