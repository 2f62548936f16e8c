"""The Redis ledger's record and chain keys (issue 13): definition/amendment seqs and hash links."""

from __future__ import annotations

from typing import Any

import msgpack
import redis.asyncio as aioredis

from ..chain import GENESIS

# KEYS: snapshot hash; ARGV: seq, body. A snapshot never replaces a newer one (several hubs save).
SAVE_SNAPSHOT = """
local held = tonumber(redis.call('HGET', KEYS[1], 'seq') or '-1')
if tonumber(ARGV[1]) > held then
  redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'body', ARGV[2])
  return 1
end
return 0
"""


class RedisChain:
    """Mixed into ``RedisLedger``: ``{ns}:records`` and ``{ns}:chain`` (see its docstring)."""

    url: str
    k_events: str
    k_records: str
    k_chain: str

    @property
    def client(self) -> aioredis.Redis:
        raise NotImplementedError

    async def last_seq(self) -> int:
        raise NotImplementedError

    def _guard(self) -> Any:
        """``unavailable(url)`` of server/ledger/redis.py: a Redis error becomes LedgerUnavailable."""
        raise NotImplementedError

    async def read_chain(
        self, after: int, limit: int = 10000
    ) -> list[tuple[int, str, bytes, str | None]]:
        with self._guard():
            rows: Any = await self.client.xrange(
                self.k_events, min=f"{after + 1}-0", max="+", count=limit
            )
            seqs = [int(entry_id.split(b"-", 1)[0]) for entry_id, _ in rows]
            links: list[Any] = await self.client.hmget(self.k_chain, seqs) if seqs else []
        return [
            (seq, fields[b"k"].decode(), bytes(fields[b"e"]), h.decode() if h else None)
            for seq, (_, fields), h in zip(seqs, rows, links, strict=True)
        ]

    async def records(self) -> list[tuple[int, str, dict[str, Any]]]:
        with self._guard():
            seqs: Any = await self.client.lrange(self.k_records, 0, -1)
            out = []
            for raw in seqs:
                seq = int(raw)
                rows: Any = await self.client.xrange(self.k_events, min=f"{seq}-0", max=f"{seq}-0")
                for _, fields in rows:
                    out.append((seq, fields[b"k"].decode(), msgpack.unpackb(fields[b"e"])))
        return out

    async def head(self) -> tuple[int, str]:
        seq = await self.last_seq()
        return seq, (await self.hash_at(seq)) or ""

    async def hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS
        with self._guard():
            raw: Any = await self.client.hget(self.k_chain, str(seq))
        return raw.decode() if raw else None

    async def seal(self, links: list[tuple[int, str]]) -> None:
        """HSETNX each link (one round trip): a link another hub stored first is kept."""
        if not links:
            return
        with self._guard():
            async with self.client.pipeline(transaction=False) as pipe:
                for seq, h in links:
                    pipe.hsetnx(self.k_chain, str(seq), h)
                await pipe.execute()
