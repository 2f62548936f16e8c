"""server/ws_live.py: the hub stops reading a connection only once QUEUE_PAUSE of its messages
wait, not after each one (uvicorn's way: two epoll_ctl calls and a reader handle a frame); a
connection sending that many at once is still paused, and everything is answered in order."""

from __future__ import annotations

import json

import uvicorn
from websockets.asyncio.client import connect

from server.ws_live import QUEUE_PAUSE
from tests.hub.test_viewer_footprint import in_process_hub, live_protocols

__all__ = ["in_process_hub"]  # the fixture, shared with the footprint tests


async def pings(port: int, n: int, server: uvicorn.Server) -> int:
    """Send ``n`` pings at once, read the ``n`` pongs; how often the hub paused reading."""
    async with connect(f"ws://127.0.0.1:{port}/ws/live") as ws:
        for i in range(n):
            await ws.send(json.dumps({"type": "ping", "id": f"p{i}"}))
        got = [json.loads(await ws.recv()) for _ in range(n)]
        assert got == [{"type": "pong", "id": f"p{i}"} for i in range(n)]
        (proto,) = live_protocols(server)
        return int(proto.pauses)


async def test_a_few_frames_at_once_do_not_pause_reading(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    server, port = in_process_hub
    assert await pings(port, QUEUE_PAUSE // 2, server) == 0


async def test_a_flood_of_frames_still_pauses_reading(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    server, port = in_process_hub
    assert await pings(port, QUEUE_PAUSE * 20, server) >= 1
