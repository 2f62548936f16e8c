"""The competition in force on a running hub, and amending it there (issue 13).

The ledger's definition and amendment events (``RECORD_KINDS``) say which competition is in
force from their seq on. A hub applies them in ledger order like any other event
(``put_in_force``): a replay therefore checks and scores every event on the competition that was
in force when it was accepted, and a running hub that is amended moves to the new competition
at the amendment's seq, its viewers getting ordinary deltas.

``amend_running`` records an amendment on a running hub in local order (one hub, SQLite): it
holds the judges' submissions, lets what was applied commit, refuses an amendment that would
move a result of a program under review, in 公示 or final (``scoreboard.lifecycle.amended``:
those change only on the lifecycle's record), puts the new competition on the board (which
refuses it, changing nothing, when an accepted event would not be valid under it), then
appends the amendment; a failed append rebuilds the board from the ledger. Global order
(several hubs on Redis) refuses a live amendment: stop the hubs and use ``scorecast amend``.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Protocol

from scoreboard import (
    Competition,
    CompetitionFileError,
    EventRefused,
    Scoreboard,
    Update,
    load_competition,
)
from scoreboard.changes import Change, diff, invalidated
from scoreboard.lifecycle.amended import moved, refusal

from . import record
from .errors import AmendmentRefused, LedgerUnavailable
from .ledger import EventOrder, Ledger
from .local_order import LocalOrder
from .logs import log
from .ordering import Ordering
from .snapshots import competition_tag


class Hub(Protocol):
    """What putting a competition in force uses of the hub (``server/hub.py``)."""

    competition: Competition
    data: dict[str, Any]
    fingerprint: str
    tag: str
    board: Scoreboard
    ledger: Ledger
    order: Ordering
    history: int

    async def rebuild(self) -> None: ...
    def record(self, key: str, seq: int) -> None: ...
    def fan_out(self, updates: list[Update]) -> None: ...


def put_in_force(hub: Hub, body: dict[str, Any], seq: int) -> list[Update]:
    """Apply a definition or amendment event at ``seq``; the updates it causes."""
    if body.get("fingerprint") == hub.fingerprint:
        return []  # already in force (the first definition of a hub started on it)
    data, competition = record.definition_of(body, seq)
    try:
        updates = hub.board.amend(competition)
    except EventRefused as e:
        # only a ledger amended outside the rules (an edited store): keep the competition the
        # events were accepted on, and say so
        log("hub.amendment_refused", logging.ERROR, seq=seq, code=e.code, message=e.message)
        return []
    _take(hub, data, competition)
    log("hub.amended", seq=seq, kind=body.get("kind"), fingerprint=hub.fingerprint[:16])
    return updates


async def start_board(hub: Hub) -> None:
    """A fresh board on the competition in force at the ledger's start: its first definition (a
    replay then moves through the amendments at their seqs, as the running hubs did)."""
    records = await hub.ledger.records()
    if records and records[0][2].get("fingerprint") != hub.fingerprint:
        seq, _, body = records[0]
        _take(hub, *record.definition_of(body, seq))
    hub.board = Scoreboard(hub.competition, hub.history)


def _take(hub: Hub, data: dict[str, Any], competition: Competition) -> None:
    hub.competition = competition
    hub.data = data
    hub.fingerprint = record.fingerprint(data)
    hub.tag = competition_tag(data)  # snapshots from now on are of this competition


def refuse_moving_results(programs: Any, competition: Competition) -> None:
    """``AmendmentRefused`` (``program_in_review``, ``results_published``) when putting
    ``competition`` in force would move a result of a program past marking."""
    try:
        found = moved(programs, competition)
    except EventRefused:
        return  # it invalidates accepted events: refused for that, with their seqs
    if found:
        code, message = refusal(found)
        raise AmendmentRefused(message, code)


def parse(document: Any) -> tuple[dict[str, Any], Competition]:
    """A competition document sent to the hub, loaded; ``AmendmentRefused`` names what is wrong."""
    if not isinstance(document, dict):
        raise AmendmentRefused("the competition must be a JSON object, as the file's document")
    try:
        data = json.loads(json.dumps(document))
        return data, load_competition(data)
    except (CompetitionFileError, TypeError, ValueError) as e:
        raise AmendmentRefused(f"the amended competition does not load: {e}") from None


async def amend_running(
    hub: Hub,
    data: dict[str, Any],
    competition: Competition,
    reason: str,
    author: str,
    summary: str = "",
) -> tuple[int, list[Change]]:
    """Record ``data`` as an amendment on this running hub; its seq and what it changes."""
    if hub.ledger.order is EventOrder.GLOBAL:
        raise AmendmentRefused(
            "a hub on a shared (Redis) ledger cannot be amended while it runs: stop every hub, "
            "then scorecast amend --store URL --competition FILE --reason TEXT"
        )
    if not reason.strip():
        raise AmendmentRefused("an amendment needs a reason (it is kept on the record)")
    changes = diff(hub.competition, competition)
    if not changes:
        raise AmendmentRefused("the document defines the competition in force already")
    order = hub.order
    assert isinstance(order, LocalOrder)  # global order refused above
    async with order.exclusive():
        old = (hub.competition, hub.data, hub.fingerprint, hub.tag)
        refuse_moving_results(hub.board.programs, competition)
        try:
            updates = hub.board.amend(competition)
        except EventRefused:
            lost = invalidated(hub.competition, competition, await record.board_events(hub.ledger))
            raise AmendmentRefused(
                "the amendment was not recorded: it would invalidate accepted events; withdraw "
                "or correct them on the record first.\n" + record.report(changes, lost)
            ) from None
        key, event = record.definition_event(data, "amendment", author, reason, summary)
        try:
            [(seq, _)] = await hub.ledger.append([(key, event)])
        except Exception as e:  # the disk or the server failed: the amendment is not recorded
            hub.competition, hub.data, hub.fingerprint, hub.tag = old
            log("hub.amendment_append_failed", logging.ERROR, error=repr(e))
            await hub.rebuild()  # the board holds an amendment the ledger does not
            raise LedgerUnavailable(
                f"the amendment could not be written ({e}); nothing changed, retry"
            ) from e
        _take(hub, data, competition)
        hub.record(key, seq)
    hub.fan_out(updates)
    log("hub.amended", seq=seq, author=author, changes=len(changes), reason=reason)
    return seq, changes
