"""axe-core (WCAG 2 A and AA rules) in chromium finds no violation on the public pages or the pad.

axe-core is the engine browsers' own audits use; its script comes with the
``axe-playwright-python`` test dependency and is injected into each page as served.
"""

from __future__ import annotations

import asyncio
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from tests.display.browsing import HD, PHONE, open_page
from tests.display.conftest import ARTIFACTS
from tests.hubkit import HubProcess
from tests.workbooks.conftest import verify_path

pytestmark = pytest.mark.browser

AXE = (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
PUBLIC = [
    "/",
    "/programs/weld",
    "/programs/cook",
    "/programs/robot",
    "/competitors/weld-3",
    "/delegations/JZ",
    "/medals",
    "/schedule",
    "/talent",
]


async def violations(browser: Browser, url: str, viewport: dict[str, int]) -> list[str]:
    # the page's CSP (script-src 'self') refuses the injected audit script, as it should refuse
    # any injected script: the audit's own context bypasses it; the pages are the same
    w = await open_page(browser, url, viewport, bypass_csp=True)
    try:
        await w.page.wait_for_load_state("networkidle")
        await w.page.add_script_tag(content=AXE)
        result: dict[str, Any] = await w.page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        )
    finally:
        await w.page.context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] + " " + n.get("failureSummary", "").replace("\n", " ")
            for n in v["nodes"][:3]
        )
        for v in result["violations"]
    ]


@pytest.mark.parametrize("path", PUBLIC)
async def test_public_pages_have_no_wcag_violation(
    site: HubProcess, browser: Browser, path: str
) -> None:
    for viewport in (HD, PHONE):
        assert await violations(browser, site.http + path, viewport) == [], (path, viewport)


async def test_the_verify_page_and_its_not_found_page_have_no_wcag_violation(
    site: HubProcess, browser: Browser, tmp_path: Path
) -> None:
    winner = next(
        r["competitor"]["id"]
        for r in httpx.get(f"{site.http}/api/v1/programs/robot/leaderboard").json()["rows"]
        if r.get("award")
    )
    path = await asyncio.to_thread(verify_path, site, tmp_path, "robot", winner)
    for url in (path, "/verify/0000-0000-0000"):
        for viewport in (HD, PHONE):
            assert await violations(browser, site.http + url, viewport) == [], (url, viewport)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("phone", PHONE), ("hd", HD)):
        w = await open_page(browser, site.http + path, viewport)
        await w.page.screenshot(path=str(ARTIFACTS / f"verify-{label}.png"), full_page=True)
        await w.page.context.close()


@pytest.mark.parametrize("judge", ["weld-j1", "weld-chief"])
async def test_the_judge_pad_and_the_chief_desk_have_no_wcag_violation(
    site: HubProcess, browser: Browser, judge: str
) -> None:
    url = f"{site.http}/judge#token={site.tokens[judge]}"
    for viewport in (PHONE, HD):
        assert await violations(browser, url, viewport) == [], (judge, viewport)
