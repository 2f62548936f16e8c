"""The contract every backend keeps, run once per URL: ledgers ``sqlite://`` and ``redis://``,
brokers ``memory://`` and ``redis://`` (a real redis-server, started by the fixture).

Append is idempotent (a known key keeps its seq and is stored once), the order is the append
order with no gaps, a reader catches up from any position, and a backend that goes away gives
an error from ``server.errors``, promptly, not a hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import msgpack
import pytest

from server.broker import Broker, open_broker
from server.errors import BackendError, LedgerCorrupt, LedgerUnavailable
from server.ledger import EventOrder, Ledger, open_ledger
from tests.conftest import RedisFactory
from tests.helpers import RedisServer

LEDGERS = ["sqlite", "redis"]
BROKERS = ["memory", "redis"]
DOWN_WITHIN = 15.0  # seconds: an error, not a hang


def event(n: int) -> dict[str, Any]:
    return {"kind": "mark", "n": n, "value": f"{n}.5"}


@pytest.fixture(params=LEDGERS)
async def ledger_env(
    request: pytest.FixtureRequest, tmp_path: Path, redis_factory: RedisFactory
) -> AsyncIterator[tuple[Ledger, RedisServer | None]]:
    server = redis_factory() if request.param == "redis" else None
    url = server.url if server is not None else f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = open_ledger(url, "scorecast:contract")
    await ledger.open()
    yield ledger, server
    await ledger.close()


async def test_append_is_idempotent(ledger_env: tuple[Ledger, RedisServer | None]) -> None:
    ledger, _ = ledger_env
    assert await ledger.append([("j1:m1", event(1))]) == [(1, True)]
    assert await ledger.append([("j1:m1", event(1))]) == [(1, False)]
    # a batch holding a known key and a new one: the known keeps its seq, the new one is next
    assert await ledger.append([("j1:m1", event(1)), ("j1:m2", event(2))]) == [
        (1, False),
        (2, True),
    ]
    rows = await ledger.read(0)
    assert [(seq, key) for seq, key, _ in rows] == [(1, "j1:m1"), (2, "j1:m2")]
    assert await ledger.seq_of("j1:m1") == 1 and await ledger.seq_of("nope") is None
    assert await ledger.keys() == {"j1:m1": 1, "j1:m2": 2}


async def test_order_and_catch_up_from_a_position(
    ledger_env: tuple[Ledger, RedisServer | None],
) -> None:
    ledger, _ = ledger_env
    assert isinstance(ledger.order, EventOrder)
    results = await ledger.append([(f"k{n}", event(n)) for n in range(1, 8)])
    assert results == [(n, True) for n in range(1, 8)]
    assert await ledger.last_seq() == 7
    rows = await ledger.read(3)
    assert [seq for seq, _, _ in rows] == [4, 5, 6, 7]
    assert [body for _, _, body in rows] == [event(n) for n in range(4, 8)]  # bytes-exact bodies
    assert [seq for seq, _, _ in await ledger.read(2, limit=2)] == [3, 4]
    assert await ledger.read(7) == []


async def test_snapshots_and_credentials(ledger_env: tuple[Ledger, RedisServer | None]) -> None:
    ledger, _ = ledger_env
    assert await ledger.load_snapshot("t") is None
    await ledger.save_snapshot(5, "t", b"\x00body\xff")
    assert await ledger.load_snapshot("t") == (5, b"\x00body\xff")
    await ledger.put_credential("j1", "digest")
    assert await ledger.credential("j1") == "digest" and await ledger.credential("j2") is None


async def test_a_ledger_that_is_down_raises_promptly(
    ledger_env: tuple[Ledger, RedisServer | None], tmp_path: Path
) -> None:
    ledger, server = ledger_env
    await ledger.append([("k1", event(1))])
    if server is None:
        # SQLite cannot go away under a hub; what it can be is not a ledger: a clear error.
        bad = tmp_path / "garbage.db"
        bad.write_bytes(b"this is not a database" * 100)
        with pytest.raises(LedgerCorrupt, match="not a Scorecast ledger"):
            await open_ledger(f"sqlite:///{bad}").open()
        return
    server.kill()
    async with asyncio.timeout(DOWN_WITHIN):
        with pytest.raises(LedgerUnavailable, match="unreachable"):
            await ledger.append([("k2", event(2))])
        with pytest.raises(LedgerUnavailable):
            await ledger.read(0)
        status = await ledger.status()
    assert status["connected"] is False and status["warnings"]


@pytest.fixture(params=BROKERS)
async def broker_env(
    request: pytest.FixtureRequest, redis_factory: RedisFactory
) -> AsyncIterator[tuple[str, RedisServer | None]]:
    server = redis_factory() if request.param == "redis" else None
    yield (server.url if server is not None else "memory://"), server


async def open_one(url: str, got: list[bytes], reconnects: list[int]) -> Broker:
    async def on_message(payload: bytes) -> None:
        got.append(payload)

    async def on_reconnect() -> None:
        reconnects.append(1)

    broker = open_broker(url, "scorecast:contract")
    await broker.open(on_message, on_reconnect)
    return broker


async def test_broker_carries_bytes_in_order(broker_env: tuple[str, RedisServer | None]) -> None:
    url, server = broker_env
    got_a: list[bytes] = []
    got_b: list[bytes] = []
    a = await open_one(url, got_a, [])
    b = await open_one(url, got_b, [])
    payloads = [msgpack.packb([[n, event(n)]]) for n in range(1, 6)] + [b"\xff\x00raw"]
    try:
        for p in payloads:
            await a.publish(p)
        assert a.status()["connected"] is True
        if server is None:
            assert got_b == [] and a.status()["published"] == len(payloads)  # one process
        else:
            async with asyncio.timeout(5):
                while len(got_b) < len(payloads):
                    await asyncio.sleep(0.01)
            assert got_b == payloads  # the same bytes, in publish order, never decoded
    finally:
        await a.close()
        await b.close()


async def test_a_broker_that_is_down_raises_promptly(
    broker_env: tuple[str, RedisServer | None],
) -> None:
    url, server = broker_env
    reconnects: list[int] = []
    broker = await open_one(url, [], reconnects)
    assert reconnects == ([1] if server is not None else [])  # a catch-up after subscribing
    try:
        if server is None:
            await broker.publish(b"x")  # nothing to be down: one process
            assert broker.status()["connected"] is True
            return
        server.kill()
        async with asyncio.timeout(DOWN_WITHIN):
            with pytest.raises(BackendError, match="redis"):
                await broker.publish(b"x")
            while broker.status()["connected"]:
                await asyncio.sleep(0.05)
    finally:
        await broker.close()
