"""What the ASGI app shares between endpoints, and the one typed way to reach it."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from .auth import judge_of, verify
from .config import Settings
from .errors import FrameError
from .guard import AuthThrottle, Unauthenticated
from .hub import Hub
from .metrics import Metrics


@dataclass
class AppState:
    settings: Settings
    hub: Hub
    throttle: AuthThrottle = field(init=False)
    unauthenticated: Unauthenticated = field(init=False)

    def __post_init__(self) -> None:
        metrics = self.hub.metrics if self.hub is not None else Metrics()
        s = self.settings
        self.throttle = AuthThrottle(metrics, s.auth_failures, s.auth_lockout_max)
        self.unauthenticated = Unauthenticated(metrics, s.max_unauthenticated)

    async def authenticate(self, token: str, address: str, endpoint: str) -> str:
        """The judge id a credential belongs to, or a ``bad_credential`` error; ``rate_limited``
        (``Throttled``) while ``address`` or the judge it names is locked out (``server/guard.py``)."""
        judge = judge_of(token)
        known = judge if judge in self.hub.competition.judges else None
        self.throttle.check(address, known)
        stored = await self.hub.ledger.credential(judge) if known else None
        if stored is None or not verify(token, stored):
            self.throttle.failed(address, known, endpoint)
            raise FrameError(
                "bad_credential",
                "this credential is not valid; ask the organizer for yours (scorecast credentials)",
            )
        return judge


def state_of(app: Starlette) -> AppState:
    """The hub's state, set by the app's lifespan (``server/app.py``) before any request."""
    st = getattr(app.state, "scorecast", None)
    if not isinstance(st, AppState):
        raise RuntimeError("the hub is not started: serve the app with its lifespan")
    return st


def app_state(conn: HTTPConnection) -> AppState:
    """The hub's state, for a request or a WebSocket."""
    return state_of(conn.app)


def client_address(conn: HTTPConnection) -> str:
    """The peer's address (the proxy's, unless uvicorn trusts its forwarded headers)."""
    return conn.client.host if conn.client else "unknown"


def origin_allowed(conn: HTTPConnection, allowed: set[str]) -> bool:
    """No Origin (a non-browser client), the hub's own origin, or one that is allowed."""
    origin = conn.headers.get("origin")
    if origin is None or "*" in allowed or origin in allowed:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host")
