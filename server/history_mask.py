"""A program's history as a judge of an anonymous program may read it before decryption.

The history (``server/history.py``) is the ledger's own words, and the ledger keeps
competitors by id. For a judge who sees the program under codes (``anonymity.judge_masked``)
each event is rewritten the way the pad is: a competitor's id becomes the code of the judge's
layer; an event on an aspect of the other layer, and the draw (it pairs every id with its
codes), are left out. The result is checked once more, failing closed: an event that still
names a competitor (id, bib, name), a delegation other than the judge's or the other layer's
code is left out rather than shown. Marks, message ids and devices (``VALUES``) are not
searched for names (with bibs 1, 2, … a mark of 1 is not bib 1); free text (a reason, a note)
that names a competitor is replaced by a placeholder (``free_text``).
"""

from __future__ import annotations

import re
from typing import Any

from scoreboard.model import Judge, Layer, Role
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, desk_layer

from .anonymity import code_book, layers
from .free_text import FreeText
from .layer_tables import judge_layer, program_layers, split

HIDDEN_KINDS = ("draw",)  # the draw's result lists every competitor's id with its codes
# fields that are values, not words a person typed about someone: not searched for names
VALUES = frozenset({"value", "previous", "id", "device", "ts"})


def swap(value: Any, book: dict[str, str]) -> Any:
    """``value`` with every string that is a competitor's id replaced by its code."""
    if isinstance(value, str):
        return book.get(value, value)
    if isinstance(value, list):
        return [swap(v, book) for v in value]
    if isinstance(value, dict):
        return {swap(k, book): swap(v, book) for k, v in value.items()}
    return value


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    return []


class Masker:
    """What one masked judge may read of one program's events."""

    def __init__(self, state: ProgramState, judge: Judge) -> None:
        self.state = state
        self.judge = judge
        prog = state.program
        self.layers = set(layers(prog, judge))
        self.split = split(prog) and judge.role is not Role.JUDGE  # the desk, in layers
        if self.split:
            self.layers = set(program_layers(prog))
        self.book = code_book(state, judge)
        others = [x for x in Layer if x not in self.layers]
        hidden = {c for x in others for c in codes(state, x).values()}  # the other layer's
        self.values = set(hidden)
        self.values |= {
            c.delegation
            for c in prog.competitors.values()
            if c.delegation and c.delegation != judge.delegation
        }
        # reasons, notes, sheets that name a competitor: withheld, the rest of the line shown
        shown = {c for x in self.layers for c in codes(state, x).values()}
        self.free = FreeText(prog, shown, hidden - shown)
        words = {w for c in prog.competitors.values() for w in (c.id, c.bib, *c.name.values())}
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
        self.words = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{pattern})(?![0-9A-Za-z])") if pattern else None
        )

    def competitor(self, code: str) -> str | None:
        """The id behind a code of a layer the reader sees (the history's ``competitor``
        filter); ``shows`` then keeps the lines shown under that code only."""
        for layer in sorted(self.layers, key=lambda x: x is not desk_layer(self.state.program)):
            cid = next((i for i, c in codes(self.state, layer).items() if c == code), None)
            if cid is not None:
                return cid
        return None

    @staticmethod
    def shows(line: dict[str, Any], code: str) -> bool:
        """Whether a masked line is about ``code``: a filter by the workstation number must not
        return the same competitor's second-layer lines under its second code (that pairs them)."""
        return bool(line["fields"].get("competitor") == code)

    def line(self, line: dict[str, Any]) -> dict[str, Any] | None:
        """The history line as the judge reads it, or None when it is not theirs to read."""
        if line["kind"] in HIDDEN_KINDS:
            return None
        fields = line["fields"]
        prog = self.state.program
        aspect = fields.get("aspect")
        book = self.book
        layer = fields.get("layer")
        if isinstance(layer, str) and layer in {str(x) for x in Layer}:
            # a sign-off, lock or unlock under one layer's code (layer_rule): that layer's only
            if Layer(layer) not in self.layers:
                return None
            book = codes(self.state, Layer(layer))
        elif line["kind"] == "status" and split(prog):  # the desk's, under its layer's code
            if desk_layer(prog) not in self.layers:
                return None  # a second layer's reader: it takes effect at decryption
            book = codes(self.state, desk_layer(prog))
        elif isinstance(aspect, str) and aspect in prog.aspects:
            if self.judge.role is Role.JUDGE and prog.layer(aspect) not in self.layers:
                return None
            book = code_book(self.state, self.judge, aspect)
        elif self.split:  # a sign-off under the layer its judge marks (layer_tables)
            author = str(fields.get("judge") or line.get("author") or "")
            book = codes(self.state, judge_layer(prog, self.state, author))
        out = {**line, "fields": self.free.fields(swap(fields, book))}
        said = strings(out["fields"]) + [str(out.get("author", ""))]
        if any(s in self.values for s in said):
            return None
        # a mark, a message id or a device is no name: with bibs 1, 2, … a mark of 1 (or the
        # message id mark-1) looked like bib 1 and the line was withheld
        named = strings({k: v for k, v in out["fields"].items() if k not in VALUES})
        if self.words is not None and any(self.words.search(s) for s in named):
            return None
        return out
