"""What an idle viewer keeps on the hub (issue 17: <= 16 KB a viewer at scale).

The hub runs in this process (``create_app`` under ``server.run.uvicorn_config``, as ``scorecast
serve`` builds it) so the test can look at the connection objects themselves; the viewer is a
real websockets client over loopback. Each assertion is one thing the hub used to keep for the
whole life of a connection (``bench/viewer_memory.py`` measures what each cost).
"""

from __future__ import annotations

import asyncio
import gc
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import connect

from server import competition_file
from server.app import create_app
from server.config import Settings
from server.run import probe, uvicorn_config
from server.state import state_of
from server.viewer import _gone_close, _gone_send
from server.ws_live import LightEvent
from tests.helpers import free_port
from tests.hubkit import small_competition


@pytest.fixture
async def in_process_hub(tmp_path: Path) -> AsyncIterator[tuple[uvicorn.Server, int]]:
    comp = tmp_path / "competition.json"
    comp.write_text(json.dumps(small_competition()))
    port = free_port()
    settings = Settings.load(
        {
            "competition": str(comp),
            "store": f"sqlite:///{tmp_path / 'ledger.db'}",
            "port": port,
            "log_level": "warning",
        },
        environ={},
    )
    data, competition = competition_file.load(settings.competition)
    data, competition = await probe(settings.store, data, competition)
    server = uvicorn.Server(uvicorn_config(settings, create_app(settings, data, competition)))
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the hub did not start"
        await asyncio.sleep(0.02)
    try:
        yield server, port
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


def live_protocols(server: uvicorn.Server) -> list[Any]:
    return [
        c for c in server.server_state.connections if type(c).__name__ == "HubWebSocketProtocol"
    ]


async def test_an_idle_viewer_keeps_no_request_headers_scope_extras_or_http_parser(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    server, port = in_process_hub
    async with connect(
        f"ws://127.0.0.1:{port}/ws/live", additional_headers={"X-Padding": "x" * 2000}
    ) as ws:
        await ws.send(json.dumps({"type": "subscribe", "channel": "program:weld"}))
        first = json.loads(await ws.recv())
        assert first["type"] == "snapshot" and first["channel"] == "program:weld"
        (proto,) = live_protocols(server)

        # the handshake's request: uvicorn's reference dropped, and the one websockets' parser
        # generator keeps for the connection's life emptied of its headers
        assert proto.request is None and proto.response is None
        kept = proto.conn.parser.gi_frame.f_locals.get("request")
        assert kept is None or not list(kept.headers.raw_items())
        # the ASGI scope: no headers, state or extensions left once accepted
        assert proto.scope["headers"] == []
        assert "state" not in proto.scope and "extensions" not in proto.scope
        assert proto.scope["client"][0] == "127.0.0.1"  # what the endpoint still reads
        # no HTTP/1.1 protocol left behind by the upgrade (its head timer held it 10 s)
        gc.collect()
        h11 = [o for o in gc.get_objects() if type(o).__name__ == "HubH11Protocol"]
        assert h11 == []
        # the writable flag has no waiters' deque while nobody waits
        assert isinstance(proto.writable, LightEvent) and proto.writable._waiters == ()

        # and it still works as a viewer: pings answered, a second channel subscribed
        await ws.send(json.dumps({"type": "ping", "id": "p7"}))
        assert json.loads(await ws.recv()) == {"type": "pong", "id": "p7"}
        await ws.send(json.dumps({"type": "subscribe", "channel": "overview"}))
        assert json.loads(await ws.recv())["channel"] == "overview"


async def test_light_event_wakes_every_waiter_and_blocks_after_clear() -> None:
    event = LightEvent()
    assert not event.is_set()
    waiters = [asyncio.create_task(event.wait()) for _ in range(3)]
    await asyncio.sleep(0)
    assert not any(w.done() for w in waiters)
    event.set()
    assert await asyncio.gather(*waiters) == [True, True, True]
    assert await event.wait() is True  # set: no wait at all
    event.clear()
    late = asyncio.create_task(event.wait())
    await asyncio.sleep(0)
    assert not late.done()
    late.cancel()  # a cancelled waiter leaves the event usable
    with pytest.raises(asyncio.CancelledError):
        await late
    again = asyncio.create_task(event.wait())
    await asyncio.sleep(0)
    event.set()
    assert await again is True


async def test_a_closed_viewer_leaves_no_cycles_for_the_collector(
    in_process_hub: tuple[uvicorn.Server, int],
) -> None:
    # Objects frozen by server/gc_policy.py while a viewer was open are not seen by the cycle
    # collector until the next sweep: a closed viewer's objects must go by reference counting.
    server, port = in_process_hub
    hub = state_of(server.config.loaded_app.app.app).hub
    async with connect(f"ws://127.0.0.1:{port}/ws/live") as ws:
        await ws.send(json.dumps({"type": "subscribe", "channel": "program:weld"}))
        await ws.recv()
        (proto,) = live_protocols(server)
        (viewer,) = hub.fanout.subscribers["program:weld"]
        assert proto.conn.parser.gi_frame is not None
    for _ in range(200):  # until the hub has seen the close and the endpoint has ended
        if viewer.closed and proto.disconnected and not live_protocols(server):
            break
        await asyncio.sleep(0.01)
    assert proto.conn.parser.gi_frame is None  # the parser generator no longer holds its conn
    assert viewer.send is _gone_send and viewer.close is _gone_close  # nor the viewer its session
