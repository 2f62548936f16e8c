"""server/fanout.py: a hub publishing more than BUSY_UPDATES updates a second widens its fan-out
window BUSY_FACTOR times; a quiet hub keeps the configured window; every update still reaches
every viewer, in order."""

from __future__ import annotations

import asyncio

from server.fanout import BUSY_FACTOR, BUSY_UPDATES, Encoded, Fanout, Viewer
from server.metrics import Metrics

WINDOW = 0.05


def recording_viewer(got: list[tuple[float, int]]) -> Viewer:
    loop = asyncio.get_running_loop()

    async def send(payload: str | bytes) -> None:
        got.append((loop.time(), int(str(payload).split('"version":')[1].split("}")[0])))

    async def close(code: int, reason: str) -> None:
        return None

    def snapshot(channel: str) -> Encoded:
        raise AssertionError("no viewer falls behind here")

    return Viewer(send, close, False, 100_000, snapshot, Metrics())


def update(version: int) -> Encoded:
    return Encoded({"type": "delta", "channel": "c", "version": version})


async def second_update_delay(fanout: Fanout, got: list[tuple[float, int]], v: int) -> float:
    """Publish ``v`` (written at once: the channel was quiet) and, 10 ms after it, ``v + 1``
    (within the window); how long after ``v`` was written ``v + 1`` was."""
    fanout.publish("c", update(v))
    await asyncio.sleep(0.01)
    fanout.publish("c", update(v + 1))
    while not got or got[-1][1] != v + 1:
        await asyncio.sleep(0.005)
    first = next(t for t, version in got if version == v)
    return got[-1][0] - first


async def test_a_busy_hub_holds_updates_for_a_longer_window() -> None:
    fanout = Fanout(Metrics(), WINDOW)
    got: list[tuple[float, int]] = []
    fanout.add("c", recording_viewer(got))
    fanout.add("other", recording_viewer([]))
    quiet = await second_update_delay(fanout, got, 1)
    assert not fanout.busy
    assert quiet < WINDOW * 2  # held to the end of the configured window, no longer
    await asyncio.sleep(1.0)  # a new second: the first one (two updates) was not busy
    for _ in range(BUSY_UPDATES * 2):  # a busy second, on another channel
        fanout.publish("other", Encoded({"type": "delta", "channel": "other", "version": 0}))
    await asyncio.sleep(1.0)
    await asyncio.sleep(WINDOW * BUSY_FACTOR)  # "other" released; "c" quiet for a busy window
    busy = await second_update_delay(fanout, got, 3)
    assert fanout.busy
    assert busy > WINDOW * 2  # the busy window: 4 x 50 ms after the update before
    assert [version for _, version in got] == [1, 2, 3, 4]  # every one, in order
    await asyncio.sleep(1.1)  # a second with four updates: quiet again
    fanout.publish("c", update(5))
    await asyncio.sleep(0.3)
    assert not fanout.busy and got[-1][1] == 5
