"""``/talent``: the recruitment fair's list: award winners of official programs who consented to
be listed, by occupation, with their verified results and the organizer's contact link.

Nobody who did not consent appears (``server/exports/talent.py`` filters on the competitor's
``talent_consent`` before anything is rendered); only what the public board shows of them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from server.exports.codes import secret
from server.exports.talent import talent

from .pages import html_page
from .render import Page


@html_page
async def talent_page(request: Request) -> Response:
    page = Page(request)
    hub = page.site.hub
    key = await secret(hub.ledger)
    found = talent(page.site.competition, hub.board, key)
    groups: dict[str, list[object]] = {}
    for t in found:
        groups.setdefault(t.program.id, []).append(t)
    return page.render(
        "public/talent.html",
        tab="talent",
        groups=[(found_in[0], found_in) for found_in in groups.values()],
        contact=page.site.competition.plan.talent_contact,
    )
