"""What the ASGI app shares between endpoints, and the one typed way to reach it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import HTTPConnection

from .auth import judge_of, verify
from .config import Settings
from .errors import FrameError
from .hub import Hub


@dataclass
class AppState:
    settings: Settings
    hub: Hub

    async def authenticate(self, token: str) -> str:
        """The judge id a credential belongs to, or a ``bad_credential`` error."""
        judge = judge_of(token)
        stored = await self.hub.ledger.credential(judge) if judge else None
        if stored is None or not verify(token, stored) or judge not in self.hub.competition.judges:
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


def origin_allowed(conn: HTTPConnection, allowed: set[str]) -> bool:
    """No Origin (a non-browser client), the hub's own origin, or one that is allowed."""
    origin = conn.headers.get("origin")
    if origin is None or "*" in allowed or origin in allowed:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host")
