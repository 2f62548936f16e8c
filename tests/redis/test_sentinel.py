"""Redis behind Sentinel, for real: three ``redis-server --sentinel``, a primary and a replica."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.redis_url import RedisURLError, client, confirm_replicated, parse
from tests.conftest import RedisFactory
from tests.helpers import redis_server_path
from tests.hubkit import judge, mark
from tests.redis.kit import ResendingJudge, converged, poll, read_ledger, screens, start_hubs
from tests.redis.sentinel import SentinelGroup
from tests.redis.test_scaleout import mark_stream, marks


def test_urls_parse_to_their_parts_and_bad_ones_say_what_to_write() -> None:
    t = parse("redis+sentinel://a:26379,b:26380/scorecast/2?wait=1&wait_ms=250")
    assert t.sentinels == (("a", 26379), ("b", 26380)) and t.service == "scorecast"
    assert (t.db, t.wait_replicas, t.wait_ms) == (2, 1, 250)
    plain = parse("redis://h:6379/0?wait=1")
    assert plain.url == "redis://h:6379/0" and plain.wait_replicas == 1 and not plain.is_sentinel
    for bad, says in [
        ("redis+sentinel://a:26379", "needs the sentinels and the service"),
        ("redis+sentinel://a/x/0", "must be host:port"),
        ("redis://h/0?wait=yes", "whole number"),
        ("memcached://h", "not a Redis URL"),
    ]:
        with pytest.raises(RedisURLError, match=says):
            parse(bad)


@pytest.fixture
def group(tmp_path: Path) -> Iterator[SentinelGroup]:
    exe = redis_server_path()
    if exe is None:
        pytest.fail("redis-server not found: ./scripts/install.sh", pytrace=False)
    g = SentinelGroup(exe, tmp_path).start()
    try:
        yield g
    finally:
        g.kill()


@pytest.mark.redis
@pytest.mark.slow
async def test_the_client_follows_a_failover_and_wait_confirms_a_replica(
    group: SentinelGroup,
) -> None:
    url = group.url + "?wait=1&wait_ms=2000"
    r = client(url, socket_timeout=2.0, socket_connect_timeout=2.0)
    try:
        await r.set("k", "before")
        assert await confirm_replicated(r, parse(url)) == 1
        new_port = await asyncio.to_thread(group.kill_primary)
        assert new_port == group.replica.port
        for _ in range(50):  # the first command after the failover may meet the dead primary
            try:
                assert await r.get("k") == b"before"
                await r.set("k", "after")
                break
            except (ConnectionError, OSError, TimeoutError) as e:
                last = e
                await asyncio.sleep(0.2)
        else:
            raise AssertionError(f"the client never reached the new primary: {last!r}")
        assert await r.get("k") == b"after"
    finally:
        await r.aclose()


@pytest.mark.redis
@pytest.mark.slow
async def test_two_hubs_on_sentinel_lose_no_acked_mark_when_the_primary_is_killed(
    group: SentinelGroup, tmp_path: Path
) -> None:
    url = group.url + "?wait=1&wait_ms=1000"  # an ack waits until the replica holds the mark
    a, b = hubs = start_hubs(tmp_path / "hubs", url, 2)
    try:
        watching = await screens(a) + await screens(b)
        judges = {
            (p, n): ResendingJudge([a, b] if n % 2 else [b, a], f"{p}-j{n}")
            for p in ("weld", "cook")
            for n in (1, 2, 3)
        }
        stream = asyncio.create_task(mark_stream(judges, 30))
        await poll(lambda: sum(len(j.acks) for j in judges.values()) >= 40, 20, "marks flowing")
        acked_before = sum(len(j.acks) for j in judges.values())
        new_port = await asyncio.to_thread(group.kill_primary)  # SIGKILL while judges mark
        old = group.primary
        group.primary, group.replica = group.replica, old
        assert group.primary.port == new_port
        await asyncio.sleep(1.0)  # the new primary has no replica yet: wait=1 refuses the acks
        old.start()  # the sentinels make the old primary a replica of the new one
        await asyncio.to_thread(group.wait_replicated, group.primary, 30)
        await asyncio.wait_for(stream, 90)
        assert sum(len(j.acks) for j in judges.values()) > acked_before
        assert sum(j.unavailable for j in judges.values()) > 0, "judges were told to retry"
        events = [e for e in await read_ledger(url) if not e[1].startswith("record:")]
        assert events[0][0] == 2  # seq 1: the competition's definition
        sent = {m[0] for (p, n) in judges for m in marks(p, n, 30)}
        keys = [key.split(":", 1)[1] for _, key, _ in events]
        assert sorted(keys) == sorted(sent), "every mark exactly once"
        assert [seq for seq, _, _ in events] == list(range(2, len(events) + 2))
        acked = {mid: seq for j in judges.values() for mid, seq in j.acks.items()}
        assert {key.split(":", 1)[1]: seq for seq, key, _ in events} == acked
        for s in watching:  # a hub that rebuilt after the failover closed its viewers: reopen
            if s.closed.is_set():
                await s.open()
        await converged(watching, url, timeout=20)
        for hub in hubs:
            await poll(
                lambda h=hub: httpx.get(f"{h.http}/healthz").json()["seq"] == len(events) + 1,
                15,
                "every hub at the ledger's end",
            )
    finally:
        for hub in hubs:
            hub.kill()


@pytest.mark.redis
async def test_wait_without_a_replica_acks_nothing_and_the_resend_is_idempotent(
    redis_factory: RedisFactory, tmp_path: Path
) -> None:
    server = redis_factory()
    url = server.url + "?wait=1&wait_ms=200"  # no replica: WAIT can never confirm
    (hub,) = start_hubs(tmp_path / "hubs", url, 1)
    try:
        c = await judge(hub, "weld-j1")
        for _ in range(2):  # the first append and its resend: refused alike, nothing acked
            reply = await mark(c, "m1", "weld", "weld-1", "B1", "7.5")
            assert reply["type"] == "error", reply
            assert reply["code"] == "unavailable" and reply["retry"] is True, reply
            assert "replicas" in reply["message"]
        events = [e for e in await read_ledger(url) if not e[1].startswith("record:")]
        assert [key.split(":", 1)[1] for _, key, _ in events] == ["m1"], "stored once"
    finally:
        hub.kill()
