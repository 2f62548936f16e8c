"""Redis pub/sub broker: ledger events between hubs, as raw msgpack bytes.

Redis pub/sub is fire-and-forget: whatever is published while a subscriber
is disconnected is gone for it. So the listener never trusts its
subscription silently:

- a dead subscription (the connection drops, Redis restarts, or Redis kills
  the subscriber with ``CLIENT KILL TYPE pubsub`` or for a full output
  buffer) surfaces as an error, because the client's own silent
  reconnect-and-resubscribe is turned off;
- a quiet one is probed with PING every few seconds; no PONG in time means
  dead;
- after each (re)subscription the listener calls ``on_reconnect`` (the
  hub's catch-up from the ledger), so everything published while it was
  away is read from the ledger; until that succeeds it retries with backoff.

Messages that arrive twice (published, then also read in the catch-up) are
skipped by the hub, which applies each ``seq`` once.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from ..errors import BrokerUnavailable
from ..ledger.redis import connect, redacted
from ..logs import log
from . import Handler

PING_EVERY = 5.0  # seconds of silence before the subscription is probed
PONG_WITHIN = 3.0
BACKOFF_FIRST = 0.05
BACKOFF_MAX = 2.0


class SubscriptionLost(Exception):
    pass


class RedisBroker:
    def __init__(self, url: str, topic: str) -> None:
        self.url = url
        self.channel = topic.encode()
        self.connected = False
        self.reconnects = 0
        self.received = 0
        self.published = 0
        self.last_error: str | None = None
        self.down_since: float | None = None
        self._task: asyncio.Task[None] | None = None
        self._publisher = connect(url)
        # No silent reconnect on the subscriber: a lost subscription must raise, so we catch up.
        self._subscriber = connect(url, retry=Retry(NoBackoff(), 0), socket_timeout=None)

    async def open(self, on_message: Handler, on_reconnect: Callable[[], Awaitable[Any]]) -> None:
        self.on_message = on_message
        self.on_reconnect = on_reconnect
        pubsub = await self._subscribe()
        await (
            on_reconnect()
        )  # whatever was published between the hub's restore and this subscription
        self._task = asyncio.create_task(self._listen(pubsub), name="broker-listener")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self._publisher.aclose()
        await self._subscriber.aclose()

    async def publish(self, payload: bytes) -> None:
        try:
            await self._publisher.publish(self.channel, payload)
        except (RedisError, OSError) as e:
            raise BrokerUnavailable(
                f"cannot publish on redis at {redacted(self.url)} ({e or type(e).__name__})"
            ) from e
        self.published += 1

    async def _subscribe(self) -> PubSub:
        pubsub = self._subscriber.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            # the confirmation: once it is read, every later publish reaches us
            while True:
                msg = await pubsub.get_message(timeout=PONG_WITHIN)
                if msg is None:
                    raise SubscriptionLost("no subscribe confirmation")
                if msg["type"] == "subscribe":
                    break
        except BaseException:
            with contextlib.suppress(Exception):
                await pubsub.aclose()  # type: ignore[no-untyped-call]
            raise
        self.connected = True
        return pubsub

    async def _listen(self, pubsub: PubSub | None) -> None:
        delay = BACKOFF_FIRST
        while True:
            try:
                if pubsub is None:
                    pubsub = await self._subscribe()
                    await self.on_reconnect()
                    self.reconnects += 1
                    log(
                        "broker.resubscribed",
                        channel=self.channel.decode(),
                        reconnects=self.reconnects,
                        down_seconds=round(
                            time.monotonic() - (self.down_since or time.monotonic()), 3
                        ),
                    )
                    self.down_since = None
                delay = BACKOFF_FIRST
                await self._receive(pubsub)
            except asyncio.CancelledError:
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()  # type: ignore[no-untyped-call]
                raise
            except Exception as e:  # noqa: BLE001 — any failure: resubscribe, then catch up
                if self.connected or self.down_since is None:
                    log("broker.subscription_lost", error=repr(e))
                    self.down_since = time.monotonic()
                self.connected = False
                self.last_error = f"{type(e).__name__}: {e}"
                if pubsub is not None:
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()  # type: ignore[no-untyped-call]
                    pubsub = None
                await asyncio.sleep(delay * (0.5 + random.random()))
                delay = min(delay * 2, BACKOFF_MAX)

    async def _receive(self, pubsub: PubSub) -> None:
        """Hand every message to the hub until the subscription fails."""
        quiet_since = time.monotonic()
        pinged_at: float | None = None
        while True:
            msg = await pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            if msg is None:
                if pinged_at is not None and now - pinged_at > PONG_WITHIN:
                    raise SubscriptionLost(f"no PONG within {PONG_WITHIN}s")
                if pinged_at is None and now - quiet_since > PING_EVERY:
                    await pubsub.ping()
                    pinged_at = now
                continue
            quiet_since, pinged_at = now, None
            if msg["type"] == "message":
                self.received += 1
                await self.on_message(msg["data"])
            elif msg["type"] in ("unsubscribe", "sunsubscribe"):
                raise SubscriptionLost("unsubscribed by the server")

    def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "backend": "redis",
            "url": redacted(self.url),
            "channel": self.channel.decode(),
            "connected": self.connected,
            "reconnects": self.reconnects,
            "received": self.received,
            "published": self.published,
            "last_error": self.last_error,
        }
        if not self.connected:
            down = time.monotonic() - self.down_since if self.down_since else 0.0
            out["warnings"] = [
                f"broker subscription lost {down:.1f}s ago; resubscribing ({self.last_error})"
            ]
        return out
