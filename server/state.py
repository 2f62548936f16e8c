"""What the ASGI app shares between endpoints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection

from .auth import judge_of, verify
from .codec import FrameError
from .config import Settings
from .hub import Hub


@dataclass
class AppState:
    settings: Settings
    hub: Hub
    extra: dict[str, Any] = field(default_factory=dict)

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


def origin_allowed(conn: HTTPConnection, allowed: set[str]) -> bool:
    """No Origin (a non-browser client), the hub's own origin, or one that is allowed."""
    origin = conn.headers.get("origin")
    if origin is None or "*" in allowed or origin in allowed:
        return True
    return urlsplit(origin).netloc == conn.headers.get("host")
