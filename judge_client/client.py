"""The judge SDK: a connection to ``/ws/judge`` that never loses a mark and never counts one twice.

    async with JudgeClient("ws://hub:8000", token, outbox="judge.db") as judge:
        ack = await judge.mark("weld", "weld-3", "B1", "8.5")   # returns once the hub acked it
        judge.enqueue_mark("weld", "weld-4", "B1", "9")        # queue now, acked in the background
        await judge.drain()                                    # wait until the outbox is empty

Every mark goes into the durable outbox first, then out on the socket (``connection.py``),
in the order ``window.py`` allows. Errors are those of ``errors.py``; transient trouble is
never raised, the mark is resent with the same id until the hub answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .connection import Connection
from .errors import JudgeClientError, NotDrained, OutboxMismatch, Refused, UnknownMark
from .outbox import Entry, Outbox, new_id
from .pacing import Backoff, TokenBucket
from .states import ClientState, EntryState, FrameType, Subprotocol
from .verbs import Verbs
from .wire import Ack, http_url, judge_of, judge_url

__all__ = [
    "JSON",
    "MSGPACK",
    "Ack",
    "Backoff",
    "Callback",
    "ClientState",
    "JudgeClient",
    "TokenBucket",
    "http_url",
    "judge_of",
    "judge_url",
]

JSON, MSGPACK = Subprotocol.JSON, Subprotocol.MSGPACK

Callback = Callable[[Entry], None]


class JudgeClient(Verbs):
    def __init__(
        self,
        hub: str,
        token: str,
        outbox: Outbox | str | Path,
        *,
        device: str | None = None,
        binary: bool = False,
        window: int = 32,
        rate: float = 40.0,
        backoff: tuple[float, float] = (0.25, 10.0),
        ping_interval: float = 10.0,
        on_result: Callback | None = None,
        on_state: Callable[[str], None] | None = None,
    ) -> None:
        self.url = judge_url(hub)
        self.token = token
        self.outbox = outbox if isinstance(outbox, Outbox) else Outbox(outbox)
        self._own_outbox = not isinstance(outbox, Outbox)
        self.judge_id = judge_of(token)
        self._check_outbox_owner()
        self.device = (
            device or self.outbox.get_meta("device") or f"{socket.gethostname()}-{new_id()[:6]}"
        )
        self.outbox.set_meta("device", self.device)
        self.binary = binary
        self.window = window
        self.backoff = Backoff(*backoff)
        self.ping_interval = ping_interval
        self.on_result = on_result
        self.on_state = on_state
        self.state = ClientState.IDLE
        self.welcome: dict[str, Any] | None = None
        self.fatal: JudgeClientError | None = None
        self._online = asyncio.Event()
        self._progress = asyncio.Event()  # set whenever a queued frame gets its answer
        self._waiters: dict[str, list[asyncio.Future[Ack]]] = {}
        self._connection = Connection(
            self.url,
            token,
            self.device,
            self.outbox,
            self,
            binary=binary,
            window=window,
            rate=rate,
            backoff=self.backoff,
            ping_interval=ping_interval,
        )
        self._task: asyncio.Task[None] | None = None

    def _check_outbox_owner(self) -> None:
        owner = self.outbox.get_meta("judge")
        if owner and owner != self.judge_id and len(self.outbox):
            raise OutboxMismatch(
                f"{self.outbox.path} holds {len(self.outbox)} unsent mark(s) of judge {owner}; "
                f"send them with {owner}'s credential, or use another --outbox for "
                f"{self.judge_id}"
            )
        self.outbox.set_meta("judge", self.judge_id)

    # -- lifecycle ----------------------------------------------------------------

    async def start(self) -> JudgeClient:
        if self._task is None:
            run = self._connection.run()
            self._task = asyncio.create_task(run, name=f"judge-client-{self.judge_id}")
        return self

    async def close(self) -> None:
        self._connection.closing.set()
        self._connection.wake.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.set_state(ClientState.CLOSED)
        for futures in self._waiters.values():
            for f in futures:
                if not f.done():
                    f.cancel()
        self._waiters.clear()
        if self._own_outbox:
            self.outbox.close()

    async def __aenter__(self) -> JudgeClient:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def wait_online(self, timeout: float | None = None) -> dict[str, Any]:
        """Wait for the hub's welcome (the judge, their assignments)."""
        await asyncio.wait_for(self._online_or_fatal(), timeout)
        assert self.welcome is not None
        return self.welcome

    async def _online_or_fatal(self) -> None:
        while not self._online.is_set():
            if self.fatal is not None:
                raise self.fatal
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._online.wait(), 0.2)
        if self.fatal is not None:
            raise self.fatal

    # -- submitting -----------------------------------------------------------------

    def enqueue(self, type: str, **fields: Any) -> Entry:
        """Put one frame in the outbox (durably) and let the sender pick it up."""
        return self.enqueue_many([{"type": type, **fields}])[0]

    def enqueue_many(self, frames: list[dict[str, Any]]) -> list[Entry]:
        if self.fatal is not None:
            raise self.fatal
        entries = self.outbox.add_many(
            [{k: v for k, v in f.items() if v is not None} for f in frames]
        )
        self._connection.wake.set()
        return entries

    def enqueue_mark(
        self, program: str, competitor: str, aspect: str, value: str, id: str | None = None
    ) -> Entry:
        return self.enqueue(
            FrameType.MARK,
            id=id,
            program=program,
            competitor=competitor,
            aspect=aspect,
            value=str(value),
        )

    async def result(self, mark_id: str, timeout: float | None = None) -> Ack:
        """The ack of a queued frame; raises ``Refused`` if the hub refused it for good."""
        entry = self.outbox.find(mark_id)
        if entry is None:
            raise UnknownMark(mark_id)
        if entry.state != EntryState.PENDING:
            return _outcome(entry)
        if self.fatal is not None:
            raise self.fatal
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(mark_id, []).append(future)
        return await asyncio.wait_for(future, timeout)

    async def submit(self, type: str, timeout: float | None = None, **fields: Any) -> Ack:
        entry = self.enqueue(type, **fields)
        return await self.result(entry.id, timeout)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued frame has an answer (acked or refused)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while len(self.outbox):
            if self.fatal is not None:
                raise self.fatal
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise NotDrained(len(self.outbox), timeout)
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._progress.wait(), 0.5 if left is None else min(0.5, left)
                )

    # -- what the connection reports (connection.Listener) ----------------------------

    def set_state(self, state: ClientState) -> None:
        if state != self.state:
            self.state = state
            if self.on_state is not None:
                self.on_state(state)

    def welcomed(self, welcome: dict[str, Any]) -> None:
        self.welcome = welcome
        self._online.set()

    def disconnected(self) -> None:
        self._online.clear()

    def finished(self, entry: Entry) -> None:
        self._progress.set()
        for f in self._waiters.pop(entry.id, []):
            if f.done():
                continue
            if entry.state == EntryState.ACKED:
                f.set_result(_outcome(entry))
            else:
                f.set_exception(Refused(entry.code or "refused", entry.message or "", entry.id))
        if self.on_result is not None:
            self.on_result(entry)

    def failed(self, error: JudgeClientError) -> None:
        self.fatal = error
        self._progress.set()
        for futures in self._waiters.values():
            for f in futures:
                if not f.done():
                    f.set_exception(error)
        self._waiters.clear()


def _outcome(entry: Entry) -> Ack:
    if entry.state == EntryState.ACKED:
        return Ack(entry.id, int(entry.seq or 0), entry.duplicate)
    raise Refused(entry.code or "refused", entry.message or "", entry.id)
