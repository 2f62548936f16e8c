"""The screens' routes; ``server.app`` mounts ``routes``.

Pages, feeds and assets are gzipped here (phones on a slow link); assets are
served with a content hash in their URL, so browsers may keep them a year.
"""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from . import feeds, overlay, public, schedule, talent, venue, verify
from .render import STATIC, STATIC_URL

GZIP = [Middleware(GZipMiddleware, minimum_size=800)]


class Assets(StaticFiles):
    """Static files; a URL with ``?v=<hash>`` never changes, so it is cached for good."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        immutable = b"v=" in scope.get("query_string", b"")

        async def send_cached(message: Message) -> None:
            if immutable and message["type"] == "http.response.start" and message["status"] == 200:
                message["headers"] = [
                    *message.get("headers", []),
                    (b"cache-control", b"public, max-age=31536000, immutable"),
                ]
            await send(message)

        await super().__call__(scope, receive, send_cached)


def page(path: str, endpoint: object) -> Route:
    return Route(path, endpoint, middleware=GZIP)  # type: ignore[arg-type]


routes: list[BaseRoute] = [
    page("/", public.home),
    page("/programs/{id}", public.program),
    page("/competitors/{id}", public.competitor),
    page("/delegations/{code}", public.delegation),
    page("/medals", public.medals),
    page("/verify/{code}", verify.verify),
    page("/talent", talent.talent_page),
    page("/schedule", schedule.schedule),
    page("/display/program/{id}", venue.program),
    page("/display/carousel", venue.carousel),
    page("/display/medals", venue.medals),
    page("/display/ticker", venue.ticker),
    page("/display/ceremony/{id}", venue.ceremony),
    page("/overlay/lower-third", overlay.lower_third),
    page("/overlay/top", overlay.top),
    page("/feeds/programs/{id}.json", feeds.feed),
    page("/feeds/programs/{id}.csv", feeds.feed),
    page("/feeds/programs/{id}.xml", feeds.feed),
    Mount(STATIC_URL, Assets(directory=STATIC), name="display-static", middleware=GZIP),
]
