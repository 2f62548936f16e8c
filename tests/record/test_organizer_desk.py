"""The organizer desk (/organizer) in Debian's chromium against a real hub (issue 13).

The organizer signs in, adds a judge (the page shows the credential once; that judge's mark is
accepted), corrects a competitor's name (the public API shows it), sees both amendments on the
record and the program's history; a judge's credential is turned away. Screenshots at
1920x1080 and 390x844 (tests/artifacts/screens/organizer-*.png); axe-core finds no WCAG 2 A/AA
violation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.display.browsing import HD, PHONE
from tests.display.test_accessibility import AXE
from tests.hubkit import HubProcess, judge, mark

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
pytestmark = pytest.mark.browser


async def signed_in(
    browser: Browser, hub: HubProcess, viewport: dict[str, int], token: str, **kw: Any
) -> Page:
    context = await browser.new_context(viewport=viewport, locale="zh-CN", **kw)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{hub.http}/organizer")
    await page.fill("#token", token)
    await page.click("#signin-button")
    page.errors = errors  # type: ignore[attr-defined]
    return page


def form(page: Page, title: str) -> Any:
    return page.locator("form.org-card", has=page.locator("h2", has_text=title))


async def test_the_organizer_desk_records_amendments(org_hub: HubProcess, browser: Browser) -> None:
    hub = org_hub
    page = await signed_in(browser, hub, HD, hub.tokens["org"])
    await expect(page.locator("h1.org-title")).to_have_text("组委会工作台")

    add = form(page, "增加裁判")
    await add.locator("label", has_text="编号").locator("input").fill("weld-j9")
    await add.locator("label", has_text="姓名（中文）").locator("input").fill("李强")
    await add.locator("label", has_text="项目").locator("select").select_option("weld")
    await add.locator("label", has_text="原因").locator("input").fill("替换生病的裁判")
    await add.locator("button.primary").click()
    credential = add.locator("code.org-credential")
    await expect(credential).to_contain_text("weld-j9.")
    hub.tokens["weld-j9"] = (await credential.text_content() or "").strip()
    ack = await mark(await judge(hub, "weld-j9"), "j9-1", "weld", "weld-1", "B1", "8")
    assert ack["type"] == "ack", ack

    fix = form(page, "更正选手信息")
    await fix.locator("label", has_text="选手").locator("select").select_option("weld-2")
    await fix.locator("label", has_text="姓名（中文）").locator("input").fill("王小明")
    await fix.locator("label", has_text="原因").locator("input").fill("姓名录入错误")
    await fix.locator("button.primary").click()
    await expect(fix.locator(".org-out")).to_contain_text("weld-2")
    rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
    assert {r["competitor"]["id"]: r["competitor"]["name"]["zh"] for r in rows}[
        "weld-2"
    ] == "王小明"

    record = page.locator(".org-record tbody tr")
    await expect(record).to_have_count(3)  # the definition and two amendments, newest first
    await expect(record.first).to_contain_text("姓名录入错误")

    history = page.locator("section.org-card", has=page.locator("h2", has_text="项目记录"))
    await history.locator("button.primary").click()
    await expect(history.locator("tbody tr", has_text="weld-j9")).to_have_count(1)

    SCREENS.mkdir(parents=True, exist_ok=True)
    await page.evaluate("() => window.scrollTo(0, 0)")  # the bar is sticky
    await page.screenshot(path=str(SCREENS / "organizer-1920x1080.png"), full_page=True)
    phone = await signed_in(browser, hub, PHONE, hub.tokens["org"])
    await expect(phone.locator("h1.org-title")).to_be_visible()
    await phone.screenshot(path=str(SCREENS / "organizer-390x844.png"), full_page=True)
    assert page.errors == [] and phone.errors == []  # type: ignore[attr-defined]

    audited = await signed_in(browser, hub, PHONE, hub.tokens["org"], bypass_csp=True)
    await expect(audited.locator("h1.org-title")).to_be_visible()
    await audited.add_script_tag(content=AXE)
    result = await audited.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
    )
    assert [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]] == []

    judge_page = await signed_in(browser, hub, PHONE, hub.tokens["weld-j1"])
    await expect(judge_page.locator("#signin-error")).to_have_text("此凭证不属于组委会。")


async def test_the_desk_opens_from_the_link_the_demo_prints(
    org_hub: HubProcess, browser: Browser
) -> None:
    """``/organizer#token=…`` (what ``scorecast demo`` prints) signs in and takes the credential
    off the address bar. It once threw "history.replaceState is not a function" (a function
    of the page named ``history`` hid the browser's) and left a blank page."""
    context = await browser.new_context(viewport=HD, locale="zh-CN")
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    await page.goto(f"{org_hub.http}/organizer#token={org_hub.tokens['org']}")
    await expect(page.locator("h1.org-title")).to_have_text("组委会工作台")
    assert "token" not in page.url
    assert errors == []
    await context.close()
