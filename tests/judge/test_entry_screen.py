"""The data-entry operator's screen in chromium (双人录入, issue 15), through a real hub.

An operator types a judge's paper sheet; the second operator (a WebSocket client here) types
the same sheet with one value different; the screen shows the agreed value and the mismatch
(with no way to type it again), the chief resolves it from the paper and the screen says so. On an anonymous
program the operator's browser receives codes only. Screenshots at 1920x1080 and 390x844.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import expect

from tests.anonymity_kit import appears, draw
from tests.hub.test_double_entry import paper_competition
from tests.hub.test_operator_entry import anonymous_paper
from tests.hubkit import Client, HubProcess, judge

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
pytestmark = pytest.mark.browser
SLOW = 15_000  # ms: the screen asks the hub again every few seconds while an entry waits


def operators_on_weld(comp: dict[str, Any]) -> dict[str, Any]:
    for j in comp["judges"]:
        if j.get("role") == "operator":
            j["assignments"] = [{"program": "weld"}]
    return comp


async def typed(c: Client, eid: str, aspect: str, value: str, competitor: str = "weld-1") -> None:
    await c.send({"type": "entry", "id": eid, "program": "weld", "competitor": competitor,
                  "aspect": aspect, "judge": "weld-j1", "value": value, "sheet": "B-017"})  # fmt: skip
    answer = await c.recv_until(lambda f: f.get("id") == eid)
    assert answer["type"] == "ack", answer


async def open_screen(browser: Any, hub: HubProcess, who: str, viewport: dict[str, int]) -> Any:
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    await page.add_init_script("localStorage.setItem('scorecast.lang', 'en')")
    await page.goto(f"{hub.http}/judge#token={hub.tokens[who]}")
    await expect(page.locator("#entry-form")).to_be_visible()
    return page


async def test_an_operator_types_a_sheet_and_sees_agreement_and_mismatch(
    tmp_path: Path, browser: Any
) -> None:
    hub = HubProcess(tmp_path / "hub", operators_on_weld(paper_competition()))
    hub.issue_credentials()
    hub.start()
    try:
        page = await open_screen(browser, hub, "op1", {"width": 1920, "height": 1080})
        await expect(page.locator("#who")).to_contain_text("Data entry")
        await page.fill("#entry-sheet", "B-017")
        await page.select_option("#entry-judge", "weld-j1")
        await page.select_option("#entry-competitor", "weld-1")
        await page.locator('[data-aspect="A2"] button[data-value="pass"]').click()
        field = page.locator('input[data-aspect="B1"]')
        await field.fill("12")
        await expect(page.locator(".entry-problem:not(:empty)")).to_contain_text("from 0 to 10")
        await field.fill("8.5")
        await page.click("#entry-send")
        rows = page.locator("table.entries tbody tr")
        await expect(rows).to_have_count(2)
        await expect(page.locator('tr[data-status="waiting"]')).to_have_count(2)
        # the form moved on to the next competitor's sheet of the same judge
        await expect(page.locator("#entry-competitor")).to_have_value("weld-2")
        o2 = await judge(hub, "op2")
        await typed(o2, "x1", "A2", "pass")
        await typed(o2, "x2", "B1", "5.5")  # the other operator read 5.5
        mismatch = page.locator('tr[data-status="mismatch"]')
        await expect(mismatch).to_have_count(1, timeout=SLOW)
        await expect(mismatch).to_contain_text("the chief, who resolves it")
        await expect(mismatch).not_to_contain_text("5.5")  # never the other operator's value
        await expect(page.locator('tr[data-status="agreed"]')).to_have_count(1)
        await expect(page.locator("#entry-counts")).to_have_text(
            "1 agreed · 0 waiting · 1 mismatch"
        )
        SCREENS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENS / "entry-mismatch-1920x1080.png"))
        # a mismatch is not typed again (the hub refuses it: mismatch_held): the chief
        # resolves it from the paper sheet, which says 5.5 (this operator mistyped)
        await expect(mismatch.locator("button.retype")).to_have_count(0)
        chief = await judge(hub, "weld-chief")
        await chief.send({"type": "entry", "id": "c1", "program": "weld", "competitor": "weld-1",
                          "aspect": "B1", "judge": "weld-j1", "value": "5.5", "sheet": "B-017"})  # fmt: skip
        answer = await chief.recv_until(lambda f: f.get("id") == "c1")
        assert (answer["type"], answer.get("entry")) == ("ack", "resolved"), answer
        resolved = page.locator('tr[data-status="resolved"]')
        await expect(resolved).to_have_count(1, timeout=SLOW)
        await expect(resolved).to_contain_text("Resolved by the chief")
        await expect(page.locator('tr[data-status="agreed"]')).to_have_count(1)
        rows_api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
        weld1 = next(r for r in rows_api if r["competitor"]["id"] == "weld-1")
        assert weld1["criteria"]["B"] == "5.50"
        await page.click("#lang")  # 中文, on a phone
        await page.set_viewport_size({"width": 390, "height": 844})
        await expect(page.locator("#entry-send")).to_have_text("提交评分表")
        await expect(page.locator("#entry-counts")).to_have_text("一致 1 · 等待 0 · 不一致 0")
        width = await page.evaluate("document.scrollingElement.scrollWidth")
        assert width <= 390, f"the page is {width} px wide on a 390 px phone"
        await page.screenshot(path=str(SCREENS / "entry-zh-390x844.png"), full_page=True)
        assert page.errors == []
    finally:
        hub.stop()


async def test_the_screen_of_an_anonymous_program_shows_and_receives_codes_only(
    tmp_path: Path, browser: Any
) -> None:
    hub = HubProcess(tmp_path / "hub", anonymous_paper())
    hub.issue_credentials()
    hub.start()
    try:
        drawn = draw(hub)  # the key, as the supervisor reads it (the chief's answer is sealed)
        received: list[Any] = []
        context = await browser.new_context(viewport={"width": 390, "height": 844})
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("response", lambda resp: received.append(resp))
        frames: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append(str(p))))
        await page.add_init_script("localStorage.setItem('scorecast.lang', 'zh')")
        await page.goto(f"{hub.http}/judge#token={hub.tokens['op1']}")
        await expect(page.locator("#entry-form")).to_be_visible()
        await expect(page.locator(".entry-badge.anon")).to_be_visible()
        code = next(row["code"] for row in drawn["rows"])
        await page.fill("#entry-sheet", "K-3")
        await page.select_option("#entry-judge", "weld-k1")
        await page.fill("#entry-competitor", code)
        await page.fill('input[data-aspect="B1"]', "7")
        await page.click("#entry-send")
        await expect(page.locator('tr[data-status="waiting"]')).to_have_count(1)
        await page.screenshot(path=str(SCREENS / "entry-anonymous-zh-390x844.png"), full_page=True)
        bodies = []
        for resp in received:
            try:
                bodies.append(await resp.text())
            except Exception:  # noqa: BLE001 — a redirect or an aborted request has no body
                pass
        text = json.dumps(bodies + frames, ensure_ascii=False) + await page.content()
        await context.close()
        assert errors == []
        for row in drawn["rows"]:
            for word in (row["id"], row["bib"], *row["name"].values(), row["delegation"]):
                assert not appears(word, text), f"{word!r} reached the operator's browser"
    finally:
        hub.stop()


async def test_the_entry_screen_has_no_wcag_violation(tmp_path: Path, browser: Any) -> None:
    from tests.display.browsing import HD, PHONE
    from tests.display.test_accessibility import violations

    hub = HubProcess(tmp_path / "hub", operators_on_weld(paper_competition()))
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        await typed(o1, "a1", "B1", "8.5")
        await typed(o2, "a2", "B1", "6")  # a mismatch in op1's list
        await typed(o1, "a3", "B1", "7", competitor="weld-2")  # and one waiting
        url = f"{hub.http}/judge#token={hub.tokens['op1']}"
        for viewport in (PHONE, HD):
            assert await violations(browser, url, viewport) == [], viewport
    finally:
        hub.stop()
