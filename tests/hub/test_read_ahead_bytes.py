"""server/ws_read_ahead.py: a connection whose app takes nothing stops being read once a MiB of
its messages is queued, not only at QUEUE_PAUSE messages (32 messages of up to 1 MiB each could
wait otherwise); reading resumes once the app has taken them, and every message is answered, and the connection goes on."""

from __future__ import annotations

import asyncio
import json

import uvicorn
from websockets.asyncio.client import connect
from websockets.frames import Frame, Opcode

from server.ws_live import QUEUE_PAUSE
from server.ws_read_ahead import READ_AHEAD_BYTES, queued_bytes
from tests.hub.test_read_pauses import in_process_hub
from tests.hub.test_viewer_footprint import live_protocols

__all__ = ["in_process_hub"]

BIG = 200_000  # bytes a message: 16 of them are half QUEUE_PAUSE and 3 MiB


def ping(i: int) -> bytes:
    text = json.dumps({"type": "ping", "id": f"p{i}", "pad": "x" * BIG})
    return Frame(Opcode.TEXT, text.encode()).serialize(mask=True)


async def test_a_stalled_connection_is_not_read_past_a_mebibyte(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    server, port = in_process_hub
    n = QUEUE_PAUSE // 2
    assert n * BIG > 2 * READ_AHEAD_BYTES
    async with connect(f"ws://127.0.0.1:{port}/ws/live", max_size=None) as ws:
        await ws.send(json.dumps({"type": "ping", "id": "first"}))
        assert json.loads(await ws.recv())["type"] == "pong"
        (proto,) = live_protocols(server)
        # n messages arrive before the app runs again (a stalled app: nothing taken meanwhile)
        for i in range(n):
            proto.data_received(ping(i))
            if proto.read_paused:
                break
        assert proto.read_paused, "still reading with n messages of 200 KB queued"
        assert proto.queue.qsize() < n
        assert queued_bytes(proto.queue) <= READ_AHEAD_BYTES + BIG + 1000 and proto.byte_pauses == 1
        queued = proto.queue.qsize()
        # the app takes them all: reading resumes, each is answered, in order
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(queued)]
        # (a live frame is small: each is refused as too large, one error each)
        assert [a.get("code") for a in answers] == ["frame_too_large"] * queued
        assert not proto.read_paused and queued_bytes(proto.queue) == 0
        await ws.send(json.dumps({"type": "ping", "id": "after"}))
        assert json.loads(await ws.recv()) == {"type": "pong", "id": "after"}


async def test_wide_characters_count_as_the_memory_they_take(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    """A text of 4-byte UTF-8 characters (emoji) is a quarter as many characters as wire bytes but
    takes as much memory: counted by characters, 3 MiB of them were queued without a pause."""
    server, port = in_process_hub
    n = QUEUE_PAUSE // 2
    async with connect(f"ws://127.0.0.1:{port}/ws/live", max_size=None) as ws:
        await ws.send(json.dumps({"type": "ping", "id": "first"}))
        assert json.loads(await ws.recv())["type"] == "pong"
        (proto,) = live_protocols(server)
        for i in range(n):
            text = json.dumps(
                {"type": "ping", "id": f"p{i}", "pad": "\U0001f600" * (BIG // 4)},
                ensure_ascii=False,
            )
            proto.data_received(Frame(Opcode.TEXT, text.encode()).serialize(mask=True))
            if proto.read_paused:
                break
        assert proto.read_paused, "still reading with 16 messages of 200 KB (50,000 emoji) queued"
        assert proto.queue.qsize() < n
        queued = proto.queue.qsize()
        answers = [json.loads(await asyncio.wait_for(ws.recv(), 10)) for _ in range(queued)]
        assert [a.get("code") for a in answers] == ["frame_too_large"] * queued
        assert not proto.read_paused


async def test_reading_is_not_paused_after_the_hub_sent_its_close(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    """Once the hub has sent its close, uvicorn keeps reading (discarding messages) until the peer's
    close arrives; a large message then must not pause reading on the queue's stale bytes (which
    the app may never take): the peer's close reply would wait unread until the close timer."""
    server, port = in_process_hub
    async with connect(f"ws://127.0.0.1:{port}/ws/live", max_size=None) as ws:
        await ws.send(json.dumps({"type": "ping", "id": "first"}))
        assert json.loads(await ws.recv())["type"] == "pong"
        (proto,) = live_protocols(server)
        for i in range(QUEUE_PAUSE // 2):
            proto.data_received(ping(i))
            if proto.read_paused:
                break
        assert proto.read_paused and queued_bytes(proto.queue) >= READ_AHEAD_BYTES
        await proto.send({"type": "websocket.close", "code": 1001})  # as the app's close does
        assert proto.close_sent and not proto.read_paused  # uvicorn resumed reading
        proto.data_received(ping(99))  # discarded by uvicorn
        assert not proto.read_paused, "reading paused after the close: the peer's reply unread"
