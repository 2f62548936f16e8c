"""Driving pages in chromium: a page with its console errors and WebSocket frames, waits."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from playwright.async_api import Browser, Frame, Page
from playwright.async_api import Error as PlaywrightError

HD = {"width": 1920, "height": 1080}
UHD = {"width": 3840, "height": 2160}
PHONE = {"width": 390, "height": 844}


class Watched:
    """A page with its console errors and every WebSocket frame it received."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.errors: list[str] = []
        self.frames: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("websocket", self._socket)

    def _socket(self, ws: Any) -> None:
        ws.on("framereceived", lambda payload: self.frames.append(json.loads(payload)))
        ws.on("framesent", lambda payload: self.sent.append(json.loads(payload)))


async def open_page(
    browser: Browser, url: str, viewport: dict[str, int] = HD, **kw: Any
) -> Watched:
    context = await browser.new_context(viewport=viewport, **kw)  # type: ignore[arg-type]
    page = await context.new_page()
    watched = Watched(page)
    await page.goto(url)
    return watched


async def wait_for(
    target: Page | Frame, expression: str, *, arg: Any = None, timeout: float = 30000
) -> Any:
    """``wait_for_function`` that works under the pages' CSP: Playwright compiles a predicate with
    ``eval`` in the page, which ``script-src 'self'`` forbids; ``evaluate`` is not a page script."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            value = await target.evaluate(expression, arg)
        except PlaywrightError as e:  # the page navigated (a reload): look again in the new one
            if "context was destroyed" not in str(e) and "navigat" not in str(e):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{expression!r} not true within {timeout} ms")
        await asyncio.sleep(0.05)


async def live(page: Page, channel: str, timeout: float = 15000) -> None:
    """Wait until the live client holds ``channel``."""
    await wait_for(
        page,
        f"window.scorecast && window.scorecast.version({json.dumps(channel)}) !== null",
        timeout=timeout,
    )
