"""The competition on the record (issue 13): its definition and amendments as ledger events.

The ledger's first event is the competition definition (``kind: competition``): the loaded
document as canonical JSON and its SHA-256 fingerprint. Each later change is an
``amendment`` event with its author, time and reason and the whole new definition. The
competition in force is the last of them, so a replay rebuilds it exactly. A hub starts only
on a file whose definition is the one in force (``bind``); ``scorecast amend`` records a new one
unless it would invalidate accepted events (``amend``). Neither ever drops an event.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from typing import Any

import msgpack

from scoreboard import (
    Competition,
    CompetitionFileError,
    Event,
    ScoreboardError,
    event_from_dict,
    load_competition,
)
from scoreboard.changes import Change, Invalidated, diff, invalidated
from scoreboard.lifecycle.amended import moved_on_record, refusal

from .errors import AmendmentRefused, CompetitionDiffers, LedgerCorrupt, LedgerUnavailable
from .ledger import RECORD_KINDS, Ledger
from .logs import log

DEFINITION_KEY = "record:definition"
LIST_AT_MOST = 50  # changes and invalidated events printed; the rest are counted


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def fingerprint(data: Any) -> str:
    return hashlib.sha256(canonical(data).encode()).hexdigest()


def definition_event(
    data: dict[str, Any],
    kind: str = "competition",
    author: str = "",
    reason: str = "",
    summary: str = "",
) -> tuple[str, dict[str, Any]]:
    """(key, event) recording ``data`` as the competition in force from now on."""
    print_ = fingerprint(data)
    ts = int(time.time() * 1000)
    event: dict[str, Any] = {
        "kind": kind,
        "definition": canonical(data),
        "fingerprint": print_,
        "ts": ts,
    }
    if kind == "competition":
        return DEFINITION_KEY, event
    event.update(author=author, reason=reason)
    if summary:  # what a small runtime amendment did, in one line (``server/amend_ops.py``)
        event["summary"] = summary
    return f"record:amendment:{print_[:16]}:{ts}", event


def definition_of(event: dict[str, Any], seq: int) -> tuple[dict[str, Any], Competition]:
    try:
        data = json.loads(event["definition"])
        return data, load_competition(data)
    except (KeyError, TypeError, ValueError, CompetitionFileError) as e:
        raise LedgerCorrupt(f"the competition recorded at seq {seq} cannot be read: {e}") from None


async def in_force(ledger: Ledger) -> tuple[int, dict[str, Any], Competition] | None:
    """The seq, data and competition of the last definition or amendment, if any."""
    records = await ledger.records()
    if not records:
        return None
    seq, _, event = records[-1]
    return (seq, *definition_of(event, seq))


async def board_events(ledger: Ledger) -> list[tuple[int, Event]]:
    """Every event the board applies (marks, locks, …), in ledger order."""
    out: list[tuple[int, Event]] = []
    after = 0
    while batch := await ledger.read(after, 20000):
        for seq, _, body in batch:
            if body.get("kind") not in RECORD_KINDS:
                try:
                    out.append((seq, event_from_dict(body)))
                except ScoreboardError:
                    pass  # never applied by any hub either
        after = batch[-1][0]
    return out


def report(changes: list[Change], lost: list[Invalidated]) -> str:
    lines = [f"what differs ({len(changes)}):"]
    lines += [f"  {c}" for c in changes[:LIST_AT_MOST]]
    if len(changes) > LIST_AT_MOST:
        lines.append(f"  … and {len(changes) - LIST_AT_MOST} more")
    if lost:
        lines.append(f"recorded events it would invalidate ({len(lost)}):")
        lines += [f"  {i}" for i in lost[:LIST_AT_MOST]]
        if len(lost) > LIST_AT_MOST:
            lines.append(f"  … and {len(lost) - LIST_AT_MOST} more")
    else:
        lines.append("recorded events it would invalidate: none")
    return "\n".join(lines)


async def bind(
    ledger: Ledger, data: dict[str, Any], competition: Competition
) -> tuple[dict[str, Any], Competition]:
    """The competition a hub starts on: the ledger's, which the file must equal.

    A new ledger records the file as its first event. A ledger from before issue 13 (events but
    no definition) gets the file's definition at its next seq (logged). A file that differs
    raises ``CompetitionDiffers`` with what differs and what it would invalidate.
    """
    held = await in_force(ledger)
    if held is None:
        last = await ledger.last_seq()
        key, event = definition_event(data)
        try:
            [(seq, _)] = await ledger.append([(key, event)])
        except LedgerUnavailable as e:
            # e.g. Redis with wait=N and too few replicas: the primary may hold it unconfirmed; the
            # append is idempotent, so the next start records it or finds it
            log("ledger.definition_unconfirmed", logging.WARNING, error=e.message)
            return data, competition
        if last:
            log(
                "ledger.definition_recorded",
                seq=seq,
                reason="a ledger from before the competition was recorded: the file is taken "
                "as its definition from here on",
            )
        return data, competition
    seq, held_data, held_competition = held
    if fingerprint(held_data) == fingerprint(data):
        return held_data, held_competition
    changes = diff(held_competition, competition)
    if not changes:
        log("ledger.definition_same", seq=seq, reason="the file differs in form only")
        return held_data, held_competition
    lost = invalidated(held_competition, competition, await board_events(ledger))
    raise CompetitionDiffers(
        f"the competition file differs from the competition recorded in the ledger (seq {seq}); "
        "the hub did not start.\n"
        + report(changes, lost)
        + "\nhint: start with the recorded file, or record the change first with "
        "scorecast amend --competition FILE --reason TEXT (docs/operations.md)"
    )


async def amend(
    ledger: Ledger, data: dict[str, Any], competition: Competition, reason: str, author: str
) -> tuple[int, list[Change]]:
    """Record ``data`` as an amendment; ``AmendmentRefused`` lists the events it would invalidate."""
    held = await in_force(ledger)
    if held is None:
        raise AmendmentRefused(
            "this store holds no competition yet: start the hub on the file first (scorecast serve)"
        )
    _, _, held_competition = held
    changes = diff(held_competition, competition)
    if not changes:
        raise AmendmentRefused(
            "the file defines the competition in force already: nothing to amend"
        )
    events = await board_events(ledger)
    lost = invalidated(held_competition, competition, events)
    if not lost:
        found = moved_on_record(held_competition, events, competition)
        if found:
            code, message = refusal(found)
            raise AmendmentRefused(message, code)
    if lost:
        raise AmendmentRefused(
            "the amendment was not recorded: it would invalidate accepted events; withdraw or "
            "correct them on the record first.\n" + report(changes, lost)
        )
    key, event = definition_event(data, "amendment", author, reason)
    [(seq, _)] = await ledger.append([(key, event)])
    return seq, changes


def decode(raw: bytes) -> dict[str, Any]:
    event = msgpack.unpackb(raw)
    if not isinstance(event, dict):
        raise ValueError("not an event")
    return event
