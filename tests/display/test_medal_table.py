"""The medal table before and after the first medals: an empty state, then medal winners ranked
and the other delegations after them, unranked, on /medals, /display/medals and in live.js."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser

from display.data import medal_view
from tests.display.browsing import PHONE, live, open_page
from tests.display.conftest import ARTIFACTS, mark_fully, publish, run_async, start_hub
from tests.display.markup import rows_of
from tests.hubkit import HubProcess, close_all


def get(hub: HubProcess, path: str) -> str:
    r = httpx.get(hub.http + path, timeout=10)
    assert r.status_code == 200, r.text[:300]
    return r.text


def shown_states(html: str) -> list[str]:
    """The medal states whose message is not hidden."""
    return re.findall(r'data-medal-state="(\w+)"(?! hidden)>', html)


@pytest.fixture
def unpublished(tmp_path: Path) -> Iterator[HubProcess]:
    """A hub whose programs are marked but none is published: no official result."""
    hub = start_hub(tmp_path / "hub")

    async def marks() -> None:
        try:
            await mark_fully(hub, "robot", list(range(1, 9)), salt=5)
        finally:
            await close_all()

    try:
        run_async(marks())
        yield hub
    finally:
        hub.stop()


def test_before_any_official_result_the_medal_table_is_an_empty_state(
    unpublished: HubProcess,
) -> None:
    for path in ("/medals", "/display/medals"):
        html = get(unpublished, path)
        assert rows_of(html, "overview") == []  # nobody ranked 1st with no medals
        assert shown_states(html) == ["no_results"]
        assert "尚无正式成绩" in html
        assert re.search(r'<table class="[^"]*medals" data-full-of="overview" hidden', html)
        assert "No official results yet" in get(unpublished, path + "?lang=en")
    assert "尚未获得奖牌" in get(unpublished, "/delegations/SY")


def test_with_medals_winners_are_ranked_and_the_others_follow_unranked(
    site: HubProcess,
) -> None:
    medals = httpx.get(f"{site.http}/api/v1/medals", timeout=10).json()["medals"]
    winners = [m["delegation"] for m in medals if m["total"]]
    others = [m["delegation"] for m in medals if not m["total"]]
    assert winners and others  # the seeded robot program gives 3 medals to 6 delegations of 7
    for path in ("/medals", "/display/medals?rows=40"):
        html = get(site, path)
        assert shown_states(html) == []
        table = rows_of(html, "overview")
        assert [r.id for r in table] == winners + others
        for r in table[: len(winners)]:
            assert r.fields["rank"].isdigit() and "is-no-medal" not in r.classes
        for r in table[len(winners) :]:
            assert r.fields["rank"] == "" and "is-no-medal" in r.classes
            assert r.fields["total"] == "0"
    no_medal = others[0]
    assert "尚未获得奖牌" in get(site, f"/delegations/{no_medal}")
    assert "尚未获得奖牌" not in get(site, f"/delegations/{winners[0]}")


def test_medal_view_keeps_the_cores_rows_and_blanks_only_the_rank() -> None:
    row = {"delegation": "A", "rank": 1, "medals": {"gold": 1}, "points": 0, "total": 1}
    zero = {"delegation": "B", "rank": 2, "medals": {"gold": 0}, "points": 0, "total": 0}
    final = [{"id": "p", "visibility": "published", "lifecycle": "final"}]
    assert medal_view({"medals": [row, zero], "rows": final}) == {
        "state": "ranked",
        "rows": [row, {**zero, "rank": None, "no_medal": True}],
        "not_counted": 0,
    }
    assert medal_view({"medals": [{**zero, "rank": 1}], "rows": final}) == {
        "state": "no_medals",
        "rows": [],
        "not_counted": 0,
    }
    live_only = [{"id": "p", "visibility": "live", "lifecycle": "marking"}]
    assert medal_view({"medals": [{**zero, "rank": 1}], "rows": live_only})["state"] == (
        "no_results"
    )
    # in 公示 a program is public, its medals not counted yet: still no official result
    publication = [{"id": "p", "visibility": "published", "lifecycle": "publication"}]
    assert medal_view({"medals": [{**zero, "rank": 1}], "rows": publication, "not_counted": 1}) == {
        "state": "no_results",
        "rows": [],
        "not_counted": 1,
    }
    assert medal_view({"medals": [], "rows": []}) == {
        "state": "no_results",
        "rows": [],
        "not_counted": 0,
    }


@pytest.mark.browser
async def test_the_live_table_leaves_its_empty_state_as_the_server_renders_it(
    unpublished: HubProcess, browser: Browser
) -> None:
    for path, viewport in (("/medals", PHONE), ("/display/medals?rows=40", None)):
        kw = {"viewport": viewport} if viewport else {}
        w = await open_page(browser, unpublished.http + path, reduced_motion="reduce", **kw)
        await live(w.page, "overview")
        assert await w.page.locator("[data-medal-state=no_results]").is_visible()
        assert not await w.page.locator("table[data-full-of]").is_visible()
        size = "390x844" if viewport else "1920x1080"
        name = "public-medals" if path == "/medals" else "display-medals"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await w.page.screenshot(path=str(ARTIFACTS / f"{name}-empty-{size}.png"))
        await w.page.context.close()
    # open both, then publish: the live client must draw what the server renders afterwards
    pages = [
        await open_page(browser, unpublished.http + p, reduced_motion="reduce")
        for p in ("/medals", "/display/medals?rows=40")
    ]
    for w in pages:
        await live(w.page, "overview")
    run_async(_publish(unpublished))
    for w, path in zip(pages, ("/medals", "/display/medals?rows=40"), strict=True):
        await w.page.wait_for_selector("table[data-full-of] tr[data-id]", state="visible")
        assert not await w.page.locator(".empty, .v-empty").first.is_visible()
        live_rows = rows_of(await w.page.content(), "overview")
        served = rows_of(get(unpublished, path), "overview")
        assert [(r.id, r.fields, r.classes - {"is-flash"}) for r in live_rows] == [
            (r.id, r.fields, r.classes) for r in served
        ]
        assert any("is-no-medal" in r.classes and r.fields["rank"] == "" for r in live_rows)
        assert w.errors == []
        await w.page.context.close()


async def _publish(hub: HubProcess) -> None:
    try:
        await publish(hub, "robot")
    finally:
        await close_all()
