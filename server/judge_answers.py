"""A judge connection's answers on the wire: framed here, written straight to its socket, and the
answers of one loop turn in one write (issue 17, fifth pass).

A group commit makes the marks of many frames durable at once and wakes them in one loop turn;
each then sent its ack through Starlette, uvicorn's protocol and websockets' framing, one write
(one send syscall) per ack. Here an answer is framed once (``wire.ws_frame``: server frames are
unmasked, the hub negotiates no extension) and kept; the first one kept in a turn schedules
``flush`` for the end of the turn, which writes them all to the transport at once, in the order
they were kept. The order of the answers is still the order of the frames (``ws_judge.Turn``),
and an ack is still made only after its commit: this changes how it is written, not when.

When the socket cannot take a write now (no ``RawSocket``: another ASGI server; the connection
closing; its buffer over the high-water mark) what is kept is written first and the answer goes
the ASGI way, which waits for the buffer to drain, as before; once the connection is closing an
answer is dropped (its mark stays durable: a resend is answered ``duplicate``). ``flush`` before closing: a close
frame is the last thing on a connection.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.websockets import WebSocket

from .codec import encode_json, encode_msgpack
from .metrics import Metrics
from .wire import RawSocket, ws_frame
from .ws_live import CONNECTION_KEY


class Answers:
    __slots__ = ("ws", "binary", "raw", "kept", "metrics")

    def __init__(self, ws: WebSocket, binary: bool, metrics: Metrics) -> None:
        self.ws = ws
        self.binary = binary
        # the connection's protocol (server/ws_live.py names it in the scope): None elsewhere
        self.raw = RawSocket.of(ws.scope.pop(CONNECTION_KEY, None))
        self.kept: list[bytes] = []
        self.metrics = metrics

    async def send(self, frame: dict[str, Any]) -> None:
        raw = self.raw
        if raw is not None and raw.ready():
            payload = encode_msgpack(frame) if self.binary else encode_json(frame).encode()
            self.kept.append(ws_frame(payload, self.binary))
            if len(self.kept) == 1:
                asyncio.get_running_loop().call_soon(self.flush)
            return
        if raw is not None and not raw.is_open():
            # closing (a close frame sent or received: a SIGTERM's 1012): nothing can follow it.
            # Not sent, as ``flush`` does; the ASGI way would raise, and each frame still queued
            # would log a traceback twice (thousands of them delayed a SIGTERM past 2 s)
            self.kept = []
            return
        self.flush()
        if self.binary:
            await self.ws.send_bytes(encode_msgpack(frame))
        else:
            await self.ws.send_text(encode_json(frame))

    def flush(self) -> None:
        """Write what is kept, in one write (nothing once the connection is closing)."""
        kept = self.kept
        if not kept:
            return
        self.kept = []
        raw = self.raw
        if raw is None or not raw.is_open():
            return  # closed: the answers of a closed connection are not sent (ws_judge.abandon)
        raw.write(kept[0] if len(kept) == 1 else b"".join(kept))
        self.metrics.inc("scorecast_judge_writes_total")
        self.metrics.inc("scorecast_judge_answers_total", len(kept))
