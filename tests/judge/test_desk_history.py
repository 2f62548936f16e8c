"""The program's record on the chief's desk (issue 13), in chromium against a real hub: the
panel lists marks, withdrawals, locks and unlocks from the ledger, filters by competitor and by
judge, and is in Chinese when the desk is. A chief who marks is counted among the signers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.hubkit import HubProcess, judge, mark

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
pytestmark = pytest.mark.browser


async def test_the_chief_reads_and_filters_the_program_record(
    hub: HubProcess, browser: Any
) -> None:
    j1, j2 = await judge(hub, "weld-j1"), await judge(hub, "weld-j2")
    for c, n, competitor, value in ((j1, 1, "weld-1", "2"), (j1, 2, "weld-2", "3"),
                                    (j2, 3, "weld-1", "1")):  # fmt: skip
        assert (await mark(c, f"m{n}", "weld", competitor, "A1", value))["type"] == "ack"
    await j1.send({"type": "withdraw", "id": "w1", "program": "weld", "competitor": "weld-2",
                   "aspect": "A1"})  # fmt: skip
    assert (await j1.recv_until(lambda f: f.get("id") == "w1"))["type"] == "ack"

    errors: list[str] = []
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{hub.http}/judge#token={hub.tokens['weld-chief']}")
    await expect(page.locator("table.jury")).to_be_visible()
    panel = page.locator("details.record-history")
    await panel.locator("summary").click()
    rows = panel.locator("tbody tr")
    await expect(rows.filter(has_text="weld-j2")).to_have_count(1)
    kinds = await rows.evaluate_all("rs => rs.map(r => r.dataset.kind)")
    assert [k for k in kinds if k != "competition"] == ["mark", "mark", "mark", "withdraw"]
    await expect(rows.filter(has=page.locator("td", has_text="withdrawal"))).to_contain_text("#2")

    # a lock made on the desk shows in the record once shown again
    await page.locator('tr[data-competitor="weld-1"] .lock-col button').click()
    await expect(page.locator('tr[data-competitor="weld-1"] .lock-state')).to_be_visible()
    await panel.locator("select[name=competitor]").select_option("weld-1")
    await panel.locator("button[type=submit]").click()
    await expect(rows.filter(has=page.locator("td", has_text="lock"))).to_have_count(1)
    kinds = await rows.evaluate_all("rs => rs.map(r => r.dataset.kind)")
    assert kinds == ["mark", "mark", "lock"]
    await panel.locator("select[name=judge]").select_option("weld-j2")
    await panel.locator("button[type=submit]").click()
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("weld-j2")
    await panel.locator("select[name=competitor]").select_option("")
    await panel.locator("button[type=submit]").click()
    await expect(rows).to_have_count(1)
    SCREENS.mkdir(parents=True, exist_ok=True)
    await panel.scroll_into_view_if_needed()
    await page.screenshot(path=str(SCREENS / "desk-history-1920x1080.png"))

    # a chief who marks a competitor is one more signer of that row (the review gate waits
    # for every judge who marked); the desk counted only judges
    signed = page.locator('tr[data-competitor="weld-3"] td.signed')
    before = await signed.inner_text()
    chief = await judge(hub, "weld-chief")
    assert (await mark(chief, "c1", "weld", "weld-3", "A1", "2"))["type"] == "ack"
    n = int(before.split("/")[1].split()[0])
    await expect(signed).to_contain_text(f"0/{n + 1}")

    await page.click("#lang")
    await expect(panel.locator("summary")).to_have_text("本项目记录")
    await expect(rows.first).to_contain_text("评分")
    await context.close()
    assert errors == []
