"""The repository's own live pages ask for rank deltas (``"features": ["ranks"]`` in every
subscribe, docs/protocol.md) and, given them, show what the server renders: the display, the
public program page, the overlay (review of core5, issue 11's fifth pass: a client that does
not ask is sent whole rows, ``tests/hub/test_old_shape_clients.py``)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, WebSocket

from tests.display.browsing import HD, Watched, live, wait_for
from tests.display.test_browser import rows_equal_server_render
from tests.hubkit import HubProcess, judge, mark

pytestmark = pytest.mark.browser

PAGES = [
    ("/display/program/weld?seconds=600", "program:weld"),
    ("/programs/weld", "program:weld"),
    ("/overlay/top?program=weld&n=8", "program:weld"),
]


async def test_the_pages_ask_for_ranks_and_show_the_server_render(
    site: HubProcess, browser: Browser
) -> None:
    sent: list[dict[str, Any]] = []
    got: list[dict[str, Any]] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda p: sent.append(json.loads(p)))
        ws.on("framereceived", lambda p: got.append(json.loads(p)))

    pages = []
    for path, channel in PAGES:
        context = await browser.new_context(viewport=HD)  # type: ignore[arg-type]
        page = await context.new_page()
        page.on("websocket", watch)
        w = Watched(page)
        await page.goto(site.http + path)
        await live(page, channel)
        pages.append(w)
    subscribes = [f for f in sent if f.get("type") == "subscribe"]
    assert len(subscribes) >= len(PAGES)
    assert all(f.get("features") == ["ranks"] for f in subscribes), subscribes
    j = await judge(site, "weld-j1")
    for n, value in enumerate(("10", "9.5", "10"), start=1):  # new leaders: the rest move down
        ack = await mark(j, f"feat-{n}", "weld", f"weld-{7 + n}", "B1", value)
        assert ack["type"] == "ack", ack
    now = httpx.get(f"{site.http}/api/v1/programs/weld/leaderboard", timeout=10).json()
    for w in pages:
        await wait_for(
            w.page, "(v) => window.scorecast.version('program:weld') >= v", arg=now["version"]
        )
    assert any(f.get("ranks") for f in got if f.get("type") == "delta"), "no ranks were sent"
    for w, (path, channel) in zip(pages[:2], PAGES[:2], strict=True):
        await rows_equal_server_render(w, site, path, channel)
    for w in pages:
        assert w.errors == []


async def test_the_desk_refuses_a_rank_for_a_row_it_does_not_hold(
    site: HubProcess, browser: Browser
) -> None:
    """As Python's ``apply_delta`` and live.js do (core5's desk.js skipped it: a stale board)."""
    context = await browser.new_context(viewport=HD)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(site.http + "/display/program/weld?seconds=600")
    snap = {"version": 1, "rows": [{"competitor": {"id": "a"}, "rank": 1}]}
    delta = {"from": 1, "version": 2, "rows": [], "ranks": {"b": 2}}
    error = await page.evaluate(
        """async ([s, d]) => { const m = await import('/judge/static/desk.js');
            try { m.applyDelta(s, d); return null; } catch (e) { return e.message; } }""",
        [snap, delta],
    )
    assert error and "not a row" in error
