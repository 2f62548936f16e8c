"""The jury channel of an anonymous program before decryption: codes only, in the hub.

Every reader of ``program:<id>:jury`` is a chief (``ws_live.may_read``), and a chief sees an
anonymous program under codes until decryption (``anonymity.sees_codes``), so the channel itself
is rewritten on its way out, once per update as every frame is encoded once: each row's
competitor becomes the code of the program's layer (``desk_layer``: the workstation
number, ``07``) with no name, bib or delegation; the delta's ``order`` and ``removed`` and the
header's ties name codes too (each tie by code: the board lists them by bib, and the desk's order
lists them by code, ``anonymous.desk_order``), and ``best_of_delegation`` is left out. A competitor without a code
yet (before the draw) is left out. What still names a competitor (id, bib, name, a delegation,
the other layer's code) after that in a field that names competitors (``NAMING``, and any key) is
not sent: the frame fails closed (``Leak``). Marks, totals and other values are not looked at:
with bibs 1, 2, … a mark of 1 would look like a bib. Free text (a reason, a sheet reference)
that names a competitor is replaced by a placeholder first (``free_text``).

The codes change at the draw (a redraw gives new ones) and disappear at decryption, without a
new version of the channel: ``epochs`` notices that when the hub fans out, and the channel's
subscribers get a fresh snapshot in place of the batch's deltas. A viewer that resumes such a
channel gets a snapshot, never deltas (they may be of another epoch), and snapshots of it are
not cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from scoreboard import Update, program_channel
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import codes, desk_layer, masked

from .fanout import Encoded
from .free_text import FreeText
from .layer_tables import Tables, split
from .logs import log
from .wire import delta_frame

NO_NAME = {"zh": "", "en": ""}
# the fields that name competitors, in a jury frame and the lifecycle report: what is checked
NAMING = frozenset({
    "competitor", "id", "bib", "name", "delegation", "order", "removed", "unresolved_ties",
    "members", "top", "sample", "corrected", "reviewed", "competitors",
})  # fmt: skip


class Leak(Exception):
    """A rewritten jury frame still names a competitor: it is not sent."""


def program_of(channel: str) -> str | None:
    """``weld`` for ``program:weld:jury``; None for any other channel."""
    if not channel.endswith(":jury") or not channel.startswith("program:"):
        return None
    return channel[len("program:") : -len(":jury")]


class Rewriter:
    """One masked program's jury frames under the codes of its layer."""

    def __init__(self, state: ProgramState) -> None:
        self.state = state
        prog = state.program
        layer = desk_layer(prog)
        self.book = codes(state, layer)
        self.others = {
            c for x, book in ((x, codes(state, x)) for x in type(layer)) if x != layer
            for c in book.values()
        }  # fmt: skip
        self.tables = Tables(state) if split(prog) else None  # one table per layer
        if self.tables is not None:  # each layer's codes are its rows' own
            self.others = set()
        every = {c for x in type(layer) for c in codes(state, x).values()}
        # reasons, notes, sheets: withheld if they name, or name a code of a layer not shown
        self.free = FreeText(prog, every - self.others, self.others)
        self.delegations = {c.delegation for c in prog.competitors.values() if c.delegation}
        words = {w for c in prog.competitors.values() for w in (c.id, c.bib, *c.name.values())}
        words -= set(self.book.values()) | self.others  # a code may look like a bib (07, bib 07)
        if self.tables is not None:
            words -= {c for book in self.tables.books.values() for c in book.values()}
        pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True) if w)
        self.words = (
            re.compile(rf"(?<![0-9A-Za-z])(?:{pattern})(?![0-9A-Za-z])") if pattern else None
        )
        self.exact = (words - {""}) | self.others | self.delegations  # a key must be none

    def row(self, row: dict[str, Any]) -> dict[str, Any] | None:
        code = self.book.get(row["competitor"]["id"])
        if code is None:
            return None
        out = {k: v for k, v in row.items() if k != "best_of_delegation"}
        out["competitor"] = {"id": code, "bib": code, "name": NO_NAME, "delegation": None}
        return out

    def ids(self, ids: list[str]) -> list[str]:
        return [self.book[c] for c in ids if c in self.book]

    def frame(self, data: dict[str, Any]) -> dict[str, Any]:
        """A snapshot's data or a delta, rewritten; raises ``Leak`` if anything still names."""
        out = self.free.fields(data)
        if self.tables is not None:
            return self.tables_frame(self.tables, out)
        if "rows" in out:
            out["rows"] = [r for r in (self.row(r) for r in out["rows"]) if r is not None]
        for key in ("order", "removed"):
            if out.get(key) is not None:
                out[key] = self.ids(out[key])
        if out.get("ranks"):  # (the core sends whole rows under codes; by code all the same)
            out["ranks"] = {self.book[c]: r for c, r in out["ranks"].items() if c in self.book}
        if out.get("unresolved_ties"):
            out["unresolved_ties"] = [sorted(self.ids(tie)) for tie in out["unresolved_ties"]]
        for key in ("appeals", "corrections"):  # 公示 comes after decryption; never before
            if out.get(key):
                out[key] = []
        self.check(out)
        return out

    def tables_frame(self, tables: Tables, out: dict[str, Any]) -> dict[str, Any]:
        """A two-layer program's snapshot as one table per layer (``layer_tables``); a delta
        would carry a competitor's two rows together: it is never sent."""
        if "from" in out or "order" in out or "removed" in out:
            raise Leak("a delta of a program shown in layers")
        out["rows"] = tables.rows(out.get("rows", []))
        out["layers"] = tables.header()
        if "progress" in out:  # the board's count joins the layers
            out["progress"] = tables.progress()
        out["unresolved_ties"] = []  # ties are of totals, which join the layers
        for key in ("appeals", "corrections"):
            if out.get(key):
                out[key] = []
        self.check(out)
        return out

    def check(self, value: Any, naming: bool = False, top: bool = True) -> None:
        """Raise ``Leak`` if a field that names competitors (``NAMING``, and every key) still
        names one; marks, totals and other text are not looked at (a mark of 1 is not bib 1)."""
        if isinstance(value, dict):
            for k, v in value.items():
                if k in self.exact:
                    raise Leak(k)
                # (the header's own ``name`` is the program's)
                self.check(v, naming or (k in NAMING and not (top and k == "name")), False)
        elif isinstance(value, list):
            for v in value:
                self.check(v, naming, False)
        elif naming and isinstance(value, str):
            if value in self.exact or (self.words is not None and self.words.search(value)):
                raise Leak(value)


class JuryCodes:
    """The hub's rewriting of its anonymous programs' jury channels, and their epochs."""

    def __init__(self, programs: Callable[[], dict[str, ProgramState]]) -> None:
        self.programs = programs  # the board's, which a rebuild replaces
        self.shown: dict[str, tuple[int, bool]] = {}  # jury channel → (draws, decrypted) sent
        self.rewriters: dict[str, tuple[tuple[int, int], Rewriter]] = {}
        self._any: tuple[tuple[int, int], list[str]] | None = None

    def any(self) -> bool:
        """Whether any program is anonymous (the hot path skips the rest when none is)."""
        return bool(self._anonymous())

    def _anonymous(self) -> list[str]:
        """The anonymous programs' ids (kept until the board or its competition is replaced)."""
        programs = self.programs()
        first = next(iter(programs.values()), None)
        key = (id(programs), id(first.competition) if first is not None else 0)  # an amendment
        if self._any is None or self._any[0] != key:
            self._any = (key, [pid for pid, s in programs.items() if s.program.anonymous])
        return self._any[1]

    def anonymous(self, channel: str) -> ProgramState | None:
        pid = program_of(channel)
        state = self.programs().get(pid) if pid is not None else None
        return state if state is not None and state.program.anonymous else None

    def rewriter(self, channel: str, state: ProgramState) -> Rewriter:
        key = (id(state), state.draws)  # a new state (rebuild, amendment) or draw: new codes
        held = self.rewriters.get(channel)
        if held is None or held[0] != key or held[1].state is not state:
            held = self.rewriters[channel] = (key, Rewriter(state))
        return held[1]

    def rewrite(self, channel: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """``data`` as the channel may carry it; None when it may not be sent at all."""
        state = self.anonymous(channel)
        if state is None or not masked(state):
            return data
        try:
            return self.rewriter(channel, state).frame(data)
        except Leak as e:
            log("anonymity.jury_frame_withheld", channel=channel, found=str(e)[:40])
            return None

    def epochs(self) -> list[str]:
        """The anonymous jury channels whose codes changed since they were last sent."""
        out = []
        programs = self.programs()
        for pid in self._anonymous():
            state = programs[pid]
            channel = program_channel(pid, "jury")
            epoch = (state.draws, state.decrypted)
            # (0, False): nothing drawn; a restarted hub sends its subscribers one more snapshot
            if self.shown.get(channel, (0, False)) != epoch:
                self.shown[channel] = epoch
                out.append(channel)
        return out

    def frames(
        self, updates: list[Update], snapshot: Callable[[str], Encoded]
    ) -> Iterator[tuple[str, Encoded, bool]]:
        """What the hub publishes for ``updates``: (channel, frame, is a delta), the jury
        channels of anonymous programs rewritten, and a fresh snapshot where the codes changed."""
        renewed = self.epochs() if self.any() else []
        # a program shown in layers: a fresh snapshot once per batch instead of its deltas
        renewed += sorted({u.channel for u in updates if self.layered(u.channel)} - set(renewed))
        for channel in renewed:  # codes drawn anew or opened: a fresh snapshot instead of deltas
            yield channel, snapshot(channel), False
        for u in updates:
            delta: dict[str, Any] | None = u.delta
            if renewed or (u.channel.endswith(":jury") and self.any()):
                delta = None if u.channel in renewed else self.rewrite(u.channel, u.delta)
            if delta is not None:
                yield u.channel, delta_frame(u.channel, delta, keep=delta is u.delta), True

    def layered(self, channel: str) -> bool:
        """Whether ``channel`` is the masked jury channel of a program shown in layers."""
        if not channel.endswith(":jury") or not self.any():
            return False
        state = self.anonymous(channel)
        return state is not None and masked(state) and split(state.program)

    def snapshot(self, channel: str, version: int, data: dict[str, Any]) -> Encoded:
        """The channel's snapshot under codes (empty when it cannot be shown); never cached."""
        shown = self.rewrite(channel, data)
        body = {"version": version, "rows": []} if shown is None else shown
        frame = {"type": "snapshot", "channel": channel, "version": version, "data": body}
        return Encoded(frame, keep=False)  # rewritten: new entries each time, nothing to keep
