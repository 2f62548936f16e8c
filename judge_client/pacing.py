"""How fast the client goes: reconnect backoff, the send rate, and retry holds."""

from __future__ import annotations

import asyncio
import random
import time


class Backoff:
    """Exponential backoff with full jitter: a random delay in [0, min(cap, base·2^attempt)]."""

    def __init__(self, base: float = 0.25, cap: float = 10.0) -> None:
        self.base, self.cap, self.attempt = base, cap, 0

    def next(self) -> float:
        ceiling = min(self.cap, self.base * 2**self.attempt)
        self.attempt += 1
        return random.uniform(ceiling / 4, ceiling)  # never 0: a hub that is back gets a breath

    def reset(self) -> None:
        self.attempt = 0


class TokenBucket:
    """Stay under the hub's per-connection rate limit (``judge_rate``, 50 a second by default)."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate
        self.at = time.monotonic()

    async def take(self) -> None:
        while True:
            now = time.monotonic()
            self.tokens = min(self.rate, self.tokens + (now - self.at) * self.rate)
            self.at = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


def retry_delay(tries: int) -> float:
    """How long a frame refused for a transient reason waits before it is sent again."""
    return random.uniform(0.5, 1.0) * min(5.0, 0.1 * 2.0**tries)
