"""The public index at the real event's size: 108 programs (bench/realscale.py) in 8 categories,
101 in Dalian and 7 at other sites, over three days. Grouped by category with a search box,
filtered by venue and day on the server, by typing in the browser; no overflow and no axe
violation at 390x844 and 1920x1080 (screenshots tests/artifacts/screens/index-108-*.png)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from bench import realscale
from tests.display.browsing import HD, PHONE, live, open_page
from tests.display.conftest import ARTIFACTS
from tests.display.test_accessibility import violations
from tests.display.test_browser import no_overflow
from tests.hubkit import HubProcess
from tools.make_sample import SECTORS, SIDE_EVENTS

pytestmark = pytest.mark.browser
DAYS = ["2026-05-20", "2026-05-21", "2026-05-22"]
AWAY = {
    "sy": ("沈阳职业技术学院", "Shenyang Polytechnic College"),
    "as": ("鞍山技师学院", "Anshan Technician College"),
}


def real_event() -> dict[str, Any]:
    """bench.realscale's 108 programs, each given its skill's sector, a venue and two days."""
    comp = realscale.competition()
    with open(realscale.DATA / "skills.csv", encoding="utf-8") as f:
        sector = {r["slug"]: r["sector"] for r in csv.DictReader(f)}
    comp["categories"] = [
        {"id": k, "name": {"zh": zh, "en": en}} for k, (zh, en) in SECTORS.items()
    ]
    comp["venues"] = [
        {"id": "dl", "name": {"zh": "大连世界博览广场", "en": "Dalian World Expo Center"}}
    ] + [{"id": k, "name": {"zh": zh, "en": en}} for k, (zh, en) in AWAY.items()]
    comp["side_events"] = [{**e, "venue": "dl"} for e in SIDE_EVENTS]  # the sample's
    for i, prog in enumerate(comp["programs"]):
        slug = next(s for s in sector if prog["id"].startswith(s + "-"))
        prog["category"] = sector[slug]
        prog["venue"] = ("sy" if i % 2 else "as") if i >= 101 else "dl"
        prog["days"] = DAYS[i % 2 : i % 2 + 2]
    return comp


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    hub = HubProcess(tmp_path_factory.mktemp("index-108"), competition=real_event())
    hub.start(timeout=60)
    yield hub
    hub.stop()


def shown_ids(html: str) -> list[str]:
    return re.findall(r'<li class="[^"]*" data-class="prog" data-id="([^"]+)"', html)


def test_the_index_groups_108_programs_and_filters_on_the_server(big: HubProcess) -> None:
    html = httpx.get(big.http + "/", timeout=20).text
    ids = shown_ids(html)
    assert len(ids) == 108 == len(set(ids))
    cats = re.findall(r'<section class="cat" data-cat="([^"]+)">', html)
    assert cats == [k for k in SECTORS if k in cats] and len(cats) >= 6  # the file's order
    welding = shown_ids(httpx.get(big.http + "/?q=焊接", timeout=20).text)
    assert welding and all("welding" in p for p in welding)
    assert shown_ids(httpx.get(big.http + "/?q=WELDING+students", timeout=20).text) == [
        p for p in welding if p.endswith("students")
    ]
    away = shown_ids(httpx.get(big.http + "/?venue=sy", timeout=20).text)
    assert (
        len(away) == 4 and len(shown_ids(httpx.get(big.http + "/?venue=as", timeout=20).text)) == 3
    )
    day3 = shown_ids(httpx.get(big.http + f"/?day={DAYS[2]}", timeout=20).text)
    assert len(day3) == 54
    none = httpx.get(big.http + "/?q=nothing-like-this", timeout=20).text
    assert shown_ids(none) == [] and "没有符合条件的项目" in none
    # an unknown venue or day is no filter, not an error
    assert len(shown_ids(httpx.get(big.http + "/?venue=xx&day=1999-01-01", timeout=20).text)) == 108


@pytest.mark.parametrize(("label", "viewport"), [("390x844", PHONE), ("1920x1080", HD)])
async def test_the_index_of_108_programs_on_a_phone_and_a_big_screen(
    big: HubProcess, browser: Browser, label: str, viewport: dict[str, int]
) -> None:
    assert await violations(browser, big.http + "/", viewport) == []
    w = await open_page(browser, big.http + "/", viewport)
    try:
        await live(w.page, "overview")
        await no_overflow(w.page)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await w.page.screenshot(path=str(ARTIFACTS / f"index-108-{label}.png"))
        await w.page.fill("[data-find]", "数控")
        visible = await w.page.eval_on_selector_all(
            ".prog[data-search]",
            "els => els.filter(e => !e.hidden && e.offsetParent).map(e => e.dataset.id)",
        )
        assert visible and all(v.startswith(("cnc-", "cnc")) for v in visible), visible
        found = await w.page.text_content("[data-found]")
        assert found is not None and str(len(visible)) in found and "108" in found
        await w.page.screenshot(path=str(ARTIFACTS / f"index-108-{label}-search.png"))
        assert w.errors == []
    finally:
        await w.page.context.close()


async def test_the_schedule_by_day_links_every_program_s_board(
    big: HubProcess, browser: Browser
) -> None:
    html = httpx.get(big.http + "/schedule", timeout=20).text
    days = re.findall(r'<section class="day" id="day-([0-9-]+)">', html)
    assert days == DAYS
    for day in DAYS:
        section = html.split(f'id="day-{day}"')[1].split("</section>")[0]
        linked = re.findall(r'<a href="/programs/([^"]+)">', section)
        # each program competes on two days: the first or the last day, and the middle one
        assert len(linked) == (108 if day == DAYS[1] else 54)
        times = re.findall(r'<span class="e-time">(\d\d:\d\d)', section)
        assert times == sorted(times) and times  # side events in time order
    assert "招聘会" in html and "开幕式" in html
    for label, viewport in (("390x844", PHONE), ("1920x1080", HD)):
        assert await violations(browser, big.http + "/schedule", viewport) == []
        w = await open_page(browser, big.http + "/schedule", viewport)
        try:
            await no_overflow(w.page)
            await w.page.screenshot(path=str(ARTIFACTS / f"schedule-{label}.png"))
        finally:
            await w.page.context.close()
