"""Venue displays, configured by URL: ``/display/program/{id}``, ``carousel``, ``medals``, ``ticker``, ``ceremony``.

An AV operator opens one URL full screen and forgets it; everything a screen
needs is in its query string (``rows``, ``seconds``, ``step``, ``lang``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from .data import NotFound
from .pages import html_page, int_param
from .render import Page


@html_page
async def program(request: Request) -> Response:
    page = Page(request)
    pid = request.path_params["id"]
    prog = page.site.program_model(pid)
    board = page.site.board(pid)
    rows = int_param(request, "rows", 10, 3, 30)
    channel = f"program:{pid}"
    live = page.live_config(
        "display",
        [channel],
        visibility={channel: board["visibility"]},
        page_seconds=int_param(request, "seconds", 10, 3, 600),
    )
    return page.render(
        "display/program.html",
        program=prog,
        board=board,
        rows=rows,
        live=live,
        page_seconds=live["page_seconds"],
    )


@html_page
async def carousel(request: Request) -> Response:
    page = Page(request)
    wanted = [p.strip() for p in request.query_params.get("programs", "").split(",") if p.strip()]
    if not wanted:
        wanted = list(page.site.competition.programs)[:12]
    slides = []
    for pid in wanted:
        slides.append((page.site.program_model(pid), page.site.board(pid)))
    rows = int_param(request, "rows", 10, 3, 30)
    seconds = int_param(request, "seconds", 15, 3, 600)
    channels = [f"program:{p.id}" for p, _ in slides]
    live = page.live_config(
        "carousel",
        channels,
        visibility={c: b["visibility"] for c, (_, b) in zip(channels, slides, strict=True)},
        page_seconds=0,
    )
    return page.render(
        "display/carousel.html", slides=slides, rows=rows, seconds=seconds, live=live
    )


@html_page
async def medals(request: Request) -> Response:
    page = Page(request)
    rows = int_param(request, "rows", 10, 3, 40)
    medals = page.site.medals()
    live = page.live_config(
        "medals", ["overview"], page_seconds=int_param(request, "seconds", 10, 3, 600)
    )
    # fewer delegations than rows: bigger rows (--rows), the same page size for the live client
    return page.render(
        "display/medals.html",
        medals=medals,
        rows=rows,
        row_scale=max(5, min(rows, len(medals["rows"]))),
        live=live,
    )


@html_page
async def ticker(request: Request) -> Response:
    page = Page(request)
    program = page.program_filter()
    rows = int_param(request, "rows", 8, 1, 30)
    live = page.live_config("ticker", ["ticker", "overview"])
    return page.render(
        "display/ticker.html",
        ticker=page.site.ticker(program),
        rows=rows,
        program=program,
        live=live,
    )


def reveal_slots(
    rows: list[dict[str, Any]], medal_names: list[str], places: int
) -> list[tuple[dict[str, Any], int]]:
    """The places shown at a ceremony, top first, each with its reveal step: bottom to top, medals last."""
    shown = [
        r
        for r in rows
        if r.get("rank") is not None
        and r.get("status", "ok") == "ok"
        and (r["rank"] <= places or r.get("award") in medal_names)
    ]

    position = {r["competitor"]["id"]: i for i, r in enumerate(shown)}

    def reveal_key(r: dict[str, Any]) -> tuple[int, int, int]:
        medal = r.get("award") in medal_names
        return (
            1 if medal else 0,
            -medal_names.index(r["award"]) if medal else 0,
            -position[r["competitor"]["id"]],
        )

    order = {r["competitor"]["id"]: i + 1 for i, r in enumerate(sorted(shown, key=reveal_key))}
    return [(r, order[r["competitor"]["id"]]) for r in shown]


@html_page
async def ceremony(request: Request) -> Response:
    page = Page(request)
    pid = request.path_params["id"]
    prog = page.site.program_model(pid)
    board = page.site.board(pid)
    places = int_param(request, "n", 8, 1, 20)
    slots = (
        reveal_slots(board["rows"], list(prog.medal_names()), places)
        if board["visibility"] == "published"
        else []
    )
    channel = f"program:{pid}"
    step = int_param(request, "step", 0, 0, 600)
    live = page.live_config("ceremony", [channel], visibility={channel: board["visibility"]})
    return page.render(
        "display/ceremony.html", program=prog, board=board, slots=slots, step=step, live=live
    )


__all__ = ["program", "carousel", "medals", "ticker", "ceremony", "NotFound"]
