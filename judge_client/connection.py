"""The socket side of ``JudgeClient``: connect, authenticate, send what is due, read answers.

When the connection drops it reconnects with exponential backoff and full jitter,
authenticates again and resends what was not acknowledged, with the same ids; the hub
answers a resent id with the original ack. What happens to a mark is reported to the
``Listener`` (the client), which resolves the callers waiting on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Protocol

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI

from .errors import TRANSIENT, AuthFailed, JudgeClientError, OutboxMismatch, ProtocolError
from .outbox import Entry, Outbox
from .pacing import Backoff, TokenBucket
from .states import ClientState, FrameType
from .window import Window
from .wire import MAX_FRAME, PROTOCOL, decode, encode, subprotocol

# What a dropped or unreachable hub looks like: reconnect after a backoff.
NETWORK_TROUBLE = (OSError, TimeoutError, ConnectionClosed, InvalidHandshake, InvalidURI, EOFError)


class Listener(Protocol):
    def set_state(self, state: ClientState) -> None: ...
    def welcomed(self, welcome: dict[str, Any]) -> None: ...
    def disconnected(self) -> None: ...
    def finished(self, entry: Entry) -> None: ...
    def failed(self, error: JudgeClientError) -> None: ...


class Connection:
    def __init__(
        self,
        url: str,
        token: str,
        device: str,
        outbox: Outbox,
        listener: Listener,
        *,
        binary: bool,
        window: int,
        rate: float,
        backoff: Backoff,
        ping_interval: float,
    ) -> None:
        self.url, self.token, self.device = url, token, device
        self.outbox = outbox
        self.listener = listener
        self.binary = binary
        self.window = Window(window)
        self.bucket = TokenBucket(rate)
        self.backoff = backoff
        self.ping_interval = ping_interval
        self.wake = asyncio.Event()  # set when there may be something to send
        self.closing = asyncio.Event()

    async def run(self) -> None:
        """Stay connected until ``closing`` is set or the hub refuses the judge for good."""
        while not self.closing.is_set():
            self.listener.set_state(ClientState.CONNECTING)
            try:
                await self._connect_once()
            except (AuthFailed, OutboxMismatch) as e:
                self.listener.failed(e)
                self.listener.set_state(ClientState.REFUSED)
                return
            except NETWORK_TROUBLE:
                pass
            finally:
                self.listener.disconnected()
                self.window.disconnected()
            if self.closing.is_set():
                break
            self.listener.set_state(ClientState.OFFLINE)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), self.backoff.next())

    async def _connect_once(self) -> None:
        async with connect(
            self.url,
            subprotocols=[subprotocol(self.binary)],  # type: ignore[list-item]
            open_timeout=10,
            ping_interval=self.ping_interval,
            ping_timeout=self.ping_interval,
            close_timeout=2,
            max_size=MAX_FRAME,
            proxy=None,
        ) as ws:
            await self._session(ws)

    async def _session(self, ws: ClientConnection) -> None:
        await self._authenticate(ws)
        self.backoff.reset()
        self.listener.set_state(ClientState.ONLINE)
        sender = asyncio.create_task(self._sender(ws))
        try:
            async for data in ws:
                self._on_frame(decode(data))
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await sender

    async def _authenticate(self, ws: ClientConnection) -> None:
        auth = {"type": FrameType.AUTH, "token": self.token, "device": self.device}
        await ws.send(encode({**auth, "protocol": PROTOCOL}, self.binary))
        welcome = decode(await asyncio.wait_for(ws.recv(), 10))
        if welcome.get("type") == FrameType.ERROR and welcome.get("code") == "bad_credential":
            raise AuthFailed(str(welcome.get("code")), str(welcome.get("message")))
        if welcome.get("type") != FrameType.WELCOME:
            raise ProtocolError(f"expected a welcome, got {welcome!r}")
        self.listener.welcomed(welcome)

    async def _sender(self, ws: ClientConnection) -> None:
        while True:
            self.wake.clear()
            now = time.monotonic()
            for e in self.window.due(self.outbox.pending(), now):
                await self.bucket.take()
                self.window.sent(e.id, now)
                await ws.send(encode(e.frame, self.binary))
            next_hold = self.window.next_hold
            timeout = None if next_hold is None else max(0.0, next_hold - time.monotonic())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout)

    def _on_frame(self, frame: dict[str, Any]) -> None:
        kind = frame.get("type")
        if kind not in (FrameType.ACK, FrameType.ERROR):
            return  # a pong
        ref = self.window.answered(frame.get("id"))
        if ref is None or not self.outbox.is_pending(ref):
            return  # the answer to a frame answered already
        self.window.landed(ref)
        self.wake.set()
        if kind == FrameType.ACK:
            self.window.settled(ref)
            entry = self.outbox.acked(ref, int(frame["seq"]), bool(frame.get("duplicate")))
        else:
            code, message = str(frame.get("code")), str(frame.get("message"))
            if frame.get("retry") or code in TRANSIENT:
                self.outbox.failed_attempt(ref, code, message)
                self.window.retry_later(ref, time.monotonic())
                return
            self.window.settled(ref)
            entry = self.outbox.refused(ref, code, message)
        if entry is not None:
            self.listener.finished(entry)
