"""Local order (one hub, SQLite): apply in memory in check order, commit in batches in that order.

    judge frame ─▶ check against the scoreboard ─▶ apply in memory ─▶ commit batch (fsync)
                                                                        │
                       ack ◀────────────────────────────────────────────┤
                       fan-out of the updates to local viewers ◀────────┤
                       publish (seq, event) to the broker for other hubs┘

One committer task commits what was applied in batches (group commit), so an
ack always means durable and the ledger order is the apply order. Nothing
reaches a viewer before it is committed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass

import msgpack

from scoreboard import Event, Update, event_to_dict

from .errors import LedgerUnavailable
from .logs import log
from .ordering import OrderHost


@dataclass
class Pending:
    key: str
    event: Event
    updates: list[Update]
    future: asyncio.Future[tuple[int, bool]]


class LocalOrder:
    def __init__(self, hub: OrderHost) -> None:
        self.hub = hub
        self.pending: list[Pending] = []
        self.inflight: dict[str, asyncio.Future[tuple[int, bool]]] = {}
        self.append_error: str | None = None
        self._wake = asyncio.Event()
        self._ready = asyncio.Event()  # cleared while the board is rebuilt after a failed commit
        self._ready.set()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._commit_loop(), name="ledger-committer")

    async def stop(self) -> None:
        if self._task is None:
            return
        # Commit what was applied in memory before stopping: a snapshot must never hold an
        # event the ledger does not.
        while self.pending:
            batch, self.pending = self.pending, []
            await self._commit(batch)
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass

    @contextlib.asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold new submissions and wait until everything applied is committed (or failed): the
        board and the ledger agree, and stay so until the block ends (an amendment)."""
        while not self._ready.is_set():
            await self._ready.wait()
        self._ready.clear()
        try:
            while self.inflight:
                await asyncio.gather(
                    *(asyncio.shield(f) for f in list(self.inflight.values())),
                    return_exceptions=True,
                )
            yield
        finally:
            self._ready.set()

    async def resync(self) -> None:
        await self.hub.catch_up()

    async def submit(self, key: str, event: Event) -> tuple[int, bool]:
        while not self._ready.is_set():  # never check against a half-rebuilt board
            await self._ready.wait()
        seq = self.hub.keys.get(key)
        if seq is not None:
            return seq, True
        inflight = self.inflight.get(key)
        if inflight is not None:
            return (await asyncio.shield(inflight))[0], True
        updates = self.hub.board.apply(event)  # raises EventRefused and changes nothing
        future: asyncio.Future[tuple[int, bool]] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        self.pending.append(Pending(key, event, updates, future))
        self._wake.set()
        return await asyncio.shield(future)

    async def _commit_loop(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            while self.pending:
                batch, self.pending = self.pending, []
                await self._commit(batch)
            await self.hub.snapshot_if_due()

    async def _commit(self, batch: list[Pending]) -> None:
        hub = self.hub
        bodies = [event_to_dict(p.event) for p in batch]  # once: for the ledger and the broker
        try:
            results = await hub.ledger.append(
                [(p.key, b) for p, b in zip(batch, bodies, strict=True)]
            )
        except Exception as e:  # the disk or the server failed: nothing in the batch is durable
            self.append_error = f"{type(e).__name__}: {e}"
            log("ledger.append_failed", logging.ERROR, error=self.append_error, events=len(batch))
            # Everything checked after this batch was applied on top of it: none of it is
            # durable either. Fail it all, then rebuild with submit() held (no half-built board).
            await self._fail_and_rebuild(batch, f"the ledger could not be written ({e}); retry")
            return
        self.append_error = None
        replayed = False
        for p, (seq, created) in zip(batch, results, strict=True):
            hub.record(p.key, seq)
            self.inflight.pop(p.key, None)
            if not created:
                replayed = True  # the ledger already held it: applied twice in memory
            if not p.future.done():
                p.future.set_result((seq, not created))
        if replayed:
            log("hub.duplicate_in_batch", logging.WARNING, events=len(batch))
            await self._fail_and_rebuild([], "the hub resynchronised; retry")
            return
        # Acks first: the judges' tasks wake (and send their acks) before the fan-out's
        # writes, which run when this loop turn ends (Fanout.publish).
        for p in batch:
            hub.fan_out(p.updates)
        hub.metrics.set("scorecast_ledger_seq", hub.applied)
        payload = msgpack.packb([[seq, b] for b, (seq, _) in zip(bodies, results, strict=True)])
        try:
            await hub.broker.publish(payload)
        except Exception as e:  # other hubs catch up from the ledger when they see the gap
            log("broker.publish_failed", error=repr(e))

    async def _fail_and_rebuild(self, batch: list[Pending], why: str) -> None:
        failed = batch + self.pending
        self.pending = []
        self._ready.clear()
        try:
            for p in failed:
                self.inflight.pop(p.key, None)
                if not p.future.done():
                    p.future.set_exception(LedgerUnavailable(why))
            await self.hub.rebuild()
        finally:
            self._ready.set()
