"""Broadcast overlays on transparent backgrounds (OBS, vMix, CasparCG browser sources)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from .data import NotFound
from .pages import html_page, int_param
from .render import Page


@html_page
async def lower_third(request: Request) -> Response:
    """The latest result from the ticker; ``?program=ID`` for one program, ``?hold=S`` seconds on air (0: stay)."""
    page = Page(request)
    program = page.program_filter()
    hold = int_param(request, "hold", 10, 0, 3600)
    live = page.live_config("lower-third", ["ticker", "overview"])
    return page.render(
        "overlay/lower_third.html",
        ticker=page.site.ticker(program),
        hold=hold,
        program=program,
        live=live,
    )


@html_page
async def top(request: Request) -> Response:
    """``?program=ID&n=8``: the top of a program's board."""
    page = Page(request)
    pid = request.query_params.get("program", "")
    if not pid:
        raise NotFound("program", "")
    prog = page.site.program_model(pid)
    board = page.site.board(pid)
    n = int_param(request, "n", 8, 1, 20)
    channel = f"program:{pid}"
    live = page.live_config("top", [channel], visibility={channel: board["visibility"]})
    return page.render("overlay/top.html", program=prog, board=board, n=n, live=live)
