"""``/schedule``: the whole event by day: side events (ceremonies, exhibitions, talks,
recruitment sessions) in time order, and the programs competing that day, each linking to
its live board. Public, from the competition file only (no results)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from scoreboard.event_plan import SideEvent

from .pages import html_page
from .programme import days
from .render import Page

KIND_WORDS = {
    "opening": "Opening",
    "closing": "Closing",
    "exhibition": "Exhibition",
    "keynote": "Keynote",
    "talk": "Talk",
    "signing": "Signing ceremony",
    "performance": "Performance",
    "recruitment": "Recruitment fair",
    "ceremony": "Ceremony",
    "other": "Event",
}


def _when(e: SideEvent) -> str:
    return e.start or "99:99"


@html_page
async def schedule(request: Request) -> Response:
    page = Page(request)
    comp = page.site.competition
    plan = comp.plan
    by_day = []
    for day in days(comp):
        events = sorted((e for e in plan.side_events if e.day == day), key=_when)
        programs = [p for p in comp.programs.values() if day in p.days]
        by_day.append((day, events, programs))
    return page.render(
        "public/schedule.html",
        tab="schedule",
        by_day=by_day,
        venues=plan.venues,
        categories=plan.categories,
        kind_words=KIND_WORDS,
    )
