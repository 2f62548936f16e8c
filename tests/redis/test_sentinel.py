"""Redis behind Sentinel, for real: three ``redis-server --sentinel``, a primary and a replica."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.redis_url import RedisURLError, client, confirm_replicated, parse
from tests.helpers import redis_server_path
from tests.redis.sentinel import SentinelGroup


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
