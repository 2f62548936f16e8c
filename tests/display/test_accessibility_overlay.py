"""axe-core (WCAG 2 A and AA) on the broadcast overlays, showing a program with results.

An overlay's page is transparent: the broadcaster's compositor keys it over video, which no
audit can see. axe-core judges a transparent page as if it were the browser's default white
canvas (with it, these overlays pass too, nothing is left "incomplete"); white is no more the
video than any other colour. The overlays' text sits on boxes of its own (the panel, the
badges, the lower third), some of them translucent, so the audit paints the page behind them a
mid grey (#808080, only here, in the test; the page served to the compositor stays
transparent, test_browser.py checks that) and every text node must hold its contrast on its
box over it. Text without a box of its own would be judged on the grey, and a failure there is
fixed in overlay.css, not hidden. The test fails if axe judges no text or leaves any undecided.
Audited at 1920x1080 and 1280x720. Screenshots: tests/artifacts/screens/overlay-a11y-*.png.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.async_api import Browser

from tests.display.browsing import HD, live, open_page, wait_for
from tests.display.conftest import ARTIFACTS
from tests.display.test_accessibility import AXE
from tests.hubkit import HubProcess

pytestmark = pytest.mark.browser

# (name, path, the live channel the page must hold before the audit)
OVERLAYS = [
    ("lower-third", "/overlay/lower-third?hold=0", "ticker"),
    ("lower-third-robot", "/overlay/lower-third?hold=0&program=robot", "ticker"),
    ("top-weld-live", "/overlay/top?program=weld&n=8", "program:weld"),
    ("top-cnc-frozen", "/overlay/top?program=cnc&n=8", "program:cnc"),
    ("top-robot-published", "/overlay/top?program=robot&n=8", "program:robot"),
    ("top-robot-published-en", "/overlay/top?program=robot&n=8&lang=en", "program:robot"),
    ("top-cook-hidden", "/overlay/top?program=cook", "program:cook"),
]

# a 720p browser source scales the graphics down with the frame (overlay.css sizes in rem of
# the viewport): the badges' bold 1.1rem is 14 px there, normal text needing 4.5:1, not 3:1
HD720 = {"width": 1280, "height": 720}
BEHIND = "#808080"  # the audit's stand-in for the video behind the overlay


async def audit(
    browser: Browser, url: str, channel: str, shot: str, viewport: dict[str, int]
) -> dict[str, Any]:
    w = await open_page(browser, url, viewport, bypass_csp=True, reduced_motion="reduce")
    try:
        await live(w.page, channel)
        if channel == "ticker":
            await wait_for(w.page, "document.querySelector('.lower-third .tick:not([hidden])')")
        await w.page.wait_for_load_state("networkidle")
        await w.page.add_style_tag(content=f"html {{ background: {BEHIND} !important; }}")
        painted = await w.page.evaluate(
            "getComputedStyle(document.documentElement).backgroundColor"
        )
        assert painted == "rgb(128, 128, 128)", painted
        size = f"{viewport['width']}x{viewport['height']}"
        await w.page.screenshot(path=str(ARTIFACTS / f"overlay-a11y-{shot}-{size}.png"))
        await w.page.add_script_tag(content=AXE)
        result: dict[str, Any] = await w.page.evaluate(
            "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})"
        )
        assert w.errors == [], w.errors
    finally:
        await w.page.context.close()
    return result


def summary(rules: list[dict[str, Any]]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] + " " + n.get("failureSummary", "").replace("\n", " ")
            for n in v["nodes"][:4]
        )
        for v in rules
    ]


@pytest.mark.parametrize(("name", "path", "channel"), OVERLAYS, ids=[o[0] for o in OVERLAYS])
async def test_overlays_with_results_have_no_wcag_violation(
    site: HubProcess, browser: Browser, name: str, path: str, channel: str
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for viewport in (HD, HD720):
        result = await audit(browser, site.http + path, channel, name, viewport)
        found = summary(result["violations"])
        assert found == [], (viewport, json.dumps(found, ensure_ascii=False, indent=1))
        # the contrast of every text node was judged, none left "incomplete" (undecidable)
        contrast = [r for r in result["incomplete"] if r["id"] == "color-contrast"]
        assert summary(contrast) == [], viewport
        judged = [r for r in result["passes"] if r["id"] == "color-contrast"]
        assert judged and judged[0]["nodes"], "no text was judged for contrast"
