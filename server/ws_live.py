"""``WS /ws/live``: subscribe to channels with the version held; get what was missed, then deltas."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable, MutableMapping
from typing import Any, Literal

from starlette.websockets import WebSocket, WebSocketDisconnect

from scoreboard import ScoreboardError
from scoreboard.model import Role

from .codec import LIVE_FRAMES, MSGPACK, SUBPROTOCOLS, check, decode
from .errors import FrameError, error_frame
from .fanout import Encoded, RawSocket, Viewer
from .state import AppState, app_state, client_address

QUEUE_PAUSE = 32  # messages a connection's queue holds before the hub stops reading it
RANKS = "ranks"  # a subscribe's feature: deltas may name rows whose rank alone moved by id
CONNECTION_KEY = "scorecast.connection"  # set in the scope by server/run.py's WebSocket protocol


def may_read(st: AppState, judge: str | None, channel: str) -> bool:
    """Public channels are open; jury channels need the program's chief (any chief for overview:jury)."""
    if not channel.endswith(":jury"):
        return True
    if judge is None:
        return False
    j = st.hub.competition.judges.get(judge)
    if j is None or j.role is not Role.CHIEF:
        return False
    if channel == "overview:jury":
        return True
    program = channel.split(":")[1]
    return j.assigned(program)


async def live_endpoint(ws: WebSocket) -> None:
    st = app_state(ws)
    offered = ws.scope.get("subprotocols") or []
    subprotocol = next((p for p in offered if p in SUBPROTOCOLS), None)
    await ws.accept(subprotocol=subprotocol)
    session = LiveSession(ws, st, binary=subprotocol == MSGPACK)
    trim(ws.scope)
    st.hub.metrics.inc("scorecast_connections", kind="viewer")
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("bytes") if message.get("bytes") is not None else message.get("text")
            del message  # not held while the viewer idles until its next frame
            await session.receive(data)
            del data
    except WebSocketDisconnect:
        pass
    finally:
        session.end()
        st.hub.metrics.inc("scorecast_connections", -1, kind="viewer")


def trim(scope: MutableMapping[str, Any]) -> None:
    """Drop what an accepted viewer's scope no longer needs (its request headers, the app state
    and extension dicts: about 1.5 KB a viewer). The live endpoint reads only the peer's address
    (``scope["client"]``) after the handshake."""
    scope["headers"] = []
    scope.pop("state", None)
    scope.pop("extensions", None)


class LiveSession:
    """One viewer: its subscriptions, and the ``Viewer`` that fan-out writes to."""

    __slots__ = ("ws", "st", "hub", "judge", "viewer")

    def __init__(self, ws: WebSocket, st: AppState, binary: bool) -> None:
        self.ws = ws
        self.st = st
        self.hub = st.hub
        self.judge: str | None = None
        # Under the hub's uvicorn set-up (server/run.py) the scope names the connection: updates
        # are then written to its transport directly (server/fanout.py); elsewhere through send.
        # Popped: no connection ↔ scope cycle left.
        raw = RawSocket.of(ws.scope.pop(CONNECTION_KEY, None))
        self.viewer = Viewer(
            self.send,
            self.close,
            binary,
            st.settings.viewer_queue,
            self.hub.snapshot_frame,
            self.hub.metrics,
            raw,
        )

    async def send(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            await self.ws.send_bytes(payload)
        else:
            await self.ws.send_text(payload)

    async def close(self, code: int, reason: str) -> None:
        try:
            await self.ws.close(code=code, reason=reason)
        except Exception:  # noqa: BLE001 — the socket may already be gone
            pass

    def end(self) -> None:
        self.hub.fanout.drop(self.viewer)
        self.viewer.stop()
        self.viewer.detach()  # its send and close are this session's: no session ↔ viewer cycle

    async def receive(self, data: str | bytes | None) -> None:
        try:
            if data is None or len(data) > 4096:
                raise FrameError(
                    "frame_too_large", "live frames are small: subscribe, unsubscribe, auth, ping"
                )
            await self.handle(check(decode(data), LIVE_FRAMES))
        except FrameError as e:
            self.viewer.push_now(Encoded(error_frame(e)))
        except ScoreboardError as e:  # an unknown channel
            self.viewer.push_now(Encoded(error_frame(e, with_id=False)))

    async def handle(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        if kind == "ping":
            self.hub.fanout.release(self.viewer.channels)  # the pong comes after what they hold
            self.viewer.push_now(Encoded({"type": "pong", "id": frame.get("id")}))
        elif kind == "auth" or (kind == "subscribe" and "token" in frame):
            self.judge = await self.st.authenticate(
                frame["token"], client_address(self.ws), "ws_live"
            )
        if kind == "subscribe":
            self.subscribe(frame["channel"], frame.get("version"), frame.get("features") or ())
        elif kind == "unsubscribe":
            self.hub.fanout.remove(frame["channel"], self.viewer)

    def subscribe(self, channel: str, version: int | None, features: Iterable[str] = ()) -> None:
        """``features``: ``"ranks"`` if the client applies a delta's ``ranks``; without it, those
        rows are sent whole (the delta shape before it; unknown features are ignored)."""
        hub, viewer = self.hub, self.viewer
        hub.board.view(channel)  # unknown channel → error
        if not may_read(self.st, self.judge, channel):
            raise FrameError(
                "forbidden", f"{channel} is for the jury; subscribe with a chief credential"
            )
        if channel in viewer.channels:
            hub.fanout.remove(channel, viewer)
        # no await between reading the version and subscribing: nothing can slip between
        ranks = RANKS in features
        viewer.push_subscribed(channel, hub.resume_frames(channel, version, ranks))
        hub.fanout.add(channel, viewer, ranks)


# -- serving /ws/live under uvicorn (server/run.py) ------------------------------------------


class LightEvent(asyncio.Event):
    """An ``asyncio.Event`` whose waiters' deque exists only once someone waits: the protocol's
    ``writable`` flag of every connection, set nearly always and rarely waited on (some 0.7 KB
    less for every open connection)."""

    def __init__(self) -> None:
        self._value = False
        self._waiters: Any = ()  # set() and clear() only iterate it

    async def wait(self) -> Literal[True]:
        if self._value:
            return True
        if isinstance(self._waiters, tuple):
            self._waiters = deque()
        return await super().wait()


class LightQueue:
    """The three ``asyncio.Queue`` methods uvicorn's WebSocket protocol uses (one consumer: the app's
    ``receive``), without the queue's three deques: some 2 KB less for every open connection."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        self._items.append(item)
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def get(self) -> Any:
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)

    def empty(self) -> bool:
        return not self._items

    def qsize(self) -> int:
        return len(self._items)


def websocket_protocol() -> Any:
    """uvicorn's websockets-sansio protocol, naming each connection in its ASGI scope, and lighter.

    ``/ws/live`` then writes each update's pre-built frame straight to the connection's transport
    (``server/fanout.py``: one ``transport.write`` per viewer and loop turn, as ``websockets.broadcast``
    does) instead of one task, coroutine and ASGI message per viewer and update. Memory held by every
    open connection is trimmed: a light receive queue, and the handshake's request and response
    (their headers) dropped once the handshake is done. Anything that does not look as expected
    falls back to uvicorn's default and the plain ASGI path.
    """
    try:
        from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    except ImportError:  # pragma: no cover — another uvicorn
        return "auto"

    class HubWebSocketProtocol(WebSocketsSansIOProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.queue = LightQueue()  # type: ignore[assignment]
            self.writable = LightEvent()
            self.writable.set()
            self.pauses = 0  # times reading was paused (a full queue): for the tests

        def send_receive_event_to_app(self) -> None:
            # uvicorn pauses reading after every message until the app has taken it: two
            # epoll_ctl calls and a new reader handle a frame, 3 % of the hub in a burst of marks
            # (issue 17, fifth pass). Pause only once QUEUE_PAUSE messages wait (a judge's window).
            if self.read_paused or self.queue.qsize() + 1 >= QUEUE_PAUSE:
                paused = self.read_paused
                super().send_receive_event_to_app()
                self.pauses += self.read_paused and not paused
                return
            self.read_paused = True  # so uvicorn does not pause: reading goes on
            try:
                super().send_receive_event_to_app()
            finally:
                self.read_paused = False

        def connection_lost(self, exc: Exception | None) -> None:
            super().connection_lost(exc)
            # websockets' parser generator refers to its connection (a cycle): closed, the pair is
            # freed by reference counting, not left to the cycle collector (server/gc_policy.py)
            parser = getattr(self.conn, "parser", None)
            if parser is not None and hasattr(parser, "close"):
                parser.close()

        def handle_connect(self, event: Any) -> None:
            super().handle_connect(event)
            scope = getattr(self, "scope", None)
            if isinstance(scope, dict) and not self.close_sent:
                scope[CONNECTION_KEY] = self  # read before the app runs: its task starts next turn

        async def send(self, message: Any) -> None:
            await super().send(message)
            if message["type"] == "websocket.accept" and self.handshake_complete:
                # websockets' parser generator keeps the request for the connection's life:
                # empty its headers (some 2 KB); the scope holds what the app reads of them
                self.request.headers.clear()
                self.request = self.response = None  # type: ignore[assignment]

    return HubWebSocketProtocol


class LiveShortcut:
    """ASGI: ``/ws/live`` straight to its endpoint, past Starlette's middleware and router.

    Each of those layers is a suspended coroutine for as long as a viewer stays connected (eight of
    them, some 4 KB a viewer); the live endpoint uses none of them. Everything else goes to the app.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "websocket" and scope["path"] == "/ws/live":
            scope["app"] = self.app
            await live_endpoint(WebSocket(scope, receive, send))
        else:
            await self.app(scope, receive, send)
