"""The judge SDK: a connection to ``/ws/judge`` that never loses a mark and never counts one twice.

    async with JudgeClient("ws://hub:8000", token, outbox="judge.db") as judge:
        ack = await judge.mark("weld", "weld-3", "B1", "8.5")   # returns once the hub acked it
        judge.enqueue_mark("weld", "weld-4", "B1", "9")        # queue now, acked in the background
        await judge.drain()                                    # wait until the outbox is empty

Every mark goes into the durable outbox first, then out on the socket. The client sends
in outbox order, one frame at a time per competitor (so a correction never overtakes the
mark it corrects, and a sign-off never overtakes a mark), up to ``window`` frames in
flight. When the connection drops it reconnects with exponential backoff and full
jitter, authenticates again and resends what was not acknowledged, with the same ids;
the hub answers a resent id with the original ack.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import socket
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .errors import TRANSIENT, AuthFailed, OutboxMismatch, Refused
from .outbox import ACKED, Entry, Outbox, new_id

JSON, MSGPACK = "scorecast.json", "scorecast.msgpack"


@dataclass(frozen=True)
class Ack:
    id: str
    seq: int
    duplicate: bool = False


def judge_url(hub: str) -> str:
    """``ws://host:port`` (or ``http://…``) → ``ws://host:port/ws/judge``."""
    parts = urlsplit(hub if "://" in hub else f"ws://{hub}")
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = parts.path if parts.path not in ("", "/") else "/ws/judge"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def http_url(hub: str) -> str:
    """The hub's HTTP base (for the marking scheme) from its WebSocket address."""
    parts = urlsplit(judge_url(hub))
    return urlunsplit(({"ws": "http", "wss": "https"}[parts.scheme], parts.netloc, "", "", ""))


def judge_of(token: str) -> str:
    return token.rsplit(".", 1)[0] if "." in token else ""


class Backoff:
    """Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^attempt)]."""

    def __init__(self, base: float = 0.25, cap: float = 10.0) -> None:
        self.base, self.cap, self.attempt = base, cap, 0

    def next(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return random.uniform(ceiling / 4, ceiling)  # never 0: a hub that is back gets a breath

    def reset(self) -> None:
        self.attempt = 0


class TokenBucket:
    """Stay under the hub's per-connection rate limit (``judge_rate``, 50 a second by default)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.at = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


Callback = Callable[[Entry], None]


class JudgeClient:
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
        self.state = "idle"  # idle → connecting → online ⇄ offline → closed | refused
        self.welcome: dict[str, Any] | None = None
        self.fatal: Exception | None = None
        self._online = asyncio.Event()
        self._wake = asyncio.Event()
        self._progress = asyncio.Event()  # set whenever a queued frame gets its answer
        self._closing = asyncio.Event()
        self._waiters: dict[str, list[asyncio.Future[Ack]]] = {}
        self._inflight: dict[str, float] = {}
        # The hub answers a connection's frames one by one, in order; an answer without an id
        # (a rate-limited frame is refused before it is read) belongs to the oldest unanswered one.
        self._unanswered: deque[str] = deque()
        self._bucket = TokenBucket(rate)
        self._hold: dict[
            str, float
        ] = {}  # id → monotonic time before which a transient failure waits
        self._retries: dict[str, int] = {}
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
            self._task = asyncio.create_task(self._run(), name=f"judge-client-{self.judge_id}")
        return self

    async def close(self) -> None:
        self._closing.set()
        self._wake.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state("closed")
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
        self._wake.set()
        return entries

    def enqueue_mark(
        self, program: str, competitor: str, aspect: str, value: str, id: str | None = None
    ) -> Entry:
        return self.enqueue(
            "mark", id=id, program=program, competitor=competitor, aspect=aspect, value=str(value)
        )

    async def result(self, mark_id: str, timeout: float | None = None) -> Ack:
        """The ack of a queued frame; raises ``Refused`` if the hub refused it for good."""
        entry = self.outbox.find(mark_id)
        if entry is None:
            raise KeyError(f"{mark_id} is not in the outbox")
        if entry.state != "pending":
            return _outcome(entry)
        if self.fatal is not None:
            raise self.fatal
        future: asyncio.Future[Ack] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(mark_id, []).append(future)
        return await asyncio.wait_for(future, timeout)

    async def submit(self, type: str, timeout: float | None = None, **fields: Any) -> Ack:
        entry = self.enqueue(type, **fields)
        return await self.result(entry.id, timeout)

    async def mark(
        self,
        program: str,
        competitor: str,
        aspect: str,
        value: str,
        *,
        id: str | None = None,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            "mark",
            timeout,
            id=id,
            program=program,
            competitor=competitor,
            aspect=aspect,
            value=str(value),
        )

    async def withdraw(
        self, program: str, competitor: str, aspect: str, *, timeout: float | None = None
    ) -> Ack:
        return await self.submit(
            "withdraw", timeout, program=program, competitor=competitor, aspect=aspect
        )

    async def signoff(self, program: str, competitor: str, *, timeout: float | None = None) -> Ack:
        return await self.submit("signoff", timeout, program=program, competitor=competitor)

    async def lock(
        self,
        program: str,
        competitor: str,
        criterion: str | None = None,
        reason: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            "lock",
            timeout,
            program=program,
            competitor=competitor,
            criterion=criterion,
            reason=reason,
        )

    async def unlock(
        self,
        program: str,
        competitor: str,
        reason: str,
        criterion: str | None = None,
        *,
        timeout: float | None = None,
    ) -> Ack:
        return await self.submit(
            "unlock",
            timeout,
            program=program,
            competitor=competitor,
            reason=reason,
            criterion=criterion,
        )

    async def visibility(
        self, program: str, visibility: str, *, timeout: float | None = None
    ) -> Ack:
        return await self.submit("visibility", timeout, program=program, visibility=visibility)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued frame has an answer (acked or refused)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while len(self.outbox):
            if self.fatal is not None:
                raise self.fatal
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"{len(self.outbox)} mark(s) still queued after {timeout}s")
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._progress.wait(), 0.5 if left is None else min(0.5, left)
                )

    # -- the connection ---------------------------------------------------------------

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            if self.on_state is not None:
                self.on_state(state)

    async def _run(self) -> None:
        while not self._closing.is_set():
            self._set_state("connecting")
            try:
                async with connect(
                    self.url,
                    subprotocols=[MSGPACK if self.binary else JSON],  # type: ignore[list-item]
                    open_timeout=10,
                    ping_interval=self.ping_interval,
                    ping_timeout=self.ping_interval,
                    close_timeout=2,
                    max_size=1 << 20,
                    proxy=None,
                ) as ws:
                    await self._session(ws)
            except (AuthFailed, OutboxMismatch) as e:
                self._fail_all(e)
                self._set_state("refused")
                return
            except (
                OSError,
                TimeoutError,
                ConnectionClosed,
                InvalidHandshake,
                InvalidURI,
                EOFError,
            ):
                pass
            finally:
                self._online.clear()
                self._inflight.clear()
                self._unanswered.clear()
            if self._closing.is_set():
                break
            self._set_state("offline")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self.backoff.next())

    async def _session(self, ws: ClientConnection) -> None:
        await ws.send(
            self._encode(
                {"type": "auth", "token": self.token, "device": self.device, "protocol": 1}
            )
        )
        welcome = self._decode(await asyncio.wait_for(ws.recv(), 10))
        if welcome.get("type") == "error" and welcome.get("code") == "bad_credential":
            raise AuthFailed(str(welcome.get("code")), str(welcome.get("message")))
        if welcome.get("type") != "welcome":
            raise ConnectionError(f"expected a welcome, got {welcome!r}")
        self.welcome = welcome
        self.backoff.reset()
        self._online.set()
        self._set_state("online")
        sender = asyncio.create_task(self._sender(ws))
        try:
            async for data in ws:
                self._on_frame(self._decode(data))
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await sender

    async def _sender(self, ws: ClientConnection) -> None:
        while True:
            self._wake.clear()
            now = time.monotonic()
            busy: set[str] = set()
            next_hold: float | None = None
            for e in self.outbox.pending():
                if len(self._inflight) >= self.window:
                    break
                if e.key in busy:
                    continue  # an earlier frame on this competitor has no answer yet
                busy.add(e.key)
                if e.id in self._inflight:
                    continue
                hold = self._hold.get(e.id, 0.0)
                if hold > now:
                    next_hold = hold if next_hold is None else min(next_hold, hold)
                    continue
                await self._bucket.take()
                self._inflight[e.id] = now
                self._unanswered.append(e.id)
                await ws.send(self._encode(e.frame))
            timeout = None if next_hold is None else max(0.0, next_hold - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind, ref = frame.get("type"), frame.get("id")
        if kind not in ("ack", "error"):
            return  # a pong
        if ref is None and self._unanswered:
            ref = self._unanswered.popleft()
        elif isinstance(ref, str) and ref in self._unanswered:
            self._unanswered.remove(ref)
        if not isinstance(ref, str) or not self.outbox.is_pending(ref):
            return  # the answer to a frame answered already
        self._inflight.pop(ref, None)
        self._wake.set()
        if kind == "ack":
            self._hold.pop(ref, None)
            self._retries.pop(ref, None)
            entry = self.outbox.acked(ref, int(frame["seq"]), bool(frame.get("duplicate")))
        else:
            code, message = str(frame.get("code")), str(frame.get("message"))
            if frame.get("retry") or code in TRANSIENT:
                self.outbox.failed_attempt(ref, code, message)
                tries = self._retries[ref] = self._retries.get(ref, 0) + 1
                self._hold[ref] = time.monotonic() + random.uniform(0.5, 1.0) * min(
                    5.0, 0.1 * 2**tries
                )
                return
            self._hold.pop(ref, None)
            self._retries.pop(ref, None)
            entry = self.outbox.refused(ref, code, message)
        if entry is not None:
            self._resolve(entry)

    def _resolve(self, entry: Entry) -> None:
        self._progress.set()
        for f in self._waiters.pop(entry.id, []):
            if f.done():
                continue
            if entry.state == ACKED:
                f.set_result(_outcome(entry))
            else:
                f.set_exception(Refused(entry.code or "refused", entry.message or "", entry.id))
        if self.on_result is not None:
            self.on_result(entry)

    def _fail_all(self, error: Exception) -> None:
        self.fatal = error
        self._progress.set()
        for futures in self._waiters.values():
            for f in futures:
                if not f.done():
                    f.set_exception(error)
        self._waiters.clear()

    def _encode(self, frame: dict[str, Any]) -> str | bytes:
        if self.binary:
            return msgpack.packb(frame, use_bin_type=True)  # type: ignore[no-any-return]
        return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))

    @staticmethod
    def _decode(data: str | bytes) -> dict[str, Any]:
        frame = msgpack.unpackb(data, raw=False) if isinstance(data, bytes) else json.loads(data)
        return frame if isinstance(frame, dict) else {}


def _outcome(entry: Entry) -> Ack:
    if entry.state == ACKED:
        return Ack(entry.id, int(entry.seq or 0), entry.duplicate)
    raise Refused(entry.code or "refused", entry.message or "", entry.id)
