"""The screens' routes; ``server.app`` mounts ``routes`` when this module exists."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from . import feeds, overlay, public, venue
from .render import STATIC, STATIC_URL

routes: list[BaseRoute] = [
    Route("/", public.home),
    Route("/programs/{id}", public.program),
    Route("/competitors/{id}", public.competitor),
    Route("/delegations/{code}", public.delegation),
    Route("/medals", public.medals),
    Route("/display/program/{id}", venue.program),
    Route("/display/carousel", venue.carousel),
    Route("/display/medals", venue.medals),
    Route("/display/ticker", venue.ticker),
    Route("/display/ceremony/{id}", venue.ceremony),
    Route("/overlay/lower-third", overlay.lower_third),
    Route("/overlay/top", overlay.top),
    Route("/feeds/programs/{id}.json", feeds.feed),
    Route("/feeds/programs/{id}.csv", feeds.feed),
    Route("/feeds/programs/{id}.xml", feeds.feed),
    Mount(STATIC_URL, StaticFiles(directory=STATIC), name="display-static"),
]
