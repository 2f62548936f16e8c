"""Restoring the board at start (issue 17): a stop is never held up, and a long replay is fast.

While the hub restores (a snapshot load, a replay of the ledger) SIGTERM takes its default action
and ends the process at once: nothing is written then, so nothing is lost, and a stop never waits
for a restore that can take seconds (``stoppable``).

A long replay (a start without a recent snapshot) absorbs the events into the board's state and
builds the views once at the end (``absorb``): no rows, deltas or overview per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any

from scoreboard import EventRefused, event_from_dict

from .in_force import put_in_force
from .ledger import RECORD_KINDS, EventOrder
from .logs import log


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """While the hub restores, SIGTERM ends the process at once (nothing is written then): a
    snapshot load or a replay must not make a stop wait (issue 17: a hub ends within 2 s)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# A restore with at least this many events to replay absorbs them (``Scoreboard.absorb``: state
# only, one settle at the end) instead of applying each with its rows and deltas; the last
# ``TAIL`` are applied one by one all the same, so the ticker shows the latest results as they
# came. Local order only (one hub): there the views' versions are this hub's alone. With several
# hubs (Redis) every hub must give a channel the same versions, so each applies one by one.
FAST_FROM = 2000
TAIL = 300


async def absorb(hub: Any, head: int) -> int:
    """Absorb the ledger's events after ``hub.applied`` up to ``head - TAIL`` and settle the board
    with versions from ``head`` (the ledger's last seq: past any version a viewer may hold)."""
    until = head - TAIL
    if hub.ledger.order is not EventOrder.LOCAL or until - hub.applied < FAST_FROM:
        return 0
    board = hub.board
    n = 0
    while hub.applied < until:
        batch = await hub.ledger.read(hub.applied, min(20000, until - hub.applied))
        if not batch:
            break
        for seq, key, body in batch:
            if body.get("kind") in RECORD_KINDS:
                put_in_force(hub, body, seq)  # settles what was absorbed, then amends
            else:
                try:
                    board.absorb(event_from_dict(body))
                except EventRefused as e:  # as ``Hub.apply_logged``: every hub refuses it alike
                    log("hub.ledger_event_refused", seq=seq, code=e.code, message=e.message)
                    hub.refused[key] = e
        n += len(batch)
        hub.applied = batch[-1][0]
        await asyncio.sleep(0)
    board.settle(head)
    return n
