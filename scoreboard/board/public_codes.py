"""The public board of an anonymous program shown by codes before decryption (issue 15).

With ``public_before_decryption = "codes"`` and a live visibility, the public's program channel
shows every drawn competitor by the public code, the first layer's workstation number (``07``,
"工位 07" / "Station 07"), with the scores: never a name, bib, delegation, id or the second
layer's code. The view is keyed by code (its order, rows and header name codes), so nothing a
public screen, feed or API reads from it names anyone; a competitor without a code yet (before
the draw) is not shown. ``best_of_delegation`` is left out (it says which codes share a
delegation), and the program counts in no public table (medals, best result) until decryption
(``tallies.counts``). The marks of the second layer (成果评分, criteria under the second code)
are not shown under the workstation number: their judge knows the code and the mark given, and
would read the workstation number behind it. A program with such criteria shows the first
layer's criteria only, with no total or rank (which those marks move), listed by code
(``withheld``). A program with guests shows no rank and lists by code too (``by_code``): the
start list names the guests, and a guest's row (a score, no rank, after the ranked ones) would
say which workstation the guest is at. At decryption the view's rows go back to ids and names, live: the coded
rows are removed in the same delta (``Leaderboards.refresh``).
"""

from __future__ import annotations

from typing import Any

from ..kinds import Layer, Lifecycle, Status, Visibility
from ..model import Program
from ..numbers import fmt
from ..program import ProgramState
from ..program.anonymous import codes, desk_order, layer_progress, public_codes
from ..scoring import AspectState
from ..views import Row

# the row fields that may name a competitor or a delegation: not in a coded row
LEFT_OUT = frozenset({"best_of_delegation", "members", "photo"})
# what the second layer's marks move: not in a coded row of a program with such criteria
MOVED = frozenset({"components", "rounds", "standardised", "tied", "unresolved_tie"})


def coded(state: ProgramState) -> bool:
    """Whether the public sees ``state``'s program by codes now."""
    return public_codes(state) and state.visibility is not Visibility.HIDDEN


def book(state: ProgramState) -> dict[str, str]:
    """Competitor id → public code (the workstation number; empty before the draw)."""
    return codes(state, Layer.WORKSTATION)


def public_key(state: ProgramState, cid: str) -> str:
    """The key of ``cid``'s row in the public view: its code while coded, else its id."""
    return book(state).get(cid, "") if coded(state) else cid


def competitor(code: str) -> dict[str, Any]:
    return {
        "id": code,
        "bib": code,
        "name": {"zh": f"工位 {code}", "en": f"Station {code}"},
        "delegation": None,
        "coded": True,
    }


def start_row(public: dict[str, Any]) -> Row:
    """A competitor's row where the public board has none under its id (it shows codes): the
    start list's, without a result, as a hidden board shows it."""
    return {"rank": None, "competitor": public, "total": None}


def withheld(prog: Program) -> frozenset[str]:
    """The criteria marked under another layer than the workstation number (the public's)."""
    layers = {c: crit.layer or prog.anonymous_layer for c, crit in prog.criteria.items()}
    return frozenset(c for c, layer in layers.items() if layer is not Layer.WORKSTATION)


def by_code(prog: Program) -> bool:
    """Whether the coded board shows no rank and lists by code: a program with criteria under
    the second code (``withheld``), or with guests (a row with no rank would be a guest's)."""
    return bool(withheld(prog)) or any(c.guest for c in prog.competitors.values())


def row(shown: Row, code: str, state: ProgramState | None = None, cid: str = "") -> Row:
    """``shown`` (the competitor's public row) by ``code``; of a program with criteria under the
    second code (``withheld``), the first layer's criteria with a complete aspect only."""
    out = {k: v for k, v in shown.items() if k not in LEFT_OUT}
    out["competitor"] = competitor(code)
    if state is None or not by_code(state.program):
        return out
    hide = withheld(state.program)
    if not hide:  # guests: the row as shown, with no rank
        out = {k: v for k, v in out.items() if k not in ("tied", "unresolved_tie")}
        out["rank"] = None
        return out
    prog = state.program
    # a criterion once one of its aspects is complete, its value as marked: the board prints
    # criteria only once the competitor has a result, which a second-code mark alone can give
    # (the row that changed with it said which workstation it was); a pending mark changes no
    # public row (``Scoreboard._marked_only``), so "has a mark" would show late, with that mark
    done = {a for a, r in state.aspect_results[cid].items() if r.state is AspectState.COMPLETE}
    marked = {prog.aspects[a].criterion for a in done}
    out = {k: v for k, v in out.items() if k not in MOVED}
    crits = out.get("criteria", {})
    if state.statuses[cid] is Status.OK:
        crits = {k: fmt(v, prog.value_places) for k, v in state.results[cid].criteria.items()}
    out["criteria"] = {k: v for k, v in crits.items() if k not in hide and k in marked}
    out["total"] = out["rank"] = None
    if "provisional" in out:  # as for a result not complete yet
        out["provisional"] = (
            out.get("status") == Status.OK.value and state.lifecycle.stage is Lifecycle.MARKING
        )
    return out


def order(state: ProgramState, codes_of: dict[str, str]) -> list[str]:
    """The board's order by code: those who share a place (or have none) listed by code; only
    by code when it shows no rank (``by_code``: the order would show the ranks)."""
    if by_code(state.program):
        return sorted(codes_of[c] for c in state.program.competitors if c in codes_of)
    return [codes_of[c] for c in desk_order(state) if c in codes_of]


def header(
    head: dict[str, Any],
    codes_of: dict[str, str],
    withheld_ties: bool = False,
    state: ProgramState | None = None,
) -> dict[str, Any]:
    """The header with each competitor it names (ties, appeals, corrections) by code; what has
    no code is left out. Of a program with ``withheld`` criteria (``state``), ``progress`` counts
    the first layer only: the board's count of complete competitors joins the layers, and moved
    when a workstation's first layer was completed only if its second code was marked (a
    second-code judge who marked one work read off its workstation)."""
    out = dict(head)
    if state is not None and withheld(state.program) and out.get("progress"):
        complete = layer_progress(state, Layer.WORKSTATION)[1]
        out["progress"] = {**out["progress"], "complete": complete}
    if "unresolved_ties" in out and withheld_ties:
        out["unresolved_ties"] = []
    elif "unresolved_ties" in out:
        out["unresolved_ties"] = [
            sorted(codes_of[c] for c in tie if c in codes_of) for tie in out["unresolved_ties"]
        ]
    for key in ("appeals", "corrections"):
        if key in out:
            out[key] = [
                {**item, "competitor": codes_of[item["competitor"]]}
                | ({"bib": codes_of[item["competitor"]]} if "bib" in item else {})
                for item in out[key]
                if item.get("competitor") in codes_of
            ]
    return out
