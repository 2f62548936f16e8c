"""Check and read the record: ``scorecast verify`` and ``scorecast export-ledger`` (issue 13).

``verify`` recomputes the hash chain (server/chain.py) from the stored bytes of every event and
replays the board events, each on the competition in force at its seq (amendments take effect
where they were recorded, as on the hubs): it names the first broken link (an event
edited, removed or reordered, or a stored link edited) or the first event the replay refuses,
by seq. A draw's recorded ``head_hash`` (its seed) must be the chain's link at its ``head_seq``.
In a Redis ledger the hubs store the links; a missing one is *unsealed*, not broken.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from scoreboard import EventRefused, Scoreboard, ScoreboardError, event_from_dict

from .chain import GENESIS, legacy_link, link
from .ledger import RECORD_KINDS, EventOrder, Ledger
from .record import decode, definition_of


@dataclass
class Verdict:
    events: int = 0
    head: tuple[int, str] = (0, GENESIS)
    broken: tuple[int, str] | None = None  # the first seq whose link or replay is wrong, and why
    unsealed: list[int] = field(default_factory=list)  # seqs with no stored link (Redis)
    legacy: int = 0  # links in format 1 (canonical JSON; server/chain.py), from an older hub
    refused: list[tuple[int, str]] = field(
        default_factory=list
    )  # refused on replay (Redis: no-ops)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken is None

    def lines(self) -> list[str]:
        out = [f"{self.events} events, head seq {self.head[0]} hash {self.head[1]}"]
        if self.broken is not None:
            out.append(f"BROKEN at seq {self.broken[0]}: {self.broken[1]}")
        if self.unsealed:
            first, last = self.unsealed[0], self.unsealed[-1]
            out.append(
                f"unsealed: {len(self.unsealed)} link(s) not stored yet (seq {first}..{last}); "
                "a running hub stores them as it catches up"
            )
        if self.legacy:
            out.append(
                f"{self.legacy} link(s) in chain format 1 (hashed canonical JSON, before the "
                "stored-bytes chain): checked in that format"
            )
        if self.refused:
            out.append(f"{len(self.refused)} event(s) refused when applied in order (no-ops)")
        out += self.notes
        if self.ok:
            out.append("the record verifies: every link and the replay match")
        return out


async def chain(ledger: Ledger) -> AsyncIterator[tuple[int, str, bytes, str | None]]:
    after = 0
    while batch := await ledger.read_chain(after, 10000):
        for row in batch:
            yield row
        after = batch[-1][0]


async def verify(ledger: Ledger) -> Verdict:
    v = Verdict()
    prev, expected = GENESIS, 1
    board: Scoreboard | None = None
    board_events: list[tuple[int, Any]] = []
    links = [GENESIS]  # links[n] is the hash link at seq n (0: genesis), for the draws' heads
    for seq, key, raw, stored in [row async for row in chain(ledger)]:
        v.events += 1
        if seq != expected:
            v.broken = (seq, f"expected seq {expected} here: event(s) removed or reordered")
            return v
        expected += 1
        try:
            event = decode(raw)
        except Exception as e:  # noqa: BLE001 — any undecodable bytes are a broken record
            v.broken = (seq, f"the stored event cannot be read ({type(e).__name__}): edited")
            return v
        computed = link(prev, seq, key, raw)
        if (
            stored is not None
            and stored != computed
            and stored == legacy_link(prev, seq, key, event)
        ):
            computed = stored  # written by a hub before the stored-bytes chain
            v.legacy += 1
        if stored is None:
            v.unsealed.append(seq)
        elif v.unsealed and not v.notes:
            v.notes.append("some links are missing before stored ones (a hub failed to store them)")
        if stored is not None and stored != computed:
            v.broken = (seq, "its hash does not match its bytes and the previous hash: edited")
            return v
        prev = computed
        v.head = (seq, computed)
        links.append(computed)
        if event.get("kind") == "draw" and (why := _draw_head(event, seq, links)):
            v.broken = (seq, why)
            return v
        if event.get("kind") in RECORD_KINDS:
            _, competition = definition_of(event, seq)
            if board is None:  # events before it (a ledger from before issue 13) replay on it
                board = Scoreboard(competition)
                if not _replay(v, board, board_events, ledger.order):
                    return v
            elif not _amend(v, board, competition, seq):
                return v
        elif board is None:
            board_events.append((seq, event))
        elif not _replay(v, board, [(seq, event)], ledger.order):
            return v
    if board is None and v.events:
        v.notes.append("no competition is recorded in this ledger (before issue 13)")
    return v


def _draw_head(event: dict[str, Any], seq: int, links: list[str]) -> str | None:
    """Why a draw's recorded head is not the chain's link at its head_seq (None: it is)."""
    at, recorded = event.get("head_seq"), event.get("head_hash")
    if not isinstance(at, int) or isinstance(at, bool) or not 0 <= at < seq:
        return f"the draw names head seq {at!r}, not an earlier position of the chain"
    if recorded != links[at]:
        return f"the draw's head_hash is not the chain's link at seq {at}: its seed was changed"
    return None


def _amend(v: Verdict, board: Scoreboard, competition: Any, seq: int) -> bool:
    """Put an amendment in force at its seq, as the hubs did; False when it breaks the record."""
    try:
        board.amend(competition)
    except (EventRefused, ScoreboardError) as e:
        v.broken = (seq, f"the amendment invalidates accepted events ({e.code}: {e.message})")
        return False
    return True


def _replay(
    v: Verdict, board: Scoreboard, events: list[tuple[int, Any]], order: EventOrder
) -> bool:
    for seq, body in events:
        try:
            board.apply(event_from_dict(body))
        except (EventRefused, ScoreboardError) as e:
            if order is EventOrder.LOCAL:  # a local ledger holds only accepted events
                v.broken = (seq, f"the replay refuses it ({e.code}: {e.message})")
                return False
            v.refused.append((seq, e.code))
    return True


def _time(ts: Any) -> str | None:
    if not isinstance(ts, int):
        return None
    return datetime.datetime.fromtimestamp(ts / 1000, datetime.UTC).isoformat(
        timespec="milliseconds"
    )


def export_line(seq: int, key: str, event: dict[str, Any], stored: str | None) -> dict[str, Any]:
    kind = event.get("kind", "")
    author = event.get("author") or event.get("judge") or key.split(":", 1)[0]
    fields = {k: v for k, v in event.items() if k not in ("kind", "ts")}
    return {
        "seq": seq,
        "time": _time(event.get("ts")),
        "author": author if kind not in RECORD_KINDS or event.get("author") else "",
        "kind": kind,
        "fields": fields,
        "hash": stored,
    }


def export_body(line: dict[str, Any], key: str, raw: bytes) -> dict[str, Any]:
    """The line with what its hash covers besides the seq (server/chain.py): the event's
    idempotency key and its stored bytes (base64)."""
    return {**line, "key": key, "body": base64.b64encode(raw).decode()}


async def export(ledger: Ledger, write: Callable[[str], Any]) -> tuple[int, str | None]:
    """Write every event as a JSON line; the head (seq, hash)."""
    head: tuple[int, str | None] = (0, GENESIS)
    async for seq, key, raw, stored in chain(ledger):
        try:
            event = decode(raw)
        except Exception:  # noqa: BLE001 — exported as it is; verify names it
            event = {"kind": "unreadable", "bytes": raw.hex()}
        line = export_body(export_line(seq, key, event, stored), key, raw)
        write(json.dumps(line, ensure_ascii=False) + "\n")
        head = (seq, stored)
    return head
