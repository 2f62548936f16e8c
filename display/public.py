"""The public site: ``/``, ``/programs/{id}``, ``/competitors/{id}``, ``/delegations/{code}``, ``/medals``.

Phone first and light: server-rendered HTML readable without JavaScript, the
live client on top to keep it current.
"""

from __future__ import annotations

from fractions import Fraction

from starlette.requests import Request
from starlette.responses import Response

from scoreboard import fmt

from . import lifecycle, programme
from .data import NotFound
from .pages import html_page
from .render import Page


def fmt_max(value: Fraction | None) -> str:
    if value is None:
        return ""
    return fmt(value, 0) if value.denominator == 1 else fmt(value, 2)


@html_page
async def home(request: Request) -> Response:
    page = Page(request)
    overview = page.site.overview()
    live = page.live_config("overview", ["overview"])
    comp = page.site.competition
    q = request.query_params.get("q", "").strip()[:100]
    venue = request.query_params.get("venue", "")
    day = request.query_params.get("day", "")
    venue = venue if venue in comp.plan.venues else ""
    days = programme.days(comp)
    day = day if day in days else ""
    return page.render(
        "public/index.html",
        tab="programs",
        overview=overview,
        live=live,
        groups=(groups := programme.groups(comp, overview["rows"], q, venue, day)),
        shown=sum(len(g.rows) for g in groups),
        find={"q": q, "venue": venue, "day": day, "days": days},
        search=lambda pid: programme.search_text(comp.programs[pid], comp),
    )


@html_page
async def program(request: Request) -> Response:
    page = Page(request)
    pid = request.path_params["id"]
    prog = page.site.program_model(pid)
    board = page.site.board(pid)
    channel = f"program:{pid}"
    live = page.live_config(
        "program",
        [channel],
        visibility={channel: board["visibility"]},
        lifecycle={channel: lifecycle.key(board)},
    )
    record = await page.site.hub.head()  # the ledger's head: what this page stands on (issue 13)
    life = lifecycle.view(board, page.t)
    return page.render(
        "public/program.html",
        tab="programs",
        program=prog,
        board=board,
        live=live,
        record=record,
        life=life,
    )


@html_page
async def competitor(request: Request) -> Response:
    page = Page(request)
    prog, board, row = page.site.find_competitor(request.path_params["id"])
    channel = f"program:{prog.id}"
    live = page.live_config("competitor", [channel], visibility={channel: board["visibility"]})
    return page.render(
        "public/competitor.html",
        tab="programs",
        program=prog,
        board=board,
        row=row,
        live=live,
        fmt_max=fmt_max,
    )


@html_page
async def delegation(request: Request) -> Response:
    page = Page(request)
    code = request.path_params["code"]
    deleg = page.site.competition.delegations.get(code)
    if deleg is None:
        raise NotFound("delegation", code)
    grouped: dict[str, tuple[object, str, list[dict[str, object]]]] = {}
    for prog, vis, row in page.site.delegation_entries(code):
        grouped.setdefault(prog.id, (prog, vis, []))[2].append(row)
    medals = page.site.medals()
    medal_row = next((r for r in medals["rows"] if r["delegation"] == code), None)
    return page.render(
        "public/delegation.html",
        tab="medals",
        delegation=deleg,
        entries=list(grouped.values()),
        medal_row=medal_row,
        medals=medals,
        stages=page.site.stages(),  # in 公示 a program is public, not final: its badge says so
    )


@html_page
async def medals(request: Request) -> Response:
    page = Page(request)
    live = page.live_config("medals", ["overview"])
    return page.render("public/medals.html", tab="medals", medals=page.site.medals(), live=live)
