"""The lifecycle on every public screen (issue 14): the venue board, the carousel, the ticker,
the overlay, the competitor page and the feeds say 复核中 / 公示中，异议截止 HH:MM / 最终成绩,
mark 申诉中 and 更正 (previous → new) on their rows, never 暂定 past marking, and follow each
change live, without a reload (entering 公示 changes the visibility, which redraws the page).

Screenshots: tests/artifacts/screens/lifecycle-screen-*.png (1920×1080 venue screens and
overlay, 390×844 competitor pages).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser

from tests.display.browsing import PHONE, Watched, live, open_page, wait_for
from tests.display.conftest import ARTIFACTS, display_competition, mark_fully
from tests.hubkit import HubProcess, close_all, judge
from tests.lifecycle_hub import ok, public_board, review_everyone, sign_off_all, wait_stage

pytestmark = pytest.mark.browser

ROBOT = {"review_top": 8, "appeal_window": "1h", "appeals_public": True}
COOK = {"review_top": 6, "appeal_window": "6s"}
JUDGES = {p: [f"{p}-j{n}" for n in (1, 2, 3)] for p in ("robot", "cook")}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    comp = display_competition()
    for p in comp["programs"]:
        p["lifecycle"] = {"robot": ROBOT, "cook": COOK}.get(p["id"], p.get("lifecycle", {}))
    h = HubProcess(tmp_path / "hub", competition=comp, env={"SCORECAST_JUDGE_RATE": "10000"})
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


async def shot(w: Watched, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await w.page.wait_for_timeout(300)
    await w.page.screenshot(path=str(ARTIFACTS / f"lifecycle-screen-{name}.png"))


async def words(w: Watched, selector: str = "[data-life-of]") -> str:
    return str(await w.page.text_content(selector)).strip()


async def says(w: Watched, text: str, selector: str = "[data-life-of]") -> None:
    await wait_for(
        w.page,
        "([sel, text]) => { const el = document.querySelector(sel); "
        "return el && el.textContent.includes(text); }",
        arg=[selector, text],
    )


async def keep(w: Watched) -> None:
    """Mark the page's window: a reload would drop the mark (``kept`` reads it)."""
    await w.page.evaluate("window.__kept = 1")


async def kept(w: Watched) -> bool:
    return bool(await w.page.evaluate("window.__kept === 1"))


def clock(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000).strftime("%H:%M")


def feed(hub: HubProcess, pid: str, kind: str) -> httpx.Response:
    r = httpx.get(f"{hub.http}/feeds/programs/{pid}.{kind}", timeout=10)
    assert r.status_code == 200, r.text
    return r


async def test_every_screen_follows_review_publication_appeals_corrections_and_final(
    hub: HubProcess, browser: Browser
) -> None:
    await mark_fully(hub, "robot", list(range(1, 9)), salt=5)
    await mark_fully(hub, "cook", list(range(1, 7)))
    await sign_off_all(hub, "robot", JUDGES["robot"])
    chief = await judge(hub, "robot-chief")
    await ok(chief, "stage", program="robot", stage="review")

    screens = {
        "board": await open_page(browser, hub.http + "/display/program/robot?seconds=600"),
        "carousel": await open_page(
            browser, hub.http + "/display/carousel?programs=robot,cook&seconds=600"
        ),
        "ticker": await open_page(browser, hub.http + "/display/ticker?program=robot"),
        "overlay": await open_page(browser, hub.http + "/overlay/top?program=robot&n=8"),
        "competitor": await open_page(browser, hub.http + "/competitors/robot-1", PHONE),
        "competitor-en": await open_page(browser, hub.http + "/competitors/robot-2?lang=en", PHONE),
    }
    medals = {
        "display": await open_page(browser, hub.http + "/display/medals"),
        "public": await open_page(browser, hub.http + "/medals", PHONE),
    }
    for w in medals.values():
        await live(w.page, "overview")
        assert await w.page.locator("[data-not-counted-of]").is_hidden()
        await keep(w)
    programs = [w for k, w in screens.items() if k != "ticker"]
    for w in programs:
        await live(w.page, "program:robot")
    await live(screens["ticker"].page, "overview")
    # under review: the words, and no 暂定 anywhere (the ticker's items too)
    for k, w in screens.items():
        if k == "ticker":
            continue
        assert await words(w) == ("Under review" if k.endswith("-en") else "复核中"), k
        await keep(w)
    for w in screens.values():
        assert await w.page.locator(".is-provisional").count() == 0
    ticks = screens["ticker"].page.locator(".v-ticker > .tick")
    assert await ticks.count() > 0
    assert await screens["ticker"].page.locator(".tick .mk-stage").first.text_content() == "复核中"
    await shot(screens["board"], "review-board-1920x1080")

    # 公示: the visibility becomes published (the page is drawn anew), the deadline shows
    await review_everyone(hub, "robot")
    await ok(chief, "stage", program="robot", stage="publication")
    until = clock(public_board(hub, "robot")["lifecycle"]["objections_until"])
    for k, w in screens.items():
        if k == "ticker":
            await wait_for(
                w.page,
                "document.querySelector('.tick .mk-stage')?.textContent === '公示中'",
            )
            continue
        text = (
            f"Published for objections: objections until {until}"
            if k.endswith("-en")
            else f"公示中，异议截止 {until}"
        )
        await says(w, text)
        await live(w.page, "program:robot")
        await keep(w)
    assert await screens["overlay"].page.text_content("[data-badge-of]") == "公示中"
    assert await screens["board"].page.locator(".badge.vis-published").count() == 0
    assert await screens["ticker"].page.locator(".is-provisional").count() == 0
    # the medal tables: robot's medals wait until it is final, and the tables say so
    for w in medals.values():
        await says(w, "另有 1 个项目正在公示，尚未计入", "[data-not-counted-of]")
        assert await w.page.locator("[data-medal-state=no_results]").is_visible()
        assert await kept(w)
    assert httpx.get(f"{hub.http}/api/v1/medals").json()["not_counted"] == 1
    assert all(not r["total"] for r in httpx.get(f"{hub.http}/api/v1/medals").json()["medals"])

    # an appeal on robot-1 (delegation DL): 申诉中 on its rows, live, no reload
    lead = await judge(hub, "lead-DL")
    await ok(lead, "appeal", program="robot", competitor="robot-1", aspect="B1", text="B1 是 9")
    for k in ("board", "overlay", "competitor", "carousel"):
        w = screens[k]
        await wait_for(
            w.page,
            "document.querySelectorAll("
            '\'[data-id="robot-1"].is-appealed, [data-item="robot-1"].is-appealed\').length',
        )
        assert await kept(w), k
    assert await screens["competitor"].page.locator(".result.is-appealed .mk-appeal").is_visible()

    # an upheld appeal on robot-2 (delegation JZ) and the chief's correction: 更正 old → new
    lead_jz, arb = await judge(hub, "lead-JZ"), await judge(hub, "arb")
    await ok(lead_jz, "appeal", program="robot", competitor="robot-2", aspect="B1", text="B1")
    events = httpx.get(
        f"{hub.http}/judge/api/lifecycle/robot",
        headers={"Authorization": f"Bearer {hub.tokens['arb']}"},
        timeout=10,
    ).json()
    appeal_id = next(a["id"] for a in events["appeals"] if a["competitor"] == "robot-2")
    await ok(arb, "ruling", program="robot", appeal=appeal_id, ruling="upheld", reason="sheet")
    await ok(
        chief,
        "correct",
        program="robot",
        competitor="robot-2",
        aspect="B1",
        judge="robot-j1",
        value="10",
        reason="ruling on the appeal",
        appeal=appeal_id,
    )
    corr = public_board(hub, "robot")["corrections"][0]
    zh = f"更正 {corr['previous']} → {corr['value']}"
    en = f"correction {corr['previous']} → {corr['value']}"
    for k in ("board", "overlay", "competitor-en"):
        w = screens[k]
        await wait_for(
            w.page,
            "(text) => [...document.querySelectorAll('.is-corrected .mk-corr')]"
            ".some(el => el.textContent === text && el.offsetParent)",
            arg=en if k.endswith("-en") else zh,
        )
        assert await kept(w), k
    await shot(screens["board"], "publication-board-1920x1080")
    await shot(screens["carousel"], "publication-carousel-1920x1080")
    await shot(screens["overlay"], "publication-overlay-top-1920x1080")
    await shot(screens["ticker"], "publication-ticker-1920x1080")
    await shot(screens["competitor"], "publication-competitor-zh-390x844")
    await shot(screens["competitor-en"], "publication-competitor-en-390x844")

    # opened in 公示: the lower third, the ceremony, the public overview
    third = await open_page(browser, hub.http + "/overlay/lower-third?program=robot&hold=0")
    ceremony = await open_page(browser, hub.http + "/display/ceremony/robot")
    index = await open_page(browser, hub.http + "/", PHONE)
    await live(third.page, "ticker")
    await live(ceremony.page, "program:robot")
    await live(index.page, "overview")
    assert await third.page.text_content(".lower-third .tick .mk-stage") == "公示中"
    assert await third.page.locator(".lower-third .is-provisional").count() == 0
    assert await words(ceremony) == f"公示中，异议截止 {until}"
    badge = index.page.locator('.prog[data-id="robot"] [data-f="visibility"]')
    assert await badge.text_content() == "公示中"
    delegation = httpx.get(f"{hub.http}/delegations/DL", timeout=10).text
    assert 'badge vis-publication">公示中' in delegation and "vis-published" not in delegation
    await shot(third, "publication-lower-third-1920x1080")
    await shot(ceremony, "publication-ceremony-1920x1080")
    await shot(index, "publication-overview-390x844")
    screens.update({"lower-third": third, "ceremony": ceremony, "index": index})

    # the feeds carry the stage, the deadline, the appeal and the correction
    rows = {r["bib"]: r for r in json.loads(feed(hub, "robot", "json").text)}
    assert {r["stage"] for r in rows.values()} == {"publication"}
    assert rows["1"]["appealed"] == "1" and rows["2"]["appealed"] == ""
    assert rows["2"]["corrected_from"] == corr["previous"]
    assert {r["provisional"] for r in rows.values()} == {""}
    deadline = datetime.datetime.fromisoformat(rows["1"]["objections_until"])
    assert deadline.strftime("%H:%M") == until
    r = feed(hub, "robot", "csv")
    assert r.headers["X-Scorecast-Stage"] == "publication"
    assert r.headers["X-Scorecast-Objections-Until"] == rows["1"]["objections_until"]
    table = list(csv.DictReader(io.StringIO(r.text.removeprefix("\ufeff"))))
    assert table[0]["stage"] == "publication" and "corrected_from" in table[0]
    xml = feed(hub, "robot", "xml").text
    assert 'stage="publication"' in xml and "objections_until=" in xml

    # final: the hub's clock closes cook's 6 s window; the screen follows without a reload
    await sign_off_all(hub, "cook", JUDGES["cook"])
    cook_chief = await judge(hub, "cook-chief")
    await ok(cook_chief, "stage", program="cook", stage="review")
    cook = await open_page(browser, hub.http + "/display/program/cook?seconds=600")
    await live(cook.page, "program:cook")
    assert await words(cook) == "复核中"
    await review_everyone(hub, "cook")
    await ok(cook_chief, "stage", program="cook", stage="publication")
    await says(cook, "公示中，异议截止")
    await live(cook.page, "program:cook")
    await keep(cook)
    await wait_stage(hub, "cook", "final", timeout=60)
    await says(cook, "最终成绩")
    assert await kept(cook)
    assert await cook.page.text_content("[data-badge-of]") == "正式成绩"
    assert feed(hub, "cook", "csv").headers["X-Scorecast-Stage"] == "final"
    await shot(cook, "final-board-1920x1080")
    # cook's medals count now, robot's (in 公示) still wait; both tables follow live
    api = httpx.get(f"{hub.http}/api/v1/medals").json()
    assert sum(r["total"] for r in api["medals"]) == 3 and api["not_counted"] == 1
    ranked = [r["delegation"] for r in api["medals"] if r["rank"] is not None]
    for w in medals.values():
        await wait_for(
            w.page,
            "(n) => document.querySelectorAll('[data-channel=overview] > .mrow:not(.is-no-medal)')"
            ".length === n",
            arg=len(ranked),
        )
        assert await w.page.locator("[data-not-counted-of]").is_visible()
        assert await kept(w)
    await shot(medals["display"], "medals-1920x1080")
    await shot(medals["public"], "medals-390x844")
    await close_all()
    for k, w in [*screens.items(), *medals.items(), ("cook", cook)]:
        assert w.errors == [], (k, w.errors)


async def test_the_program_page_keeps_its_appeal_marks_once_live(
    hub: HubProcess, browser: Browser
) -> None:
    """live.js refilled each row's classes from the bare snapshot, so a 申诉中 row the server
    had marked lost its mark as soon as the first snapshot arrived."""
    await mark_fully(hub, "robot", list(range(1, 9)), salt=5)
    await sign_off_all(hub, "robot", JUDGES["robot"])
    chief = await judge(hub, "robot-chief")
    await ok(chief, "stage", program="robot", stage="review")
    await review_everyone(hub, "robot")
    await ok(chief, "stage", program="robot", stage="publication")
    lead = await judge(hub, "lead-DL")
    await ok(lead, "appeal", program="robot", competitor="robot-1", text="B1")
    await close_all()
    page = await open_page(browser, hub.http + "/programs/robot", PHONE)
    await live(page.page, "program:robot")
    row = page.page.locator('.prow[data-id="robot-1"]')
    assert "is-appealed" in str(await row.get_attribute("class"))
    assert await row.locator(".mk-appeal").is_visible()
    assert page.errors == []
