"""Redis addresses: one server (``redis://``, ``rediss://``) or a Sentinel group (``redis+sentinel://``).

    redis://host:6379/0
    redis+sentinel://s1:26379,s2:26379,s3:26379/scorecast/0?wait=1&wait_ms=500

A Sentinel URL lists the sentinels, then the service (``sentinel monitor <name>``) and the
database. The client asks the sentinels for the primary and follows a failover by itself.
``wait=N`` makes every ledger append wait until N replicas hold it (Redis ``WAIT``, at most
``wait_ms``, default 1000): an append the replicas did not confirm in time is not
acknowledged, so a failover can lose no acknowledged mark. ``wait`` is accepted on a plain
``redis://`` URL too (a primary with replicas but no sentinels).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import redis.asyncio as aioredis
from redis.asyncio.sentinel import Sentinel

from .errors import ConfigError

SCHEMES = ("redis://", "rediss://", "redis+sentinel://")


class RedisURLError(ConfigError, ValueError):
    """A Redis URL that cannot be used; the message says what to write instead."""


@dataclass(frozen=True)
class RedisTarget:
    url: str  # for redis:// and rediss://: the URL as given, without our own query options
    sentinels: tuple[tuple[str, int], ...] = ()
    service: str = ""
    db: int = 0
    password: str | None = None
    wait_replicas: int = 0
    wait_ms: int = 1000

    @property
    def is_sentinel(self) -> bool:
        return bool(self.sentinels)


def _int(options: dict[str, list[str]], name: str, default: int, url: str) -> int:
    if name not in options:
        return default
    raw = options[name][-1]
    if not raw.isdigit():
        raise RedisURLError(f"{name}={raw!r} in {url!r} must be a whole number ≥ 0")
    return int(raw)


def parse(url: str) -> RedisTarget:
    parts = urlsplit(url)
    options = parse_qs(parts.query)
    wait, wait_ms = _int(options, "wait", 0, url), _int(options, "wait_ms", 1000, url)
    if parts.scheme in ("redis", "rediss"):
        rest = {k: v for k, v in options.items() if k not in ("wait", "wait_ms")}
        query = "&".join(f"{k}={v[-1]}" for k, v in rest.items())
        plain = parts._replace(query=query).geturl()
        return RedisTarget(plain, wait_replicas=wait, wait_ms=wait_ms)
    if parts.scheme != "redis+sentinel":
        raise RedisURLError(f"{url!r} is not a Redis URL; use redis://host:port/0 or {SCHEMES[2]}…")
    hosts = parts.netloc.rpartition("@")[2]
    sentinels = []
    for item in filter(None, hosts.split(",")):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise RedisURLError(f"sentinel {item!r} in {url!r} must be host:port")
        sentinels.append((host, int(port)))
    path = [p for p in parts.path.split("/") if p]
    if not sentinels or not path:
        raise RedisURLError(
            f"{url!r} needs the sentinels and the service: "
            "redis+sentinel://s1:26379,s2:26379,s3:26379/<service>/<db>"
        )
    db = path[1] if len(path) > 1 else "0"
    if not db.isdigit():
        raise RedisURLError(f"the database {db!r} in {url!r} must be a number")
    password = unquote(parts.password) if parts.password else None
    return RedisTarget(url, tuple(sentinels), path[0], int(db), password, wait, wait_ms)


class SentinelRedis(aioredis.Redis):
    """The primary's client; closing it also closes its connections to the sentinels."""

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        manager = getattr(self.connection_pool, "sentinel_manager", None)
        for sentinel in getattr(manager, "sentinels", ()):
            await sentinel.aclose()


def client(url: str, **options: Any) -> aioredis.Redis:
    """A client of the server, or of the current primary of the Sentinel group, with ``options``
    (timeouts, retry, client name) on every connection."""
    target = parse(url)
    if not target.is_sentinel:
        return aioredis.Redis.from_url(target.url, **options)
    sentinel_options = {
        k: v for k, v in options.items() if k in ("socket_timeout", "socket_connect_timeout")
    }
    group = Sentinel(  # type: ignore[no-untyped-call]
        list(target.sentinels),
        sentinel_kwargs=sentinel_options,
        db=target.db,
        password=target.password,
        **options,
    )
    primary: aioredis.Redis = group.master_for(target.service, redis_class=SentinelRedis)
    return primary


async def confirm_replicated(redis: aioredis.Redis, target: RedisTarget) -> int:
    """Wait (``WAIT``) until ``target.wait_replicas`` replicas hold every write so far; how many
    did. Without ``wait`` it returns at once."""
    if target.wait_replicas <= 0:
        return 0
    done = await redis.execute_command(  # type: ignore[no-untyped-call]
        "WAIT", target.wait_replicas, target.wait_ms
    )
    return int(done)
