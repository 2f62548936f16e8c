"""Strangers at the door: unauthenticated connections capped per address, failed
authentications throttled per address and per judge, across connections and endpoints.

* ``Unauthenticated``: a ``/ws/judge`` socket counts against its client address from its
  accept until it authenticates (or closes); past ``max_unauthenticated`` a new one is closed
  with 1013. Viewers on ``/ws/live`` are anonymous by design (a venue's screens share one
  address) and are not counted.
* ``AuthThrottle``: every failed authentication (``auth`` on ``/ws/judge`` and ``/ws/live``, a
  subscribe with a token, ``/judge/api/*``) is counted for its client address and, when the
  credential names a judge of the competition, for that judge. ``auth_failures`` failures within
  ``AUTH_WINDOW`` seconds lock the key for 1 s, each further failure doubles it (at most
  ``auth_lockout_max``). While locked, attempts are not even checked: the answer is
  ``rate_limited`` with ``retry_after`` (seconds). A new connection does not reset anything.

State is per hub process and bounded (``MAX_KEYS`` keys, the oldest dropped first).
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from .errors import FrameError
from .logs import log
from .metrics import Metrics

AUTH_WINDOW = 60.0  # seconds over which failures are counted
MAX_KEYS = 50_000


class Throttled(FrameError):
    """Too many failed authentications from this address or for this judge: wait ``retry_after``."""

    def __init__(self, retry_after: float, by: str) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(
            "rate_limited",
            f"too many failed authentications {by}; wait {self.retry_after} s and check the "
            "credential (ask the organizer for yours)",
        )


class AuthThrottle:
    def __init__(
        self,
        metrics: Metrics,
        limit: int = 10,
        max_lockout: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.metrics = metrics
        self.limit = limit
        self.max_lockout = max_lockout
        self.clock = clock
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()
        self.locked_until: dict[str, float] = {}

    @staticmethod
    def keys(address: str, judge: str | None) -> list[tuple[str, str]]:
        out = [("address", f"address:{address}")]
        if judge:
            out.append(("judge", f"judge:{judge}"))
        return out

    def check(self, address: str, judge: str | None) -> None:
        """Raise ``Throttled`` while the address or the judge is locked out."""
        now = self.clock()
        for by, key in self.keys(address, judge):
            until = self.locked_until.get(key, 0.0)
            if until > now:
                self.metrics.inc("scorecast_auth_throttled_total", by=by)
                raise Throttled(until - now, f"from {address}" if by == "address" else "for it")

    def failed(self, address: str, judge: str | None, endpoint: str) -> None:
        now = self.clock()
        self.metrics.inc("scorecast_auth_failures_total", endpoint=endpoint)
        for by, key in self.keys(address, judge):
            times = self.failures.pop(key, None) or deque()
            self.failures[key] = times  # most recent last: the oldest are dropped first
            times.append(now)
            while times and times[0] < now - AUTH_WINDOW:
                times.popleft()
            if len(times) >= self.limit:
                lockout = min(self.max_lockout, 2.0 ** (len(times) - self.limit))
                self.locked_until[key] = now + lockout
                log(
                    "auth.locked_out",
                    logging.WARNING,
                    by=by,
                    address=address,
                    judge=judge,
                    failures=len(times),
                    seconds=lockout,
                )
        while len(self.failures) > MAX_KEYS:
            key, _ = self.failures.popitem(last=False)
            self.locked_until.pop(key, None)


class Unauthenticated:
    """Open ``/ws/judge`` sockets that have not authenticated yet, per client address."""

    def __init__(self, metrics: Metrics, cap: int = 20) -> None:
        self.metrics = metrics
        self.cap = cap
        self.open: dict[str, int] = {}

    def admit(self, address: str) -> bool:
        n = self.open.get(address, 0)
        if n >= self.cap:
            self.metrics.inc("scorecast_connections_refused_total", reason="unauthenticated_cap")
            log("ws.unauthenticated_cap", logging.WARNING, address=address, open=n, cap=self.cap)
            return False
        self.open[address] = n + 1
        self.metrics.inc("scorecast_unauthenticated_connections")
        return True

    def release(self, address: str) -> None:
        n = self.open.get(address, 0) - 1
        if n <= 0:
            self.open.pop(address, None)
        else:
            self.open[address] = n
        self.metrics.inc("scorecast_unauthenticated_connections", -1)
