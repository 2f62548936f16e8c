"""The fan-out window (SCORECAST_FANOUT_WINDOW_MS): quick updates of a channel go out together.

Real hub processes, real WebSocket clients. What is asserted is order and coalescing, never a
duration: the hub's own counters (``scorecast_fanout_writes_total``: one per subscriber and
flush, ``scorecast_fanout_frames_total``) say how many writes carried the frames a viewer got.
The windows used are long (seconds) so that marks sent one after the other fall inside them
even on a loaded machine. That a lone update is not held is shown by the frame counter, read after
its ack; that a ping is a barrier (its pong after every update held before it), by order.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import RedisFactory
from tests.hubkit import Board, Client, HubProcess, judge, mark, viewer

CHANNEL = "program:weld"


def started(path: Path, window_ms: int, **kw: Any) -> HubProcess:
    h = HubProcess(path, env={"SCORECAST_FANOUT_WINDOW_MS": str(window_ms)}, **kw)
    h.issue_credentials()
    return h.start()


@pytest.fixture
def hubs() -> Iterator[list[HubProcess]]:
    made: list[HubProcess] = []
    yield made
    for h in made:
        h.stop()


def counter(hub: HubProcess, name: str) -> int:
    for line in httpx.get(f"{hub.http}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise KeyError(name)


async def marks(j: Client, first: int, last: int) -> None:
    """Marks ``first``..``last`` one after the other, each acked before the next: every one is
    its own ledger commit and its own loop turn, so only a window can put two in one write."""
    for i in range(first, last + 1):
        ack = await mark(j, f"w{i}", "weld", f"weld-{i % 6 + 1}", "B1", str(i % 10))
        assert ack["type"] == "ack", ack


async def lone(v: Client, board: Board, version: int, hub: HubProcess | None = None) -> None:
    """Version ``version``, the channel's first update in a window, was written at once: the
    hub's frame counter, read over HTTP after the mark's ack, already counts it (a held update
    waits seconds for its window). ``hub=None`` (a hub the judge is not connected to, where the
    update comes through Redis after the ack) only reads the delta. Then a ping: its pong comes
    after the delta (a ping releases what a window holds; nothing is held here)."""
    if hub is not None:
        assert counter(hub, "scorecast_fanout_frames_total") == 1
    await v.send({"type": "ping", "id": "after"})
    await deltas(v, board, range(version, version + 1))
    pong = await v.recv()
    assert pong == {"type": "pong", "id": "after"}, pong


async def deltas(v: Client, board: Board, versions: range, timeout: float = 20.0) -> None:
    """The next frames of ``v`` are exactly the deltas ``versions``, in order (no gap, no repeat)."""
    for expected in versions:
        frame = await v.recv(timeout)
        assert frame["type"] == "delta" and frame["channel"] == CHANNEL, frame
        assert frame["version"] == expected and frame["from"] == expected - 1, frame
        board.take(frame)


async def test_quick_updates_share_writes_in_a_window_in_order(
    tmp_path: Path, hubs: list[HubProcess]
) -> None:
    hub = started(tmp_path / "hub", window_ms=3000)
    hubs.append(hub)
    v = await viewer(hub, CHANNEL)
    board = Board()
    board.take(await v.recv())
    j = await judge(hub, "weld-j1")
    n = 8
    await marks(j, 1, 1)
    await lone(v, board, 1, hub)
    await marks(j, 2, n)
    await deltas(v, board, range(2, n + 1))
    assert counter(hub, "scorecast_fanout_frames_total") == n
    writes = counter(hub, "scorecast_fanout_writes_total")
    assert 2 <= writes < n, writes  # the first at once, the others together when the window ended
    api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert board.snapshot == api


async def test_without_a_window_each_update_is_its_own_write(
    tmp_path: Path, hubs: list[HubProcess]
) -> None:
    hub = started(tmp_path / "hub", window_ms=0)
    hubs.append(hub)
    v = await viewer(hub, CHANNEL)
    board = Board()
    board.take(await v.recv())
    j = await judge(hub, "weld-j1")
    n = 8
    await marks(j, 1, n)
    await deltas(v, board, range(1, n + 1))
    assert counter(hub, "scorecast_fanout_frames_total") == n
    assert counter(hub, "scorecast_fanout_writes_total") == n


async def test_newcomer_inside_a_window_gets_snapshot_then_the_rest(
    tmp_path: Path, hubs: list[HubProcess]
) -> None:
    hub = started(tmp_path / "hub", window_ms=3000)
    hubs.append(hub)
    old = await viewer(hub, CHANNEL, binary=True)
    old_board = Board()
    old_board.take(await old.recv())
    j = await judge(hub, "weld-j1")
    await marks(j, 1, 1)
    await lone(old, old_board, 1, hub)
    await marks(j, 2, 3)  # held: the window opened by version 1 is not over
    new = await viewer(hub, CHANNEL)  # subscribes inside the window, with 2 and 3 pending
    new_board = Board()
    first = await new.recv()
    assert first["type"] == "snapshot" and first["version"] == 3, first
    new_board.take(first)
    await marks(j, 4, 6)
    await deltas(new, new_board, range(4, 7))  # after the snapshot: 4, 5, 6; not 2 or 3 again
    await deltas(old, old_board, range(2, 7))
    api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert new_board.snapshot == old_board.snapshot == api


@pytest.mark.redis
async def test_redis_hubs_use_the_window_too(
    tmp_path: Path, hubs: list[HubProcess], redis_factory: RedisFactory
) -> None:
    redis = redis_factory()
    a = started(tmp_path / "a", window_ms=3000, store=redis.url, broker=redis.url)
    hubs.append(a)
    b = HubProcess(
        tmp_path / "b",
        store=redis.url,
        broker=redis.url,
        env={"SCORECAST_FANOUT_WINDOW_MS": "3000"},
    )
    b.tokens = a.tokens
    hubs.append(b.start())
    v = await viewer(b, CHANNEL)  # on the hub the judge is not connected to
    board = Board()
    board.take(await v.recv())
    base = board.version
    j = await judge(a, "weld-j1")
    n = 8
    await marks(j, 1, 1)
    await lone(v, board, base + 1)
    await marks(j, 2, n)
    await deltas(v, board, range(base + 2, base + n + 1))
    assert counter(b, "scorecast_fanout_frames_total") == n
    assert 2 <= counter(b, "scorecast_fanout_writes_total") < n
    api = httpx.get(f"{b.http}/api/v1/programs/weld/leaderboard").json()
    assert board.snapshot == api


async def test_a_ping_answers_after_what_a_window_holds(
    tmp_path: Path, hubs: list[HubProcess]
) -> None:
    """A client's ping is a barrier: quick updates held by a long window come before its pong,
    so "everything sent so far" has reached the client when the pong does (docs/protocol.md)."""
    hub = started(tmp_path / "hub", window_ms=30000)
    hubs.append(hub)
    v = await viewer(hub, CHANNEL)
    board = Board()
    board.take(await v.recv())
    j = await judge(hub, "weld-j1")
    await marks(j, 1, 4)  # 1 at once, 2-4 held for 30 s
    await v.send({"type": "ping", "id": "barrier"})
    await deltas(v, board, range(1, 5), timeout=10.0)
    pong = await v.recv()
    assert pong == {"type": "pong", "id": "barrier"}, pong
    assert counter(hub, "scorecast_fanout_frames_total") == 4
