"""What the ledger says about each program's official results: the event that published them
(seq and hash) and whether results changed after it (corrected).

``RecordIndex.update`` reads the events after the last one it saw, so a hub can keep one and
ask again cheaply; ``scorecast export`` replays the whole ledger into a board with ``replay``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoreboard import (
    Competition,
    EventRefused,
    Scoreboard,
    ScoreboardError,
    event_from_dict,
)

from ..chain import GENESIS
from ..ledger import RECORD_KINDS, Ledger
from ..record import definition_of

# events that can change a result ("correct": a correction, after final only by a ruling)
RESULT_KINDS = ("mark", "withdraw", "status", "correct")


def publishes(body: dict[str, Any]) -> bool | None:
    """True: this event makes its program's results official; False: it takes that back;
    None: neither. Official is final (issue 14): the hub's ``final`` event at the end of 公示,
    or, in a ledger from before the lifecycle, the old publish (visibility ``published``)."""
    kind = body.get("kind")
    if kind == "final":
        return True
    if kind != "visibility":
        return None
    return body.get("visibility") == "published"


@dataclass
class Official:
    """The event that made a program's results official, and what changed after it."""

    seq: int
    hash: str | None = None
    corrected_at: list[int] = field(default_factory=list)  # later result events' seqs
    touched: dict[str, int] = field(default_factory=dict)  # competitor → last such seq

    @property
    def corrected(self) -> bool:
        return bool(self.corrected_at)


@dataclass
class RecordIndex:
    after: int = 0
    official: dict[str, Official] = field(default_factory=dict)  # program → its publication

    def note(self, seq: int, body: dict[str, Any]) -> None:
        pid = body.get("program")
        if not isinstance(pid, str):
            return
        made = publishes(body)
        if made is True:
            self.official[pid] = Official(seq)
        elif made is False:
            self.official.pop(pid, None)
        elif body.get("kind") in RESULT_KINDS and pid in self.official:
            off = self.official[pid]
            off.corrected_at.append(seq)
            cid = body.get("competitor")
            if isinstance(cid, str):
                off.touched[cid] = seq

    async def update(self, ledger: Ledger) -> RecordIndex:
        """Take the events appended since the last update; fill in the publications' hashes."""
        while batch := await ledger.read(self.after, 10000):
            for seq, _, body in batch:
                self.note(seq, body)
            self.after = batch[-1][0]
        for off in self.official.values():
            if off.hash is None:
                off.hash = await ledger.hash_at(off.seq)
        return self


@dataclass
class Replayed:
    """The record read back: the competition in force, its board, the index and the head."""

    data: dict[str, Any]
    competition: Competition
    board: Scoreboard
    index: RecordIndex
    head: tuple[int, str]


async def replay(ledger: Ledger, data: dict[str, Any], competition: Competition) -> Replayed:
    """Replay the ledger on the competition it records (``data``/``competition`` if none)."""
    index = RecordIndex()
    board: Scoreboard | None = None
    pending: list[dict[str, Any]] = []  # events before the first definition (before issue 13)
    while batch := await ledger.read(index.after, 10000):
        for seq, _, body in batch:
            if body.get("kind") in RECORD_KINDS:
                # each definition is in force from its seq on, as on the hubs (server/in_force.py)
                data, competition = definition_of(body, seq)
                if board is None:
                    board = _replayed(Scoreboard(competition), pending)
                else:
                    try:
                        board.amend(competition)
                    except (EventRefused, ScoreboardError):
                        pass  # as on the hubs: the events keep the competition they were on
            elif board is None:
                pending.append(body)
            else:
                _replayed(board, [body])
            index.note(seq, body)
        index.after = batch[-1][0]
    if board is None:
        board = _replayed(Scoreboard(competition), pending)
    await index.update(ledger)  # the hashes
    seq, head = await ledger.head()
    return Replayed(data, competition, board, index, (seq, head or GENESIS))


def _replayed(board: Scoreboard, events: list[dict[str, Any]]) -> Scoreboard:
    for body in events:
        try:
            board.apply(event_from_dict(body))
        except (EventRefused, ScoreboardError):
            pass  # refused by every hub too (a Redis ledger holds refused no-ops)
    return board
