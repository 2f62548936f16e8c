"""A two-layer anonymous program at the desk before decryption: one table per layer.

A program marked under both layers (the workstation number on site, the second code for the
work judged afterwards, 成果评分) must not let a masked reader pair a competitor's two codes.
A board row joins them: its marks of both layers, its total and rank, under one code; whoever
knows a code's marks of the other layer (its judges, the operators who type its sheets) would
learn its workstation number. So before decryption the jury channel carries one row per layer
and competitor (``"layer"``), keyed by that layer's code, with that layer's criteria, aspects,
held entries and sign-offs only; the program's layers and their aspects are in the header
(``layers``), its ``progress`` counted per layer. What joins the layers is not sent: no total,
rank, award, titles or provisional, nor the board's count of complete competitors;
the competitor's status is on the desk layer's row only, and the other layer's rows keep their
criteria as marked whatever the status (it takes effect there at decryption); each layer's
locks (by its own code: ``layer_rule``) on its rows. Rows come layer by layer, each layer in code order, never in the board's order; ties are
not listed (they are of totals). A delta would carry the changed competitor's two rows together,
so such a channel gets a fresh snapshot instead of each delta (``jury_codes.JuryCodes.frames``).
"""

from __future__ import annotations

from typing import Any

from scoreboard.model import Layer, Program, Role
from scoreboard.numbers import fmt
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, desk_layer, layer_progress
from scoreboard.program.layer_rule import LAYER_LOCK, judge_layers

NO_NAME = {"zh": "", "en": ""}


def program_layers(prog: Program) -> list[Layer]:
    """The layers the program's aspects are marked under, the desk's first."""
    used = {prog.layer(aid) for aid in prog.aspects} | {desk_layer(prog)}
    return sorted(used, key=lambda x: (x is not desk_layer(prog), x.value))


def split(prog: Program) -> bool:
    """Whether the desk shows ``prog`` as one table per layer (more than the desk's layer)."""
    return prog.anonymous and set(program_layers(prog)) != {desk_layer(prog)}


def judge_layer(prog: Program, state: ProgramState, judge: str) -> Layer:
    """The layer a judge's sign-off is shown under: a judge who marks only another layer's
    aspects signs there; everyone else on the desk's layer."""
    j = state.competition.judges.get(judge)
    if j is None or j.role is not Role.JUDGE:
        return desk_layer(prog)
    mine = {prog.layer(aid) for aid, a in prog.aspects.items() if j.assigned(prog.id, a)}
    return mine.pop() if len(mine) == 1 else desk_layer(prog)


class Tables:
    """One program's board rows as per-layer rows under codes."""

    def __init__(self, state: ProgramState) -> None:
        self.state = state
        prog = state.program
        self.layers = program_layers(prog)
        self.books = {x: codes(state, x) for x in self.layers}
        self.aspects = {x: [a for a in prog.aspects if prog.layer(a) is x] for x in self.layers}

    def header(self) -> list[dict[str, Any]]:
        return [{"layer": str(x), "aspects": self.aspects[x]} for x in self.layers]

    def progress(self) -> dict[str, Any]:
        """The header's ``progress``, each layer counted on its own aspects (``layers``), and
        ``complete`` the desk's layer's: the board's count joins the layers."""
        n = len(self.state.program.competitors)
        per = {str(x): {"complete": layer_progress(self.state, x)[1], "of": n} for x in self.layers}
        return {**per[str(self.layers[0])], "layers": per}

    def rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each layer's rows in its code order (competitors without a code are left out)."""
        out = []
        for layer in self.layers:
            book = self.books[layer]
            mine = [self.row(r, layer, book[r["competitor"]["id"]])
                    for r in rows if r["competitor"]["id"] in book]  # fmt: skip
            out.extend(sorted(mine, key=lambda r: str(r["competitor"]["id"])))
        return out

    def signed(self, row: dict[str, Any], layer: Layer) -> list[str]:
        """Who signed off this layer's marks: a judge of one layer on that layer's row; a judge
        of both layers on each row they signed (``signed_layers``), so that signing one
        layer changes nothing on the other's."""
        prog, state = self.state.program, self.state
        full, part = row.get("signed_off", []), row.get("signed_layers") or {}
        out = []
        for j in sorted({*full, *part}):
            if len(judge_layers(prog, state.competition, j)) < 2:
                if j in full and judge_layer(prog, state, j) is layer:
                    out.append(j)
            elif j in full or str(layer) in part.get(j, []):
                out.append(j)
        return out

    def locks(self, row: dict[str, Any], layer: Layer) -> list[str]:
        """The locks of this layer: its criteria's, its layer-wide lock (``@code``); a lock of
        everything (``*``, recorded without a layer) on the desk's row."""
        prog = self.state.program
        mine = {prog.aspects[a].criterion for a in self.aspects[layer]}
        desk = layer is desk_layer(prog)
        return [
            c for c in row.get("locked", [])
            if c in mine or c == f"{LAYER_LOCK}{layer}" or (desk and c == "*")
        ]  # fmt: skip

    def entered(self, cid: str) -> dict[str, str]:
        """The competitor's criteria as marked, whatever its status (a DNS, DNF or DSQ set by
        the desk's code blanks a row's criteria, and on the other layer's row that would say
        which code the desk's competitor is) and whether it has a result (the board prints
        criteria only then, and a mark of the other layer alone can give it one)."""
        state = self.state
        res = state.results.get(cid)
        if res is None:
            return {}
        return {k: fmt(v, state.program.value_places) for k, v in res.criteria.items()}

    def row(self, row: dict[str, Any], layer: Layer, code: str) -> dict[str, Any]:
        prog = self.state.program
        desk = layer is desk_layer(prog)
        aspects = set(self.aspects[layer])
        out: dict[str, Any] = {
            "layer": str(layer),
            "competitor": {"id": code, "bib": code, "name": NO_NAME, "delegation": None},
            "aspects": {k: v for k, v in (row.get("aspects") or {}).items() if k in aspects},
            "signed_off": self.signed(row, layer),
            "locked": self.locks(row, layer),
        }
        # a criterion's value once one of its aspects is in (a competitor with a mark of the
        # other layer only has a result, and so 0.00 here: that would say who it is)
        seen = {prog.aspects[a].criterion for a in out["aspects"]}
        criteria = row.get("criteria") or {}
        if not desk or row.get("status", "ok") == "ok":  # as entered: a status (the desk's)
            criteria = self.entered(row["competitor"]["id"])  # takes effect here at decryption
        out["criteria"] = {k: v for k, v in criteria.items() if k in seen}
        if desk and "status" in row:
            out["status"] = row["status"]
        entries = [e for e in row.get("entries", []) if e.get("aspect") in aspects]
        if entries:
            out["entries"] = entries
        return out  # nothing else: a field not known here may join the layers
