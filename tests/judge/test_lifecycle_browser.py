"""The way to official results in chromium (issue 14): the chief desk at each gate, the
supervisor's confirmation, the reviewer's corrections, the leader's appeal page, the
arbitrator's ruling, and the public program page in 公示 and final, in zh and en, at
1920×1080 and 390×844 (screenshots in tests/artifacts/screens/lifecycle-*.png).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.hubkit import HubProcess, close_all, judge, mark, small_competition
from tests.judge.kit import ledger_events
from tests.lifecycle_hub import public_board, with_people

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
SIZES = {"1920x1080": {"width": 1920, "height": 1080}, "390x844": {"width": 390, "height": 844}}
WINDOW_S = 75

# The whole procedure in one test (marking, review, 公示, an appeal, final) through a real hub and
# chromium: about 110 s on a loaded 2-core machine, so its hang guard is longer than the default.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(400)]


@pytest.fixture
def lhub(tmp_path: Path) -> Iterator[HubProcess]:
    weld = {"review_top": 2, "review_share": "25%", "appeal_window": f"{WINDOW_S}s"}
    hub = HubProcess(
        tmp_path / "hub",
        competition=with_people(small_competition(), weld=weld),
        env={"SCORECAST_JUDGE_RATE": "10000"},
    )
    hub.issue_credentials()
    hub.start()
    yield hub
    hub.stop()


async def signed_in(
    browser: Any, hub: HubProcess, who: str, size: str, errors: list[str], lang: str = "en"
) -> Page:
    context = await browser.new_context(viewport=SIZES[size])
    await context.add_init_script(f"localStorage.setItem('scorecast.lang', '{lang}')")
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"{who}: {e}"))
    await page.goto(f"{hub.http}/judge#token={hub.tokens[who]}")
    return page


async def shot(page: Page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    await page.wait_for_timeout(300)
    await page.screenshot(path=str(SCREENS / f"lifecycle-{name}.png"), full_page=False)


async def ok_dialog(page: Page, text: str | None = None) -> None:
    if text is not None:
        await page.fill("#dialog-input", text)
    await page.click("#dialog-ok")


async def marks(hub: HubProcess) -> None:
    judges = [await judge(hub, f"weld-j{n}") for n in (1, 2, 3)]
    for i in range(1, 7):
        cid = f"weld-{i}"
        for n, j in enumerate(judges):
            assert (await mark(j, f"{cid}-A1-{n}", "weld", cid, "A1", str(1 + i % 3)))[
                "type"
            ] == "ack"
        assert (await mark(judges[0], f"{cid}-A2", "weld", cid, "A2", "pass"))["type"] == "ack"
        if i != 6:
            assert (await mark(judges[0], f"{cid}-B1", "weld", cid, "B1", str(3 + i * 0.5)))[
                "type"
            ] == "ack"
    await close_all()


async def test_the_desk_the_reviewer_the_leader_and_the_public_page(
    lhub: HubProcess, browser: Any
) -> None:
    hub = lhub
    errors: list[str] = []
    await marks(hub)
    desks = {size: await signed_in(browser, hub, "weld-chief", size, errors) for size in SIZES}
    desk = desks["1920x1080"]
    # the review gate lists what is missing; the button waits
    for size, page in desks.items():
        await expect(page.locator(".gate[data-gate=review] .miss-mark")).to_contain_text("#6 B1")
        await expect(page.locator(".go-review")).to_be_disabled()
        await shot(page, f"desk-gate-review-{size}")
    await expect(desk.locator(".gate .miss-signoff").first).to_contain_text("no sign-off by weld-j")
    # override with a reason; a supervisor confirms it on their own credential
    await desk.click(".override-btn")
    await desk.click("#dialog-ok")  # no reason: refused by the page
    await expect(desk.locator("#dialog-error")).to_have_text("A reason is needed")
    await ok_dialog(desk, "bib 6 B1 was marked on paper; the sheet is signed")
    await expect(desk.locator(".override.pending")).to_contain_text("waiting for a supervisor")
    sup = await signed_in(browser, hub, "sup", "1920x1080", errors)
    await expect(sup.locator(".override.pending")).to_be_visible()
    await shot(sup, "supervisor-1920x1080")
    await sup.click(".confirm-override")
    await ok_dialog(sup)
    await expect(desk.locator(".override.confirmed")).to_contain_text(
        "confirmed by sup", timeout=10000
    )
    await desk.click(".go-review")
    await ok_dialog(desk)
    await expect(desk.locator(".stage.current")).to_have_attribute(
        "data-stage", "review", timeout=10000
    )
    # the reviewer corrects one competitor of the set: above the threshold, everyone is reviewed
    rev = await signed_in(browser, hub, "rev", "1920x1080", errors, lang="zh")
    first = rev.locator(".member").first
    await expect(first).to_be_visible(timeout=10000)
    cid = await first.get_attribute("data-competitor")
    await first.locator(".correct-btn").click()
    form = rev.locator(".correct-form")
    await form.locator(".f-mark").select_option(index=0)
    await form.locator(".f-value").fill("2")
    await form.locator(".f-reason").fill("评分表为 2")
    await form.locator("button[type=submit]").click()
    await expect(rev.locator(f'.member[data-competitor="{cid}"]')).to_have_class(
        re.compile("corrected"), timeout=10000
    )
    await rev.locator(f'.member[data-competitor="{cid}"] .reviewed-btn').click()
    await expect(rev.locator(".full-review")).to_be_visible(timeout=10000)
    await shot(rev, "reviewer-zh-1920x1080")
    for _ in range(10):
        buttons = rev.locator(".reviewed-btn")
        if not await buttons.count():
            break
        await buttons.first.click()
        await rev.wait_for_timeout(700)
    await expect(rev.locator(".reviewed-btn")).to_have_count(0, timeout=10000)
    for size, page in desks.items():
        await expect(page.locator(".gate[data-gate=publication]")).to_have_class(
            re.compile("met"), timeout=10000
        )
        await shot(page, f"desk-gate-publication-{size}")
    await desk.click(".go-publication")
    await ok_dialog(desk)
    await expect(desk.locator(".stage.current")).to_have_attribute(
        "data-stage", "publication", timeout=10000
    )
    for size, page in desks.items():
        await shot(page, f"desk-publication-{size}")
    # the public page in 公示, in both languages
    for size in SIZES:
        for lang in ("zh", "en"):
            context = await browser.new_context(viewport=SIZES[size])
            page = await context.new_page()
            page.on("pageerror", lambda e: errors.append(f"public: {e}"))
            await page.goto(f"{hub.http}/programs/weld?lang={lang}")
            words = (
                "公示中，异议截止" if lang == "zh" else "Published for objections: objections until"
            )
            await expect(page.locator(".life-stage")).to_contain_text(words)
            await expect(page.locator(".prow.is-provisional")).to_have_count(0)
            await shot(page, f"public-publication-{lang}-{size}")
            await context.close()
    # the leader of DL appeals weld-1's B1
    leaders = {
        size: await signed_in(browser, hub, "lead-DL", size, errors, lang="zh") for size in SIZES
    }
    leader = leaders["1920x1080"]
    card = leader.locator('.lp[data-program="weld"]')
    await expect(card.locator(".appeal-form")).to_be_visible(timeout=15000)
    await card.locator(".f-competitor").select_option("weld-1")
    await card.locator(".f-aspect").select_option("B1")
    await card.locator(".f-text").fill("B1 评分表上为 8.5 分")
    await card.locator(".appeal-form button[type=submit]").click()
    await expect(card.locator(".appeal.appeal-open")).to_contain_text("8.5", timeout=15000)
    for size, page in leaders.items():
        await expect(page.locator('.lp[data-program="weld"] .appeal')).to_have_count(
            1, timeout=15000
        )
        await shot(page, f"leader-zh-{size}")
    # the arbitrator upholds it; the chief enters the corrected mark
    arb = await signed_in(browser, hub, "arb", "1920x1080", errors)
    await arb.locator(".uphold-btn").click()
    await ok_dialog(arb, "the signed sheet shows 8.5")
    await expect(desk.locator(".appeal.appeal-upheld")).to_be_visible(timeout=10000)
    await desk.locator(".correct-after").click()
    form = desk.locator(".correct-form")
    await form.locator(".f-mark").select_option("B1|weld-j1")
    await form.locator(".f-value").fill("8.5")
    await form.locator(".f-reason").fill("ruling on the appeal")
    await form.locator("button[type=submit]").click()
    await expect(desk.locator(".corrections li")).to_have_count(1, timeout=10000)
    # the hub's clock makes it final once the window has closed
    until = public_board(hub, "weld")["lifecycle"]["objections_until"]
    await asyncio.sleep(max(0, until / 1000 - time.time()) + 1)
    for _ in range(60):
        if public_board(hub, "weld")["lifecycle"]["stage"] == "final":
            break
        await asyncio.sleep(0.5)
    assert public_board(hub, "weld")["lifecycle"]["stage"] == "final"
    for size, page in desks.items():
        await expect(page.locator(".stage.current")).to_have_attribute(
            "data-stage", "final", timeout=10000
        )
        await shot(page, f"desk-final-{size}")
    for size in SIZES:
        for lang in ("zh", "en"):
            context = await browser.new_context(viewport=SIZES[size])
            page = await context.new_page()
            await page.goto(f"{hub.http}/programs/weld?lang={lang}")
            await expect(page.locator(".life-stage")).to_contain_text(
                "最终成绩" if lang == "zh" else "Final results"
            )
            correction = page.locator(".correction")
            await expect(correction).to_have_count(1)
            await expect(correction.locator("b")).to_have_text(
                public_board(hub, "weld")["corrections"][0]["value"]
            )
            await expect(correction.locator("s")).to_have_text(
                public_board(hub, "weld")["corrections"][0]["previous"]
            )
            await shot(page, f"public-final-{lang}-{size}")
            await context.close()
    assert [
        e["kind"] for _, _, e in ledger_events(hub) if e["kind"] in ("appeal", "ruling", "final")
    ] == ["appeal", "ruling", "final"]
    assert errors == []
