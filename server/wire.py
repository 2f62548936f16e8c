"""Frames on the wire, built once: the encoded payload and the complete WebSocket frame.

Server frames are not masked and the hub negotiates no compression, so the
bytes of a frame are the same for every socket (RFC 6455 §5.2): ``Encoded.wire``
is written as it is to every viewer's transport (``RawSocket``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from scoreboard.views import old_shape

from .codec import encode_json, encode_msgpack
from .frame_json import FRAMES

Payload = str | bytes


def ws_frame(payload: bytes, binary: bool) -> bytes:
    """A complete, unmasked, unfragmented server frame (RFC 6455 §5.2)."""
    first = 0x82 if binary else 0x81
    n = len(payload)
    if n < 126:
        head = bytes((first, n))
    elif n < 65536:
        head = bytes((first, 126)) + n.to_bytes(2, "big")
    else:
        head = bytes((first, 127)) + n.to_bytes(8, "big")
    return head + payload


class Encoded:
    """One frame, encoded (and framed) at most once per format."""

    __slots__ = ("frame", "keep", "_json", "_msgpack", "_wire_json", "_wire_msgpack")

    def __init__(self, frame: dict[str, Any], keep: bool = True) -> None:
        self.frame = frame
        # its rows' aspect entries are the board's own (kept by identity, server/frame_json.py);
        # False for a rewritten copy (an anonymous jury channel), whose entries are new each time
        self.keep = keep
        self._json: str | None = None
        self._msgpack: bytes | None = None
        self._wire_json: bytes | None = None
        self._wire_msgpack: bytes | None = None

    def payload(self, binary: bool) -> Payload:
        return self.msgpack() if binary else self.json()

    def json(self) -> str:
        if self._json is None:
            # a jury row's aspects: each entry encoded once (the board's own rows only)
            self._json = FRAMES.encode(self.frame) if self.keep else encode_json(self.frame)
        return self._json

    def msgpack(self) -> bytes:
        if self._msgpack is None:
            self._msgpack = encode_msgpack(self.frame)
        return self._msgpack

    def wire(self, binary: bool) -> bytes:
        if binary:
            if self._wire_msgpack is None:
                self._wire_msgpack = ws_frame(self.msgpack(), True)
            return self._wire_msgpack
        if self._wire_json is None:
            self._wire_json = ws_frame(self.json().encode(), False)
        return self._wire_json


class DeltaFrame(Encoded):
    """A delta frame, and the same delta in the shape a client that did not ask for ``ranks``
    applies (``scoreboard.old_shape``: those rows whole), made and encoded at most once, on
    the first such client's need, and shared by all of them."""

    __slots__ = ("_delta", "_old")

    def __init__(self, frame: dict[str, Any], delta: dict[str, Any], keep: bool = True) -> None:
        super().__init__(frame, keep)
        self._delta = delta if delta.get("ranks") else None
        self._old: Encoded | None = None

    def old(self) -> Encoded:
        if self._delta is None:
            return self
        if self._old is None:
            self._old = Encoded(
                {"type": "delta", "channel": self.frame["channel"], **old_shape(self._delta)},
                self.keep,
            )
        return self._old


def delta_frame(channel: str, delta: dict[str, Any], keep: bool = True) -> Encoded:
    """The frame of ``delta`` on ``channel``: a ``DeltaFrame`` when it holds ``ranks``
    (``keep``: as ``Encoded``'s, False for a rewritten copy)."""
    frame = {"type": "delta", "channel": channel, **delta}
    return DeltaFrame(frame, delta, keep) if delta.get("ranks") else Encoded(frame, keep)


def old_item(item: Encoded) -> Encoded:
    """What a client that knows only the old delta shape is sent for ``item``."""
    return item.old() if isinstance(item, DeltaFrame) else item


def resumed(channel: str, deltas: list[dict[str, Any]], ranks: bool) -> list[Encoded]:
    """The frames of the history's ``deltas`` for a viewer that resumes on ``channel``; without
    ``ranks`` (the viewer did not ask for them) those rows whole (``scoreboard.old_shape``)."""
    shaped = deltas if ranks else map(old_shape, deltas)
    return [Encoded({"type": "delta", "channel": channel, **d}) for d in shaped]


class Batch:
    """The updates of one channel published in one turn of the loop: one write per socket."""

    __slots__ = ("items", "_json", "_msgpack")

    def __init__(self, items: list[Encoded]) -> None:
        self.items = items
        self._json: bytes | None = None
        self._msgpack: bytes | None = None

    def wire(self, binary: bool) -> bytes:
        if binary:
            if self._msgpack is None:
                self._msgpack = b"".join(i.wire(True) for i in self.items)
            return self._msgpack
        if self._json is None:
            self._json = b"".join(i.wire(False) for i in self.items)
        return self._json


class RawSocket:
    """Direct writes to a WebSocket's transport, for a uvicorn websockets-sansio connection.

    ``of(protocol)`` returns None when the object does not look like one (then the ASGI path is used).
    """

    __slots__ = ("transport", "conn", "writable", "_open")

    def __init__(self, transport: Any, conn: Any, writable: asyncio.Event, open_state: Any) -> None:
        self.transport = transport
        self.conn = conn
        self.writable = writable
        self._open = open_state

    @classmethod
    def of(cls, protocol: Any) -> RawSocket | None:
        try:
            from websockets.protocol import State

            transport, conn, writable = protocol.transport, protocol.conn, protocol.writable
            if (
                conn.extensions
                or not isinstance(writable, asyncio.Event)
                or not hasattr(transport, "write")
            ):
                return None  # a negotiated extension (compression) would change the frames
            return cls(transport, conn, writable, State.OPEN)
        except (AttributeError, ImportError):
            return None

    def ready(self) -> bool:
        """Open, and its write buffer under the high-water mark: a write now does not pile up."""
        return (
            self.writable.is_set()
            and self.conn.state is self._open
            and not self.transport.is_closing()
        )

    def is_open(self) -> bool:
        return self.conn.state is self._open and not self.transport.is_closing()

    def write(self, data: bytes) -> None:
        self.transport.write(data)
