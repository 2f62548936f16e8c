"""The lifecycle report and the draw list as a masked reader may see them before decryption.

Both are the chief's and reviewers' desk (``anonymity.sees_codes``): the report
(``/judge/api/lifecycle/{program}``) names competitors by id and bib in its gate, review set,
marks, history and corrections; under codes each id and bib becomes the program's code
(``anonymity.desk_layer``), its lists of competitors are by code (``_by_code``), and the result is checked as the jury channel is (``jury_codes``),
failing closed. The draw list pairs names with workstation numbers and codes: the key, for
the supervisor and the organizer; a masked reader gets what was drawn without it (how many
workstations, the seed input, the head), and no rows.
"""

from __future__ import annotations

from typing import Any

from scoreboard.lifecycle.gates import REVIEW, Order, review_gate
from scoreboard.model import Layer, Status
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, desk_layer, desk_order
from scoreboard.program.layer_rule import judge_layers

from .history_mask import swap
from .jury_codes import Leak, Rewriter
from .layer_tables import judge_layer, program_layers, split

DRAW_KEYS = ("program", "program_name", "competition", "seq", "draws", "seed_input", "head_seq",
             "head_hash", "author", "reason", "ts")  # fmt: skip


def report(state: ProgramState, data: dict[str, Any]) -> dict[str, Any] | None:
    """The lifecycle report under codes; None when something would still name a competitor."""
    rewriter = Rewriter(state)
    book = rewriter.book
    bibs = {c.bib: book[cid] for cid, c in state.program.competitors.items() if cid in book}
    uncoded = set(state.program.competitors) - set(book)  # before the draw: everyone
    place = {book[c]: i for i, c in enumerate(desk_order(state)) if c in book}
    if split(state.program):  # the board's order is by total, which joins the layers
        place = {code: i for i, code in enumerate(sorted(place))}
    out = _prune(swap(_bibs(data, bibs), book), uncoded)
    if split(state.program):
        out = _layered(state, out, {code: cid for cid, code in book.items()})
    out = rewriter.free.fields(_by_code(out, place))  # reasons, notes, texts (free_text)
    try:
        rewriter.check(out)
    except Leak:
        return None
    return out


def _by_code(out: dict[str, Any], place: dict[str, int]) -> dict[str, Any]:
    """The report's lists of competitors by code: the core lists them by bib (or by id, which
    holds the bib), and the public lists the bibs in that order; a missing mark names no judge."""
    gate = out.get("gate")
    if gate:
        for key in ("marks", "signoffs", "reviews"):  # stable: a competitor's items keep order
            gate[key] = sorted(gate.get(key, []), key=lambda item: str(item.get("competitor")))
        for m in gate.get("marks", []):
            # who has not marked a code leaves out its delegation's judges under conflict of
            # interest (and so names it); have/need say how many marks are missing
            m["judges"] = []
    review = out.get("review")
    if review:
        review["corrected"] = sorted(review.get("corrected", []))
        for key in ("top", "members"):  # in the desk's order: who shares a place by code
            review[key] = sorted(review.get(key, []), key=lambda c: place.get(c, len(place)))
    if isinstance(out.get("marks"), dict):
        out["marks"] = dict(sorted(out["marks"].items()))
    return out


def order(state: ProgramState) -> Order:
    """The gate's missing items in the order a masked reader lists them, by the code each is
    shown under (``_layered``), for the core to sort by before it cuts the lists (``LISTED``)."""
    prog = state.program
    desk = codes(state, desk_layer(prog))
    if not split(prog):
        return lambda cid, _: desk.get(cid, "")
    books = {x: codes(state, x) for x in program_layers(prog)}

    def key(cid: str, what: str) -> str:
        if what in prog.aspects:
            return books[prog.layer(what)].get(cid, "")
        if what:  # a judge's sign-off
            return books[judge_layer(prog, state, what)].get(cid, "")
        return desk.get(cid, "")

    return key


def _layered(state: ProgramState, out: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """A two-layer program's report as the desk shows its board (``layer_tables``): a missing
    mark and a correction under its aspect's layer's code, a missing sign-off under its judge's,
    and the review's marks by layer, each layer's under its own codes (``ids``: desk code →
    id); who was corrected is the codes the corrections were made under."""
    prog = state.program
    books = {x: codes(state, x) for x in program_layers(prog)}

    def recode(code: Any, layer: Layer) -> Any:
        cid = ids.get(code) if isinstance(code, str) else None
        return books[layer].get(cid, "?") if cid is not None else code

    gate = out.get("gate")
    if gate:
        for m in gate.get("marks", []):
            m["competitor"] = m["bib"] = recode(m["competitor"], prog.layer(m["aspect"]))
        signoffs = []
        for m in gate.get("signoffs", []):
            for layer in unsigned(state, ids.get(m["competitor"]), m["judge"]):
                code = recode(m["competitor"], layer)
                signoffs.append({**m, "competitor": code, "bib": code})
        gate["signoffs"] = signoffs
        _recount(state, gate)
    fixed: set[str] = set()  # the codes the review's corrections were made under
    for item in [*(out.get("corrections") or []), *(out.get("history") or [])]:
        if isinstance(item, dict) and item.get("aspect") in prog.aspects and "competitor" in item:
            code = recode(item["competitor"], prog.layer(item["aspect"]))
            item["competitor"] = code
            if "bib" in item:
                item["bib"] = code
            if item.get("what") == "correct":
                fixed.add(str(code))
        if isinstance(item, dict) and item.get("what") == "reviewed":
            item.pop("corrected", None)  # which workstation a second-code correction was on
    review = out.get("review")
    if review and review.get("corrected"):  # who was corrected: by the codes corrected under
        review["corrected"] = sorted(fixed)
    if isinstance(out.get("marks"), dict):
        out["marks"] = _review_marks(state, out["marks"])
        if review:  # the layers reviewed in full (every work: no set to pair with)
            review["every"] = [str(x) for x in program_layers(prog) if x is not desk_layer(prog)]
    return out


def unsigned(state: ProgramState, cid: str | None, judge: str) -> list[Layer]:
    """The layers of ``cid`` whose sign-off ``judge`` still owes, each listed under its own
    code: a judge of both layers who signed the workstation side only is missing under the
    second code (under the workstation number, which the desk's table shows signed, it said
    which code is that workstation's); of a competitor who is not OK, the second layer only
    (the status is the desk's: ``gates.review_gate``)."""
    prog = state.program
    mine = judge_layers(prog, state.competition, judge)
    if cid is None or len(mine) < 2:
        return [judge_layer(prog, state, judge)]
    part = state.signed_layers.get((cid, judge), frozenset())
    out = [x for x in program_layers(prog) if str(x) in mine and str(x) not in part]
    if state.statuses[cid] is not Status.OK:
        out = [x for x in out if x is not desk_layer(prog)]
    return out


def _recount(state: ProgramState, gate: dict[str, Any]) -> None:
    """The gate's count of sign-offs as listed (by layer): the core counts a judge of both
    layers once per competitor, so the count would move only when a competitor's second layer
    is signed, saying which workstation's code was signed already."""
    if gate.get("gate") != REVIEW:
        return
    before = gate["counts"]["signoffs"]
    now = sum(len(unsigned(state, c, j)) for c, j in review_gate(state).signoffs)
    gate["counts"]["signoffs"] = now
    gate["summary"] = gate["summary"].replace(
        f"{before} sign-off(s) missing", f"{now} sign-off(s) missing"
    )


def _review_marks(state: ProgramState, marks: dict[str, Any]) -> dict[str, Any]:
    """The report's marks of a two-layer program: the review set's (and the appeals') marks
    of the desk's layer under their workstation numbers, and every work's marks of the other
    layer under its code, in code order. Listing only the set's second-code works would say
    which code each workstation in the set is (with ``review_top = 1``, exactly): so the second
    layer is reviewed in full, and the report says so (``review.every``)."""
    prog = state.program
    desk = desk_layer(prog)
    out: dict[str, Any] = {}
    for code, by_aspect in marks.items():
        mine = {
            a: p for a, p in by_aspect.items() if a not in prog.aspects or prog.layer(a) is desk
        }
        if mine:
            out[code] = mine
    for layer in program_layers(prog):
        if layer is desk:
            continue
        book = codes(state, layer)
        for cid in sorted(book, key=lambda c: book[c]):
            panels = {
                aid: {j: m.value for j, m in panel.items()}
                for aid, panel in state.marks[cid].items()
                if prog.layer(aid) is layer
            }
            if panels:
                out[book[cid]] = panels
    return out


def _prune(value: Any, ids: set[str]) -> Any:
    """``value`` without the items that name a competitor who has no code yet."""
    if not ids:
        return value
    if isinstance(value, list):
        return [_prune(v, ids) for v in value if not _names(v, ids)]
    if isinstance(value, dict):
        return {k: _prune(v, ids) for k, v in value.items() if k not in ids}
    return value


def _names(value: Any, ids: set[str]) -> bool:
    if isinstance(value, str):
        return value in ids
    return isinstance(value, dict) and value.get("competitor") in ids


def _bibs(value: Any, bibs: dict[str, str]) -> Any:
    """``value`` with each ``"bib"`` field's bib replaced by the competitor's code."""
    if isinstance(value, list):
        return [_bibs(v, bibs) for v in value]
    if isinstance(value, dict):
        return {
            k: bibs.get(v, "?") if k == "bib" and isinstance(v, str) else _bibs(v, bibs)
            for k, v in value.items()
        }
    return value


def draw_list(data: dict[str, Any], state: ProgramState) -> dict[str, Any]:
    """The draw without its key: no row pairs a workstation with a competitor or a code; a
    redraw's reason that names a competitor is withheld (``free_text``)."""
    return {
        **Rewriter(state).free.fields({k: data.get(k) for k in DRAW_KEYS}),
        "workstations": len(data["rows"]),
        "rows": [],
        "sealed": True,
    }
