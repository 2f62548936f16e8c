"""The chief desk shows a 双人录入 mismatch with both values and the sheet, and the chief
resolves it from the sheet (issue 15): the operators' retypes are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.hub.test_double_entry import entry, paper_competition
from tests.hubkit import HubProcess, judge

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
pytestmark = pytest.mark.browser


async def test_the_desk_shows_both_entries_of_a_mismatch(tmp_path: Path, browser: Any) -> None:
    hub = HubProcess(tmp_path / "hub", paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        await page.goto(f"{hub.http}/judge#token={hub.tokens['weld-chief']}")
        await expect(page.locator("table.jury")).to_be_visible()
        assert (await entry(o1, "e1", "8.5", "B-017"))["type"] == "ack"
        assert (await entry(o2, "e2", "5.5", "B-017"))["type"] == "ack"
        item = page.locator(".alerts li.entry-mismatch")
        await expect(item).to_contain_text("op1 8.5")
        await expect(item).to_contain_text("op2 5.5")
        await expect(item).to_contain_text("B-017")
        SCREENS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENS / "desk-entry-mismatch-1280x800.png"))
        # an operator's retype does not clear it; the chief resolves it from the sheet
        assert (await entry(o2, "e3", "8.5", "B-017"))["code"] == "mismatch_held"
        await item.locator("button.resolve-entry").click()
        await page.fill("#dialog-input", "8.5")
        await page.click("#dialog-ok")
        await expect(item).to_have_count(0)
        rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
        assert next(r for r in rows if r["competitor"]["id"] == "weld-1")["total"] == "8.50"
        await context.close()
        assert errors == []
    finally:
        hub.stop()
