"""The hub's core loop: check, append to the ledger, acknowledge, apply, fan out.

Two ways to order events, chosen by the ledger:

**Local order** (SQLite, one hub)::

    judge frame ─▶ check against the scoreboard ─▶ apply in memory ─▶ commit batch (fsync)
                                                                        │
                       ack ◀────────────────────────────────────────────┤
                       fan-out of the updates to local viewers ◀────────┤
                       publish (seq, event) to the broker for other hubs┘

Events are applied in memory in the order they are checked, and committed
in that same order by one committer task in batches (group commit), so an
ack always means durable and the ledger order is the apply order. Nothing
reaches a viewer before it is committed.

**Global order** (Redis, several hubs; ``ledger.global_order``): the ledger
assigns each event its ``seq`` in one atomic append that also publishes it,
and every hub applies events strictly in ``seq`` order — its own as soon as
they are next, the others' from the broker — see ``server/global_order.py``.

In both, ``catch_up`` reads the ledger after the last ``seq`` applied: at
start, when the broker shows a gap, and after the broker resubscribes.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import pickle
import time
from dataclasses import dataclass
from typing import Any

import msgpack

import scoreboard as sb
from scoreboard import (
    Competition,
    Event,
    EventRefused,
    Scoreboard,
    Update,
    event_from_dict,
    event_to_dict,
)

from . import __version__
from .broker import Broker
from .fanout import Encoded, Fanout
from .global_order import GlobalOrder
from .ledger import Ledger, LedgerUnavailable
from .logs import log
from .metrics import Metrics

CATCH_UP_DELTAS = (
    8  # events read at once up to which a catch-up sends viewers deltas, not snapshots
)


@dataclass
class Pending:
    key: str
    event: Event
    updates: list[Update]
    future: asyncio.Future[tuple[int, bool]]


def now_ms() -> int:
    return int(time.time() * 1000)


def competition_tag(data: Any) -> str:
    """Snapshots are valid only for the same competition file and the same code."""
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
    return f"{__version__}:{hashlib.sha256(raw).hexdigest()[:16]}"


class Hub:
    def __init__(
        self,
        competition: Competition,
        tag: str,
        ledger: Ledger,
        broker: Broker,
        history: int = 512,
        snapshot_every: int = 50000,
        metrics: Metrics | None = None,
    ) -> None:
        self.competition = competition
        self.tag = tag
        self.ledger = ledger
        self.broker = broker
        self.history = history
        self.snapshot_every = snapshot_every
        self.metrics = metrics or Metrics()
        self.board = Scoreboard(competition, history)
        self.fanout = Fanout(self.metrics.observe)
        self.keys: dict[str, int] = {}
        self.inflight: dict[str, asyncio.Future[int]] = {}
        self.pending: list[Pending] = []
        self.applied = 0  # last ledger seq applied to the board
        self.snapshot_seq = 0
        self.refused: dict[
            str, EventRefused
        ] = {}  # keys of ledger events refused when applied in order
        self._wake = asyncio.Event()
        self._ready = asyncio.Event()  # cleared while the board is rebuilt after a failed commit
        self._ready.set()
        self.append_error: str | None = None  # the last append's failure, for /healthz
        self._committer: asyncio.Task[None] | None = None
        self._snap_cache: dict[tuple[str, int], Encoded] = {}
        self._catching_up = asyncio.Lock()
        self._seq_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self.order = GlobalOrder(self) if getattr(ledger, "global_order", False) else None
        self.metrics.collectors.append(self._collect)

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> None:
        await self.ledger.open()
        await self._restore()
        self.keys = await self.ledger.keys()
        await self.broker.open(
            self._on_broker_message, self.catch_up if self.order is None else self.order.resync
        )
        if self.order is not None:
            self.order.start()
        else:
            self._committer = asyncio.create_task(self._commit_loop(), name="ledger-committer")

    async def stop(self) -> None:
        if self.order is not None:
            await self.order.stop()
        if self._committer is not None:
            # Commit what was applied in memory before stopping: a snapshot must never hold an
            # event the ledger does not.
            while self.pending:
                batch, self.pending = self.pending, []
                await self._commit(batch)
            self._committer.cancel()
            try:
                await self._committer
            except asyncio.CancelledError:
                pass
        await self.broker.close()
        if self.applied > self.snapshot_seq:
            try:
                await self.save_snapshot()
            except Exception as e:  # noqa: BLE001 — e.g. Redis is down; a snapshot only speeds up restarts
                log("hub.snapshot_failed", error=repr(e))
        await self.ledger.close()

    async def _restore(self) -> None:
        started = time.perf_counter()
        snap = await self.ledger.load_snapshot(self.tag)
        if snap is not None:
            seq, body = snap
            self.board = pickle.loads(body)
            self.applied = self.snapshot_seq = seq
        replayed = await self.catch_up(log_it=False)
        log(
            "hub.restored",
            seq=self.applied,
            from_snapshot=self.snapshot_seq,
            replayed=replayed,
            seconds=round(time.perf_counter() - started, 3),
        )

    async def catch_up(self, log_it: bool = True) -> int:
        """Apply every ledger event after the last one applied (a restart, or a gap from the broker)."""
        n = 0
        async with self._catching_up:  # one reader at a time; the broker may apply events meanwhile
            while True:
                batch = await self.ledger.read(self.applied, 20000)
                if not batch:
                    break
                # Many events at once would overflow every viewer's queue with deltas: send each
                # viewer one snapshot of each channel that changed instead.
                burst = log_it and len(batch) > CATCH_UP_DELTAS
                held = {c: self.board.version(c) for c in self.fanout.subscribers} if burst else {}
                for seq, key, body in batch:
                    n += self.apply_logged(seq, body, fan_out=log_it and not burst, key=key)
                for channel, version in held.items():
                    if self.board.version(channel) != version:
                        self.fanout.publish(channel, self.snapshot_frame(channel))
                await asyncio.sleep(0)  # a long replay (a rebuild) must not hold the loop
        if log_it and n:
            self.metrics.inc("scorecast_catchups_total")
            log("hub.caught_up", events=n, seq=self.applied)
        return n

    def apply_logged(
        self, seq: int, body: dict[str, Any], fan_out: bool, key: str | None = None
    ) -> bool:
        """Apply the ledger event ``seq`` if it is new here; the caller keeps ``seq`` order."""
        if seq <= self.applied:
            return False
        try:
            updates = self.board.apply(event_from_dict(body))
        except EventRefused as e:
            # Only possible when another hub accepted it against a state it had not caught up
            # with; every hub refuses it alike, so all converge.
            log("hub.ledger_event_refused", seq=seq, code=e.code, message=e.message)
            updates = []
            if key is not None:
                self.refused[key] = e
        self.applied = seq
        if key is not None:
            self.keys[key] = seq
        self.metrics.set("scorecast_ledger_seq", seq)
        if fan_out:
            self._fan_out(updates)
        if self._seq_waiters:
            self._wake_seq_waiters()
        return True

    async def wait_applied(self, seq: int, timeout: float) -> bool:
        """Wait until this hub has applied ``seq``; False after ``timeout`` seconds."""
        if self.applied >= seq:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._seq_waiters.setdefault(seq, []).append(future)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            waiting = self._seq_waiters.get(seq)
            if waiting is not None and future in waiting:
                waiting.remove(future)
                if not waiting:
                    del self._seq_waiters[seq]
        return self.applied >= seq

    def _wake_seq_waiters(self) -> None:
        for seq in [s for s in self._seq_waiters if s <= self.applied]:
            for future in self._seq_waiters.pop(seq):
                if not future.done():
                    future.set_result(None)

    def _collect(self) -> None:
        """Broker state for /metrics, read when it is scraped."""
        status = self.broker.status()
        self.metrics.set("scorecast_broker_connected", 1 if status.get("connected", True) else 0)
        self.metrics.set("scorecast_broker_reconnects_total", status.get("reconnects", 0))

    async def save_snapshot(self) -> None:
        body = pickle.dumps(self.board, protocol=pickle.HIGHEST_PROTOCOL)
        await self.ledger.save_snapshot(self.applied, self.tag, body)
        self.snapshot_seq = self.applied
        log("hub.snapshot_saved", seq=self.applied, bytes=len(body))

    # -- judges -----------------------------------------------------------------

    async def submit(self, author: str, event: Event) -> tuple[int, bool]:
        """Check, apply and commit one event; return (seq, duplicate) once it is durable.

        Raises ``EventRefused`` (nothing changed) or ``LedgerUnavailable`` (retry).
        """
        if self.order is not None:
            return await self.order.submit(author, event)
        key = f"{author}:{event.id}"
        while not self._ready.is_set():  # never check against a half-rebuilt board
            await self._ready.wait()
        seq = self.keys.get(key)
        if seq is not None:
            return seq, True
        inflight = self.inflight.get(key)
        if inflight is not None:
            return (await asyncio.shield(inflight))[0], True
        updates = self.board.apply(event)  # raises EventRefused and changes nothing
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
            if self.applied - self.snapshot_seq >= self.snapshot_every:
                await self.save_snapshot()

    async def _commit(self, batch: list[Pending]) -> None:
        try:
            results = await self.ledger.append([(p.key, event_to_dict(p.event)) for p in batch])
        except Exception as e:  # the disk or the server failed: nothing in the batch is durable
            self.append_error = f"{type(e).__name__}: {e}"
            log("ledger.append_failed", logging.ERROR, error=self.append_error, events=len(batch))
            # Everything checked after this batch was applied on top of it: none of it is
            # durable either. Fail it all, then rebuild with submit() held (no half-built board).
            failed = batch + self.pending
            self.pending = []
            self._ready.clear()
            try:
                for p in failed:
                    self.inflight.pop(p.key, None)
                    if not p.future.done():
                        p.future.set_exception(
                            LedgerUnavailable(f"the ledger could not be written ({e}); retry")
                        )
                await self.rebuild()
            finally:
                self._ready.set()
            return
        self.append_error = None
        replayed = False
        for p, (seq, created) in zip(batch, results, strict=True):
            self.keys[p.key] = seq
            self.applied = max(self.applied, seq)
            self.inflight.pop(p.key, None)
            if not created:
                replayed = True  # the ledger already held it: applied twice in memory
            if not p.future.done():
                p.future.set_result((seq, not created))
        if replayed:
            log("hub.duplicate_in_batch", logging.WARNING, events=len(batch))
            failed, self.pending = self.pending, []
            self._ready.clear()
            try:
                for p in failed:
                    self.inflight.pop(p.key, None)
                    if not p.future.done():
                        p.future.set_exception(LedgerUnavailable("the hub resynchronised; retry"))
                await self.rebuild()
            finally:
                self._ready.set()
            return
        # Acks first: the judges' tasks wake (and send their acks) before the fan-out's
        # writes, which run when this loop turn ends (Fanout.publish).
        for p in batch:
            self._fan_out(p.updates)
        self.metrics.set("scorecast_ledger_seq", self.applied)
        payload = msgpack.packb(
            [[seq, event_to_dict(p.event)] for p, (seq, _) in zip(batch, results, strict=True)]
        )
        try:
            await self.broker.publish(payload)
        except Exception as e:  # other hubs catch up from the ledger when they see the gap
            log("broker.publish_failed", error=repr(e))

    async def rebuild(self) -> None:
        """The in-memory board is not the ledger's (a failed commit, a lost ledger): rebuild it."""
        self.board = Scoreboard(self.competition, self.history)
        self.applied = 0
        self.keys = {}
        self.refused = {}
        self._snap_cache.clear()
        try:
            await self.catch_up(log_it=False)
        except Exception as e:
            log("hub.rebuild_failed", error=repr(e))

    async def _on_broker_message(self, payload: bytes) -> None:
        """Events committed by other hubs, in ledger order; a gap means: read the ledger.

        Items are ``[seq, event]`` (published by a hub) or ``[seq, event, key]`` (by the ledger).
        """
        for seq, body, *key in msgpack.unpackb(payload):
            if seq <= self.applied:
                continue
            if seq != self.applied + 1:
                await self.catch_up()
                continue
            self.apply_logged(seq, body, fan_out=True, key=key[0] if key else None)

    # -- viewers ----------------------------------------------------------------

    def _fan_out(self, updates: list[Update]) -> None:
        for u in updates:
            item = Encoded({"type": "delta", "channel": u.channel, **u.delta})
            self.fanout.publish(u.channel, item)
            self.metrics.inc("scorecast_updates_published_total")

    def snapshot_frame(self, channel: str) -> Encoded:
        version = self.board.version(channel)
        cached = self._snap_cache.get((channel, version))
        if cached is None:
            if len(self._snap_cache) > 4096:
                self._snap_cache.clear()
            cached = Encoded(
                {
                    "type": "snapshot",
                    "channel": channel,
                    "version": version,
                    "data": self.board.snapshot(channel),
                }
            )
            self._snap_cache[(channel, version)] = cached
        return cached

    def resume_frames(self, channel: str, version: int | None) -> list[Encoded]:
        """What a viewer holding ``version`` needs: the deltas it missed, or a snapshot."""
        if version is not None:
            deltas = self.board.deltas_since(channel, version)
            if deltas is not None:
                return [Encoded({"type": "delta", "channel": channel, **d}) for d in deltas]
        return [self.snapshot_frame(channel)]


__all__ = ["Hub", "now_ms", "competition_tag", "LedgerUnavailable", "sb"]
