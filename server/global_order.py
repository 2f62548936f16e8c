"""Submitting when the ledger assigns the order (Redis): append first, apply in ledger order.

Several hubs append to one ledger at once, so no hub may apply its own
event before it knows the event's place in the order:

    judge frame ─▶ check against the local board ─▶ queue ─▶ ledger.append (one batch, atomic:
                                                              dedupe, seq, store, publish)
                                                                  │ seqs
       apply at its seq: at once when it is the next one, ◀───────┤
       else when the broker (or a catch-up) brings the ones before│
       ack with the seq once this hub has applied it ◀────────────┘

An ack still means durable (Redis replied after the append), and it comes
after this hub applied the event, so the same hub's API reads its own
writes. The check is made against the local board (caught up from the
ledger first while the broker is resubscribing); it can still be a broker
hop behind the order: an event another hub appended first may make ours invalid (a lock, a
sign-off). Then every hub refuses it alike when applying it in order, the
ledger keeps it as a no-op, and the judge gets the refusal instead of the
ack (and again on a resend, from ``Hub.refused``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

from scoreboard import EntryMade, Event, EventRefused, StateConflict, event_to_dict
from scoreboard.program.entries import reused

from .errors import LedgerUnavailable
from .logs import log
from .ordering import OrderHost

T = TypeVar("T")

RECHECK_SECONDS = 1.0  # a ledger behind this hub is looked at twice, this far apart
# seconds to wait for the broker to bring an appended event before reading the ledger
BROKER_GRACE = 0.25
MAX_BATCH = 1000
RELOADED = 1012  # WebSocket close code "service restart": the viewer reconnects and gets a snapshot


@dataclass
class Submitted:
    key: str
    event: Event
    body: dict[str, Any]
    future: asyncio.Future[tuple[int, bool]]


class GlobalOrder:
    def __init__(self, hub: OrderHost) -> None:
        self.hub = hub
        self.append_error: str | None = None  # not kept: every hub sees Redis's state in /healthz
        self.pending: list[Submitted] = []
        self.inflight: dict[str, asyncio.Future[tuple[int, bool]]] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._append_loop(), name="ledger-appender")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass

    async def submit(self, key: str, event: Event) -> tuple[int, bool]:
        hub = self.hub
        seq = hub.keys.get(key)
        if seq is not None:
            return await self.confirmed(key, seq), True
        inflight = self.inflight.get(key)
        if inflight is not None:
            first, _ = await asyncio.shield(inflight)
            return first, True
        if not hub.broker.status().get("connected", True):
            # The subscription is being re-established: the board may be behind; read the ledger first.
            await self._ledger_call(hub.catch_up())
        try:
            hub.board.check(event)
        except EventRefused:
            # It may be a resend of a mark acknowledged through another hub, not yet seen here.
            seq = await self._ledger_call(hub.ledger.seq_of(key))
            if seq is None:
                raise
            seq = await self.confirmed(key, seq)
            clash = self.reuse(event)
            if clash is not None:
                raise clash from None
            return seq, True
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        self.pending.append(Submitted(key, event, event_to_dict(event), future))
        self._wake.set()
        return await asyncio.shield(future)

    async def resync(self) -> None:
        """After the broker (re)subscribed: read what it missed; rebuild if the ledger lost events."""
        await self.hub.catch_up()
        last = await self.hub.ledger.last_seq()
        if last < self.hub.applied:
            # A Redis that has just come back may still be loading its AOF: look again before
            # concluding it lost events (a reload closes every viewer of this hub).
            await asyncio.sleep(RECHECK_SECONDS)
            last = await self.hub.ledger.last_seq()
        if last < self.hub.applied:
            await self.reload(f"the ledger ends at {last} but this hub applied {self.hub.applied}")

    async def reload(self, why: str) -> None:
        """The ledger lost events this hub applied (Redis restarted without them): the ledger is
        the truth, so rebuild from it and close every viewer, which resubscribes to a fresh snapshot."""
        hub = self.hub
        log("hub.ledger_regressed", why=why, applied=hub.applied)
        hub.metrics.inc("scorecast_ledger_reloads_total")
        await hub.rebuild()
        closed = hub.close_viewers(RELOADED, "the ledger was restored: resubscribe")
        log("hub.reloaded", seq=hub.applied, viewers_closed=closed)

    async def _ledger_call(self, coro: Awaitable[T]) -> T:
        try:
            return await coro
        except Exception as e:
            raise LedgerUnavailable(f"the ledger cannot be read ({e}); retry") from e

    async def confirmed(self, key: str, seq: int) -> int:
        """A resend of a stored event: ``settled``, and (``?wait=``) on the replicas before its
        ack, since its first append may have been refused for want of them."""
        seq = await self.settled(key, seq)
        await self.hub.ledger.confirm()
        return seq

    async def settled(self, key: str, seq: int) -> int:
        """Return ``seq`` once this hub has applied it (raise its refusal if it was refused)."""
        hub = self.hub
        if hub.applied < seq and not await hub.wait_applied(seq, BROKER_GRACE):
            await self._ledger_call(hub.catch_up())
            if hub.applied < seq:
                raise LedgerUnavailable(
                    f"event {seq} is in the ledger but could not be read yet; retry"
                )
        refusal = hub.refused.get(key)
        if refusal is not None:
            raise refusal
        return seq

    async def _append_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.pending:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                try:
                    await self._append(batch)
                except Exception as e:  # e.g. Redis went away during a reload: nobody is acked
                    log("hub.append_failed", error=repr(e), events=len(batch))
                    self._fail(batch, e)
            await self.hub.snapshot_if_due()

    async def _append(self, batch: list[Submitted]) -> None:
        hub = self.hub
        try:
            results = await hub.ledger.append([(s.key, s.body) for s in batch])
        except Exception as e:  # Redis is down or timed out; a resend is safe (idempotent)
            log("ledger.append_failed", error=repr(e), events=len(batch))
            self._fail(batch, e)
            return
        # The script publishes as it appends, so this hub may have applied its own event from the
        # broker before the reply came back: only a seq applied here for another event means the
        # ledger lost what this hub had applied.
        if any(
            created and seq <= hub.applied and hub.keys.get(s.key) != seq
            for s, (seq, created) in zip(batch, results, strict=True)
        ):
            await self.reload("the ledger gave out a seq this hub had applied already")
        for s, (seq, created) in zip(batch, results, strict=True):
            if (
                created and seq == hub.applied + 1
            ):  # next in the order: apply without waiting for the broker
                started = time.perf_counter()
                hub.apply_logged(seq, s.body, fan_out=True, key=s.key)
                hub.metrics.observe(time.perf_counter() - started)
        await hub.seal()  # the links of what this hub applied, stored before it acks (one trip)
        for s, (seq, created) in zip(batch, results, strict=True):
            if hub.applied >= seq:
                self._finish(s, seq, created)
            else:
                asyncio.get_running_loop().create_task(self._finish_later(s, seq, created))

    def _fail(self, batch: list[Submitted], e: Exception) -> None:
        for s in batch:
            self.inflight.pop(s.key, None)
            if not s.future.done():
                s.future.set_exception(
                    LedgerUnavailable(f"the ledger could not be written ({e}); retry")
                )

    def _finish(self, s: Submitted, seq: int, created: bool) -> None:
        self.inflight.pop(s.key, None)
        if s.future.done():
            return
        refusal = self.hub.refused.get(s.key)
        clash = None if created else self.reuse(s.event)
        if refusal is not None:
            s.future.set_exception(refusal)
        elif clash is not None:
            s.future.set_exception(clash)
        else:
            s.future.set_result((seq, not created))

    def reuse(self, event: Event) -> StateConflict | None:
        """Of an entry the ledger held already under its key (its author's id), the refusal if
        what it holds is another entry or frame (``id_reused``): two hubs checked the id
        before either had seen the other's, and one was about to be acked duplicate."""
        state = self.hub.board.programs.get(getattr(event, "program", ""))
        if not isinstance(event, EntryMade) or state is None:
            return None
        try:
            reused(state, event, taken=True)
        except StateConflict as e:
            return e
        return None

    async def _finish_later(self, s: Submitted, seq: int, created: bool) -> None:
        try:
            await self.settled(s.key, seq)
            await self.hub.seal()
        except EventRefused:
            pass  # _finish raises it to the judge
        except LedgerUnavailable as e:
            self.inflight.pop(s.key, None)
            if not s.future.done():
                s.future.set_exception(e)
            return
        self._finish(s, seq, created)
