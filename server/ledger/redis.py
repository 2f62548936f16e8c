"""Redis ledger: one global order per competition, assigned by Redis, shared by every hub.

Keys, all under the hash tag ``{<namespace>}`` (one cluster slot), the
namespace being ``scorecast:<competition id>``:

    {ns}:seq              string   the last sequence number assigned
    {ns}:events           stream   entry id ``<seq>-0``, fields k (idempotency key), e (msgpack event)
    {ns}:keys             hash     idempotency key → seq
    {ns}:credentials      hash     judge id → salted digest
    {ns}:snapshot:<tag>   hash     seq, body (a pickled scoreboard for fast restarts)
    {ns}:records          list     seqs of the competition's definition and amendments
    {ns}:chain            hash     seq → hash link (server/chain.py), stored by the hubs

Appending is one Lua script (atomic: no other command runs between its
steps): for each event, a known key returns its original seq; a new one
gets ``seq + 1``, is added to the stream, recorded in the keys hash, and the
new events are published on the channel ``<namespace>`` as
``msgpack([[seq, event, key], ...])``. Because the publish happens inside
the script, the order of messages on the channel is the ledger order.

Durability is Redis's: an append is acknowledged after Redis replies, which
with ``appendonly yes`` and ``appendfsync always`` is after the fsync. With ``?wait=N``
(``server/redis_url.py``, also on ``redis+sentinel://``) an append is acknowledged only once
``WAIT`` confirms N replicas hold it, else ``LedgerUnavailable`` (retry; the resend waits
again). The payloads are bytes (msgpack); nothing is ever decoded as text by the client.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import msgpack
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.exceptions import RedisError, ResponseError

from ..errors import BackendUnreachable, LedgerUnavailable
from ..redis_url import client as redis_client
from ..redis_url import parse
from . import EventOrder
from .redis_chain import SAVE_SNAPSHOT, RedisChain

# KEYS: seq, events, keys, records; ARGV: channel, then key/body pairs. Every check comes before the
# first write: a failing XADD (an id that does not grow) leaves nothing half-written.
APPEND = """
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local out, fresh = {}, {}
for i = 2, #ARGV, 2 do
  local key, body = ARGV[i], ARGV[i + 1]
  local known = redis.call('HGET', KEYS[3], key)
  if known then
    out[#out + 1] = {tonumber(known), 0}
  else
    last = last + 1
    redis.call('XADD', KEYS[2], last .. '-0', 'k', key, 'e', body)
    redis.call('HSET', KEYS[3], key, last)
    if string.sub(key, 1, 7) == 'record:' then redis.call('RPUSH', KEYS[4], last) end
    out[#out + 1] = {last, 1}
    fresh[#fresh + 1] = '\\147' .. cmsgpack.pack(last) .. body .. cmsgpack.pack(key)
  end
end
if #fresh > 0 then
  redis.call('SET', KEYS[1], last)
  local n, head = #fresh, nil
  if n < 16 then head = string.char(0x90 + n) else head = string.char(0xdc, math.floor(n / 256), n % 256) end
  redis.call('PUBLISH', ARGV[1], head .. table.concat(fresh))
end
return out
"""

MAX_BATCH = 10000  # the script's array header holds up to 65535 entries


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    user, _, hosts = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{hosts}"))


def connect(url: str, **kw: Any) -> aioredis.Redis:
    """A client that fails fast: a judge waiting on a dead Redis should hear "unavailable" soon."""
    options: dict[str, Any] = {
        "socket_connect_timeout": 2.0,
        "socket_timeout": 5.0,
        "retry": Retry(ExponentialBackoff(cap=0.2, base=0.02), 2),
        "decode_responses": False,
        "client_name": "scorecast",
    }
    options.update(kw)
    return redis_client(url, **options)


@contextlib.contextmanager
def unavailable(url: str) -> Iterator[None]:
    """Redis down or timing out: the tree's ``LedgerUnavailable`` (retry), never a hang."""
    try:
        yield
    except (RedisError, OSError) as e:
        raise LedgerUnavailable(
            f"redis is unreachable at {redacted(url)} ({e or type(e).__name__}); retry"
        ) from e


class RedisLedger(RedisChain):
    """The ledger in Redis: the order is Redis's, so several hubs can append at once."""

    order: ClassVar[EventOrder] = (
        EventOrder.GLOBAL
    )  # the hub applies events in ledger order, after appending them
    sealed_by_ledger: ClassVar[bool] = False  # the hubs store the links (docs/operations.md)

    def __init__(self, url: str, namespace: str = "scorecast") -> None:
        self.url = url
        self.namespace = namespace
        self.channel = namespace.encode()
        prefix = "{" + namespace + "}:"
        self.k_seq = prefix + "seq"
        self.k_events = prefix + "events"
        self.k_keys = prefix + "keys"
        self.k_credentials = prefix + "credentials"
        self.k_snapshot = prefix + "snapshot:"
        self.k_records = prefix + "records"
        self.k_chain = prefix + "chain"
        self.k_fence = prefix + "fence"
        self.target = parse(url)
        self._client: aioredis.Redis | None = None

    @property
    def client(self) -> aioredis.Redis:
        if self._client is None:
            raise RuntimeError("the ledger is not open")
        return self._client

    def _guard(self) -> Any:
        return unavailable(self.url)

    async def open(self) -> None:
        self._client = connect(self.url)
        self._append = self._client.register_script(APPEND)
        self._save = self._client.register_script(SAVE_SNAPSHOT)
        try:
            await self._client.ping()
        except RedisError as e:
            await self.close()
            raise BackendUnreachable(
                f"cannot reach Redis at {redacted(self.url)} ({e}); start it or fix --store"
            ) from None

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def append(self, items: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, bool]]:
        out: list[tuple[int, bool]] = []
        for start in range(0, len(items), MAX_BATCH):
            args: list[bytes | str] = [self.channel]
            for key, event in items[start : start + MAX_BATCH]:
                args += [key, msgpack.packb(event)]
            keys = [self.k_seq, self.k_events, self.k_keys, self.k_records]
            with unavailable(self.url):
                if self.target.wait_replicas <= 0:
                    rows = await self._append(keys=keys, args=args)
                else:
                    pipe = self.client.pipeline(transaction=False)
                    await self._append(keys=keys, args=args, client=pipe)
                    rows = (await self._replicated(pipe))[0]
            out += [(int(seq), bool(created)) for seq, created in rows]
        return out

    async def confirm(self) -> None:
        """Return once ``wait`` replicas hold every write so far (the ack of a resend whose first
        append was not confirmed); ``LedgerUnavailable`` if they do not in ``wait_ms``."""
        if self.target.wait_replicas > 0:
            with unavailable(self.url):
                await self._replicated(self.client.pipeline(transaction=False))

    async def _replicated(self, pipe: Any) -> list[Any]:
        """Run ``pipe`` then a fence write and ``WAIT`` on its connection. The fence makes the
        connection's offset the primary's latest, so ``WAIT`` covers every earlier write (also
        another hub's, and a resent key the script only looked up)."""
        pipe.incr(self.k_fence)
        pipe.execute_command("WAIT", self.target.wait_replicas, self.target.wait_ms)
        replies: list[Any] = await pipe.execute()
        done = int(replies[-1])
        if done < self.target.wait_replicas:
            raise LedgerUnavailable(
                f"only {done} of {self.target.wait_replicas} redis replicas confirmed the write "
                f"within {self.target.wait_ms} ms (wait=); not acknowledged, retry"
            )
        return replies

    async def read(self, after: int, limit: int = 10000) -> list[tuple[int, str, dict[str, Any]]]:
        with unavailable(self.url):
            rows: Any = await self.client.xrange(
                self.k_events, min=f"{after + 1}-0", max="+", count=limit
            )
        out = []
        for entry_id, fields in rows:
            seq = int(entry_id.split(b"-", 1)[0])
            out.append((seq, fields[b"k"].decode(), msgpack.unpackb(fields[b"e"])))
        return out

    async def last_seq(self) -> int:
        with unavailable(self.url):
            raw = await self.client.get(self.k_seq)
        return int(raw) if raw else 0

    async def seq_of(self, key: str) -> int | None:
        with unavailable(self.url):
            raw = await self.client.hget(self.k_keys, key)
        return int(raw) if raw else None

    async def keys(self) -> dict[str, int]:
        out: dict[str, int] = {}
        async for key, seq in self.client.hscan_iter(self.k_keys, count=5000):
            out[key.decode()] = int(seq)
        return out

    async def put_credential(self, judge: str, digest: str) -> None:
        await self.client.hset(self.k_credentials, judge, digest)

    async def credential(self, judge: str) -> str | None:
        raw: Any = await self.client.hget(self.k_credentials, judge)
        return raw.decode() if raw is not None else None

    async def save_snapshot(self, seq: int, tag: str, body: bytes) -> None:
        await self._save(keys=[self.k_snapshot + tag], args=[seq, body])

    async def load_snapshot(self, tag: str) -> tuple[int, bytes] | None:
        seq, body = await self.client.hmget(self.k_snapshot + tag, ["seq", "body"])
        if seq is None or body is None:
            return None
        return int(seq), body if isinstance(body, bytes) else body.encode()

    async def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "backend": "redis",
            "url": redacted(self.url),
            "namespace": self.namespace,
            "sentinel": self.target.is_sentinel,
            "wait_replicas": self.target.wait_replicas,
        }
        try:
            async with asyncio.timeout(2.0):
                out["seq"] = await self.last_seq()
                out.update(await self._persistence())
            out["connected"] = True
        except (RedisError, OSError, TimeoutError, LedgerUnavailable) as e:
            cause = e.__cause__ if isinstance(e, LedgerUnavailable) and e.__cause__ else e
            return {
                **out,
                "connected": False,
                "error": str(cause) or type(cause).__name__,
                "warnings": [
                    f"redis is unreachable at {redacted(self.url)}: judges get 'unavailable'"
                ],
            }
        return out

    async def _persistence(self) -> dict[str, Any]:
        try:
            appendonly = _config_value(await self.client.config_get("appendonly"))
            appendfsync = _config_value(await self.client.config_get("appendfsync"))
        except ResponseError:  # CONFIG is often renamed away on managed Redis: ask INFO instead
            info = await self.client.info("persistence")
            appendonly = "yes" if info.get("aof_enabled") else "no"
            appendfsync = "unknown"
        warnings = []
        if appendonly != "yes":
            warnings.append(
                "redis does not persist: set appendonly yes (and appendfsync always) or a restart "
                "of Redis loses the ledger; see docs/operations.md"
            )
        elif appendfsync not in ("always", "unknown"):
            warnings.append(
                f"redis appendfsync is {appendfsync}: acknowledged marks survive a Redis crash but "
                "up to a second of them can be lost if the machine fails; set appendfsync always"
            )
        return {
            "appendonly": appendonly,
            "appendfsync": appendfsync,
            "durable": appendonly == "yes" and appendfsync == "always",
            "warnings": warnings,
        }


def _config_value(reply: dict[Any, Any]) -> str:
    """CONFIG GET's single value (the client decodes its keys and values, whatever its settings)."""
    value = next(iter(reply.values()), "")
    return value.decode() if isinstance(value, bytes) else str(value)
