"""The data-entry screen when only one aspect is typed from paper (双人录入 per aspect, issue 15).

In ``weld`` only B1 says ``double_entry = true``: the operator's form lists B1 alone for the
judge's sheet (A1 and A2 are marked on the pads), the entry waits for the second operator and
agrees. Screenshots: tests/artifacts/screens/entry-aspect-{1920x1080,390x844}.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.hub.test_double_entry_aspect import aspect_paper_competition
from tests.hubkit import HubProcess, judge
from tests.judge.test_entry_screen import SCREENS, SLOW, open_screen, typed

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [(1920, 1080), (390, 844)])
async def test_the_operator_types_only_the_paper_aspect(
    tmp_path: Path, browser: Any, size: tuple[int, int]
) -> None:
    hub = HubProcess(tmp_path / "hub", aspect_paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        page = await open_screen(browser, hub, "op1", {"width": size[0], "height": size[1]})
        await expect(page.locator("#who")).to_contain_text("Data entry")
        await page.select_option("#entry-judge", "weld-j1")
        await page.select_option("#entry-competitor", "weld-1")
        await expect(page.locator('input[data-aspect="B1"]')).to_be_visible()
        assert await page.locator('[data-aspect="A1"], [data-aspect="A2"]').count() == 0
        await page.fill("#entry-sheet", "B-017")
        await page.fill('input[data-aspect="B1"]', "7.5")
        await page.click("#entry-send")
        await expect(page.locator('tr[data-status="waiting"]')).to_have_count(1)
        o2 = await judge(hub, "op2")
        await typed(o2, "x1", "B1", "7.5")
        await expect(page.locator('tr[data-status="agreed"]')).to_have_count(1, timeout=SLOW)
        # the judge marks A2 on the pad meanwhile; the board has both
        j1 = await judge(hub, "weld-j1")
        await j1.send({"type": "mark", "id": "m1", "program": "weld", "competitor": "weld-1",
                       "aspect": "A2", "value": "pass"})  # fmt: skip
        assert (await j1.recv_until(lambda f: f.get("id") == "m1"))["type"] == "ack"
        rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
        row = next(r for r in rows if r["competitor"]["id"] == "weld-1")
        assert row["criteria"]["B"] == "7.50" and row["criteria"]["A"] == "4.00"
        SCREENS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(
            path=str(SCREENS / f"entry-aspect-{size[0]}x{size[1]}.png"), full_page=True
        )
        assert page.errors == []
    finally:
        hub.stop()


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
async def test_the_judge_pad_marks_the_other_aspects_and_names_the_paper_one(
    tmp_path: Path, browser: Any, size: tuple[int, int]
) -> None:
    hub = HubProcess(tmp_path / "hub", aspect_paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        context = await browser.new_context(viewport={"width": size[0], "height": size[1]})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{hub.http}/judge#token={hub.tokens['weld-j1']}")
        await expect(page.locator("table.grid")).to_be_visible()
        await expect(page.locator("#pad-paper")).to_contain_text("B1")
        assert await page.locator('td.cell[data-aspect="B1"]').count() == 0
        assert await page.locator('td.cell[data-aspect="A2"]').count() == 6
        a2 = page.locator('td.cell[data-competitor="weld-1"][data-aspect="A2"]')
        await a2.locator('button.choice[data-value="pass"]').click()
        await expect(a2).to_have_attribute("data-state", "acked")
        SCREENS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENS / f"pad-paper-aspect-{size[0]}x{size[1]}.png"))
        assert errors == []
    finally:
        hub.stop()
