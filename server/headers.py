"""Security headers on every HTTP response (issue 12, item 6).

Every page gets a Content-Security-Policy (scripts and styles from the hub only, no inline
script; ``style`` attributes allowed, the screens size their rows with a CSS variable there),
``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``. Framing:

* ``/overlay/*`` is made to be embedded (OBS, vMix, CasparCG browser sources, or a page of
  the broadcaster's, a ``file:`` template too): no ``frame-ancestors`` (``*`` would still
  refuse ``file:`` and opaque-origin parents), no ``X-Frame-Options``;
* everything else (the judge pad and desk, which hold a credential, the public site, the
  venue screens, the API) may not be framed: ``frame-ancestors 'none'`` and
  ``X-Frame-Options: DENY`` (browsers without CSP level 2).

A header the endpoint set itself is kept.
"""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMBEDDABLE = ("/overlay/",)
HOST = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")


def policy(host: str | None, embeddable: bool) -> str:
    sockets = f" ws://{host} wss://{host}" if host and HOST.match(host) else ""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "style-src-attr 'unsafe-inline'",
            "img-src 'self' data:",
            f"connect-src 'self'{sockets}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
        + ([] if embeddable else ["frame-ancestors 'none'"])
    )


def security_headers(path: str, host: str | None) -> list[tuple[bytes, bytes]]:
    embeddable = path.startswith(EMBEDDABLE)
    out = [
        (b"content-security-policy", policy(host, embeddable).encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]
    if not embeddable:
        out.append((b"x-frame-options", b"DENY"))
    return out


class SecurityHeaders:
    """ASGI middleware adding ``security_headers`` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), None)
        extra = security_headers(scope["path"], host)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                have = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra if k not in have]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecuredStarlette(Starlette):
    """Starlette with ``SecurityHeaders`` outside everything, its 500 page included (Starlette's
    own error middleware is outermost otherwise, so an unexpected error's response had none)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())
