"""axe-core (WCAG 2 A and AA) on the public pages of the whole event, with their content.

test_accessibility.py audits the display tests' seeded hub, whose file has no side events, no
consent and no honours: its /talent is the empty list and its /schedule the bare programs. Here
the export tests' competition (venues, categories, honours, consent) with the sample's side
events: /talent listing winners, /schedule with side events, /verify of a real and a wrong
code, the delegation pages, the medal table, and the venue screens; and the same hub before
anything is marked or published (the medal table's and the talent list's empty states).
Screenshots: tests/artifacts/screens/event-*.png.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from tests.display.browsing import HD, PHONE, open_page
from tests.display.conftest import ARTIFACTS, run_async, seed
from tests.display.test_accessibility import violations
from tests.hubkit import HubProcess
from tests.workbooks.conftest import event_competition, verify_path
from tools.make_sample import SIDE_EVENTS

pytestmark = pytest.mark.browser

VENUE_SCREENS = [
    "/display/program/robot",
    "/display/program/weld",
    "/display/program/cnc",
    "/display/medals",
    "/display/carousel",
    "/display/ticker",
    "/display/ceremony/robot",
]


def whole_event() -> dict[str, Any]:
    comp = event_competition()
    comp["side_events"] = [{**e, "venue": "dl"} for e in SIDE_EVENTS]
    return comp


def hub_of(tmp: Path) -> HubProcess:
    hub = HubProcess(tmp, competition=whole_event(), env={"SCORECAST_JUDGE_RATE": "10000"})
    hub.issue_credentials()
    hub.start()
    return hub


@pytest.fixture(scope="module")
def event(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """weld live, cook hidden, cnc frozen, robot published (the display tests' seed)."""
    hub = hub_of(tmp_path_factory.mktemp("event-hub"))
    try:
        run_async(seed(hub))
        yield hub
    finally:
        hub.stop()


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The same file, nothing marked, nothing published."""
    hub = hub_of(tmp_path_factory.mktemp("event-before"))
    yield hub
    hub.stop()


async def audit(browser: Browser, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        for label, viewport in (("phone", PHONE), ("hd", HD)):
            v = await violations(browser, base + path, viewport)
            if v:
                found[f"{path} {label}"] = v
    return found


async def shoot(browser: Browser, url: str, name: str, status: int = 200) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in (("390x844", PHONE), ("1920x1080", HD)):
        w = await open_page(browser, url, viewport)
        try:
            await w.page.wait_for_load_state("networkidle")
            await w.page.screenshot(path=str(ARTIFACTS / f"event-{name}-{label}.png"))
            # a 404 page logs its own status as a console error, nothing else may be logged
            expected = f"status of {status} " if status != 200 else None
            errors = [e for e in w.errors if not (expected and expected in e)]
            assert errors == [], (url, errors)
        finally:
            await w.page.context.close()


async def test_the_event_s_public_pages_with_content_have_no_wcag_violation(
    event: HubProcess, browser: Browser, tmp_path: Path
) -> None:
    real = await asyncio.to_thread(verify_path, event, tmp_path, "robot", "robot-1")
    talent = httpx.get(event.http + "/talent", timeout=10).text
    assert re.findall(r'<li data-id="([^"]+)"', talent)  # winners who consented are listed
    schedule = httpx.get(event.http + "/schedule", timeout=10).text
    assert "开幕式" in schedule and "/programs/robot" in schedule
    codes = ["SY", "DL", "JZ", "AS", "FS", "BX", "HLD"]
    paths = [
        "/",
        "/talent",
        "/talent?lang=en",
        "/schedule",
        "/schedule?lang=en",
        "/medals",
        real,
        "/verify/0000-0000-0000",
        *(f"/delegations/{c}" for c in codes),
        *VENUE_SCREENS,
    ]
    found = await audit(browser, event.http, paths)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    await shoot(browser, event.http + "/talent", "talent")
    await shoot(browser, event.http + "/verify/0000-0000-0000", "verify-wrong", 404)
    await shoot(browser, event.http + "/schedule", "schedule")


async def test_the_event_s_public_pages_before_anything_is_published(
    before: HubProcess, browser: Browser
) -> None:
    assert "尚无正式成绩" in httpx.get(before.http + "/medals", timeout=10).text
    paths = ["/", "/medals", "/talent", "/schedule", "/delegations/SY", "/display/medals"]
    found = await audit(browser, before.http, paths)
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)
    await shoot(browser, before.http + "/medals", "medals-empty")
    await shoot(browser, before.http + "/talent", "talent-empty")
