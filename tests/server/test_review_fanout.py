"""Review of issue 17's fifth pass (server/fanout.py): a live client's ping is an ordering
barrier (docs/protocol.md): its pong comes after every update of its channels published before
it, whether a window holds the update or it waits for the end of the loop turn (pending)."""

from __future__ import annotations

import asyncio

import pytest

from server.fanout import Encoded, Fanout, Viewer
from server.metrics import Metrics


def recording_viewer(got: list[str]) -> Viewer:
    async def send(payload: str | bytes) -> None:
        got.append(str(payload))

    async def close(code: int, reason: str) -> None:
        return None

    def snapshot(channel: str) -> Encoded:
        raise AssertionError("no viewer falls behind here")

    return Viewer(send, close, False, 100_000, snapshot, Metrics())


def ping(fanout: Fanout, viewer: Viewer) -> None:
    """What ws_live does with a ping: release the viewer's channels, then the pong."""
    fanout.release(viewer.channels)
    viewer.push_now(Encoded({"type": "pong", "id": "barrier"}))


@pytest.mark.parametrize("window", [0.0, 0.025, 0.1])
async def test_a_pong_follows_an_update_published_earlier_in_the_same_loop_turn(
    window: float,
) -> None:
    fanout = Fanout(Metrics(), window)
    got: list[str] = []
    v = recording_viewer(got)
    fanout.add("c", v)
    fanout.publish("c", Encoded({"type": "delta", "channel": "c", "version": 1}))
    ping(fanout, v)  # a ping handled in the same turn as the mark's publish
    await asyncio.sleep(0.2)
    assert [('"pong"' in g) for g in got] == [False, True], got


async def test_a_pong_follows_what_a_busy_window_holds() -> None:
    fanout = Fanout(Metrics(), 0.025)
    fanout.busy, fanout._second = True, asyncio.get_running_loop().time() + 60
    got: list[str] = []
    v = recording_viewer(got)
    fanout.add("c", v)
    fanout.publish("c", Encoded({"type": "delta", "channel": "c", "version": 1}))
    await asyncio.sleep(0.01)  # written; the next is held for the busy window (100 ms)
    fanout.publish("c", Encoded({"type": "delta", "channel": "c", "version": 2}))
    ping(fanout, v)
    await asyncio.sleep(0.01)
    assert ['"version":2' in g or '"pong"' in g for g in got] == [False, True, True], got
    assert '"pong"' in got[-1]
