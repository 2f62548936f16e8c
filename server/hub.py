"""The hub's core: the board, the position applied from the ledger, and the viewers' frames.

How events reach the ledger and the board depends on ``Ledger.order``, an ``Ordering``
(``server/ordering.py``): local order (SQLite, one hub: check, apply in memory, commit in batches,
ack, fan out; ``server/local_order.py``) or global order (Redis, several hubs: the ledger assigns
each ``seq`` in one atomic append that also publishes it, every hub applies in ``seq`` order;
``server/global_order.py``). In both, ``catch_up`` reads the ledger after the last ``seq``
applied: at start, when the broker shows a gap, and after the broker resubscribes.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import Any

import msgpack

from scoreboard import Competition, Event, EventRefused, Scoreboard, Update, event_from_dict

from . import replay, snapshots
from .broker import Broker
from .chain import Links
from .errors import LedgerUnavailable
from .fanout import Encoded, Fanout, resumed
from .global_order import GlobalOrder
from .in_force import put_in_force, start_board
from .jury_codes import JuryCodes
from .ledger import RECORD_KINDS, EventOrder, Ledger
from .local_order import LocalOrder
from .logs import log
from .metrics import Metrics
from .ordering import Ordering
from .snapshots import competition_tag
from .snapshotter import Snapshotter

STOP_SNAPSHOT_S = 1.2  # a stop ends within 2 s: a later snapshot is left to the next replay
CATCH_UP_DELTAS = 8  # events read at once up to which a catch-up sends viewers deltas


def now_ms() -> int:
    return int(time.time() * 1000)


class Hub:
    def __init__(
        self,
        competition: Competition,
        tag: str,
        ledger: Ledger,
        broker: Broker,
        history: int = 512,
        snapshot_every: int = 10000,
        metrics: Metrics | None = None,
        fanout_window: float = 0.0,
    ) -> None:
        self.competition = competition
        self.data: dict[str, Any] = {}  # the document in force, its SHA-256 (set by create_app)
        self.fingerprint = ""
        self.tag = tag
        self.ledger = ledger
        self.broker = broker
        self.history = history
        self.snapshotter = Snapshotter(self, snapshot_every)
        self.metrics = metrics or Metrics()
        self.board = Scoreboard(competition, history)
        self.fanout = Fanout(self.metrics, fanout_window)
        self.keys: dict[str, int] = {}
        self.applied = 0  # last ledger seq applied to the board
        self.refused: dict[str, EventRefused] = {}  # ledger events refused when applied in order
        self._snap_cache: dict[tuple[str, int], Encoded] = {}
        self.jury_codes = JuryCodes(lambda: self.board.programs)  # anonymous programs' desks
        self._catching_up = asyncio.Lock()
        self._seq_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self.links: Links | None = None if ledger.sealed_by_ledger else Links()  # Redis: chain.py
        self.order: Ordering = (
            GlobalOrder(self) if ledger.order is EventOrder.GLOBAL else LocalOrder(self)
        )
        self.metrics.collectors.append(self._collect)

    @property
    def append_error(self) -> str | None:  # the last append's failure, for /healthz
        return self.order.append_error

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> None:
        await self.ledger.open()
        await self._restore()
        self.keys = await self.ledger.keys()
        await self.broker.open(self._on_broker_message, self.order.resync)
        self.order.start()

    async def stop(self) -> None:
        await self.order.stop()
        await self.broker.close()
        await self.snapshotter.at_stop(STOP_SNAPSHOT_S)
        await self.ledger.close()

    async def _restore(self) -> None:
        started = time.perf_counter()
        head = await self.ledger.last_seq()
        log("hub.restoring", ledger_seq=head)
        with replay.stoppable():
            snap = await snapshots.restore(self.ledger, self.tag)
            if snap is not None:
                self.applied = self.snapshotter.seq = snap[0]
                self.board = snap[1]
                if self.links is not None:
                    self.links.prev = snap[2]
            else:
                await start_board(self)  # on the competition in force at the ledger's start
            absorbed = await replay.absorb(self, head)
            replayed = await self.catch_up(log_it=False)
        if self.links is not None and (stored := await self.ledger.hash_at(self.applied)):
            self.links.prev = stored  # new links go on the stored chain (e.g. format-1 links)
        gc.collect()
        gc.freeze()  # the restored board is long-lived: later collections need not walk it
        log(
            "hub.restored",
            seq=self.applied,
            from_snapshot=self.snapshot_seq,
            absorbed=absorbed,
            replayed=replayed,
            seconds=round(time.perf_counter() - started, 3),
        )

    async def catch_up(self, log_it: bool = True) -> int:
        """Apply every ledger event after the last one applied (a restart, or a broker gap)."""
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
        await self.seal()
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
        if self.links is not None:
            self.links.add(seq, key, body)
        try:  # the competition's definition and amendments put a competition in force
            if body.get("kind") in RECORD_KINDS:
                updates = put_in_force(self, body, seq)
            else:
                updates = self.board.apply(event_from_dict(body))
        except EventRefused as e:
            # another hub accepted it on a state it had not caught up with; all refuse it alike
            log("hub.ledger_event_refused", seq=seq, code=e.code, message=e.message)
            updates = []
            if key is not None:
                self.refused[key] = e
        self.applied = seq
        if key is not None:
            self.keys[key] = seq
        self.metrics.set("scorecast_ledger_seq", seq)
        if fan_out:
            self.fan_out(updates)
        if self._seq_waiters:
            self._wake_seq_waiters()
        return True

    def record(self, key: str, seq: int) -> None:  # applied in memory, durable at seq (local)
        self.keys[key] = seq
        self.applied = max(self.applied, seq)

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

    async def seal(self) -> None:
        """Store the links computed here (Redis); one left unstored is filled by a later hub."""
        await Links.store(self.links, self.ledger)

    async def head(self) -> tuple[int, str]:
        """The seq applied here and its hash link (``GET /api/v1/ledger/head``)."""
        if self.links is not None:
            return self.applied, self.links.prev or ""
        return self.applied, await self.ledger.hash_at(self.applied) or ""

    @property
    def snapshot_seq(self) -> int:
        return self.snapshotter.seq

    async def snapshot_if_due(self) -> None:
        """Start a snapshot if one is due (server/snapshotter.py): it never holds up commits."""
        await self.snapshotter.if_due()

    # -- judges -----------------------------------------------------------------

    async def submit(self, author: str, event: Event) -> tuple[int, bool]:
        """Check, apply and commit one event; return (seq, duplicate) once it is durable.
        Raises ``EventRefused`` (nothing changed) or ``LedgerUnavailable`` (retry)."""
        return await self.order.submit(f"{author}:{event.id}", event)

    async def rebuild(self) -> None:
        """The in-memory board is not the ledger's (a failed commit, a lost ledger): rebuild it."""
        await start_board(self)
        self.applied = 0
        if self.links is not None:
            self.links = Links()
        self.keys = {}
        self.refused = {}
        self._snap_cache.clear()
        try:
            await self.catch_up(log_it=False)
        except Exception as e:
            log("hub.rebuild_failed", error=repr(e))

    async def _on_broker_message(self, payload: bytes) -> None:
        """Events committed by other hubs, in ledger order; a gap means: read the ledger. Items
        are ``[seq, event]`` (published by a hub) or ``[seq, event, key]`` (by the ledger)."""
        for seq, body, *key in msgpack.unpackb(payload):
            if seq <= self.applied:
                continue
            if seq != self.applied + 1:
                await self.catch_up()
                continue
            self.apply_logged(seq, body, fan_out=True, key=key[0] if key else None)

    # -- viewers ----------------------------------------------------------------

    def fan_out(self, updates: list[Update]) -> None:
        for channel, item, delta in self.jury_codes.frames(updates, self.snapshot_frame):
            self.fanout.publish(channel, item)
            if delta:
                self.metrics.inc("scorecast_updates_published_total")

    def close_viewers(self, code: int, reason: str) -> int:
        """Close every viewer (they resubscribe to a fresh snapshot); how many there were."""
        return self.fanout.close_all(code, reason)

    def snapshot_frame(self, channel: str) -> Encoded:
        version = self.board.version(channel)
        if self.jury_codes.anonymous(channel) is not None:  # codes change within a version
            return self.jury_codes.snapshot(channel, version, self.board.snapshot(channel))
        cached = self._snap_cache.get((channel, version))
        if cached is None:
            if len(self._snap_cache) > 4096:
                self._snap_cache.clear()
            snap = self.board.snapshot(channel)
            frame = {"type": "snapshot", "channel": channel, "version": version, "data": snap}
            cached = self._snap_cache[(channel, version)] = Encoded(frame)
        return cached

    def resume_frames(self, channel: str, version: int | None, ranks: bool) -> list[Encoded]:
        """What a viewer holding ``version`` needs (``ranks``: asked for): missed deltas or a snapshot."""
        if version is not None and self.jury_codes.anonymous(channel) is None:
            deltas = self.board.deltas_since(channel, version)
            if deltas is not None:
                return resumed(channel, deltas, ranks)
        return [self.snapshot_frame(channel)]


__all__ = ["Hub", "now_ms", "competition_tag", "LedgerUnavailable"]
