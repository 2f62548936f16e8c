"""Every public page prints as a clean A4 result sheet: chromium's print to PDF, read back with
poppler's pdftotext and pdfinfo, rendered to PNG with pdftoppm (tests/artifacts/screens/print-*)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.async_api import Browser

from tests.display.conftest import ARTIFACTS
from tests.hubkit import HubProcess

pytestmark = pytest.mark.browser

# what only the screen has: tabs, language switch, footer, feeds, the reconnecting notice
SCREEN_ONLY = ["奖牌榜", "中文", "EN", "Scorecast", "API", "JSON", "CSV", "重新连接"]
PAGES = {
    "program-robot": "/programs/robot",
    "program-weld": "/programs/weld",
    "competitor": "/competitors/weld-3",
    "delegation": "/delegations/JZ",
    "home": "/",
}


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run ./scripts/install.sh (it installs poppler-utils)")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


async def print_pdf(browser: Browser, url: str, path: Path) -> str:
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_load_state("networkidle")
        await page.pdf(path=str(path), format="A4")
    finally:
        await context.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    poppler(
        "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(path), str(path.with_suffix(""))
    )
    info = poppler("pdfinfo", str(path))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+|Page size:.*\(A4\)", info), info
    return poppler("pdftotext", "-layout", str(path), "-")


async def test_a_printed_program_page_is_a_result_sheet_without_navigation(
    site: HubProcess, browser: Browser
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    text = await print_pdf(
        browser, site.http + "/programs/robot", ARTIFACTS / "print-program-robot.pdf"
    )
    flat = re.sub(r"\s+", "", text)
    assert "2026年辽宁省职业院校技能大赛" in flat  # the competition
    assert "工业机器人系统集成与智能制造生产线安装调试" in flat  # the program
    assert "已公布：正式成绩" in flat  # the state, in words
    assert re.search(r"打印时间\d{4}-\d\d-\d\d\d\d:\d\dUTC[+-]\d\d:\d\d", flat)  # when
    assert "刘洋" in flat and "18.50" in flat and "金牌" in flat  # the results
    assert [s for s in SCREEN_ONLY if s in text] == []
    en = await print_pdf(
        browser, site.http + "/programs/robot?lang=en", ARTIFACTS / "print-program-robot-en.pdf"
    )
    assert "Industrial Robot Systems Integration" in en and "Published: official results" in en


async def test_every_public_page_prints_with_its_state_and_no_navigation(
    site: HubProcess, browser: Browser
) -> None:
    states = {
        "program-weld": "实时成绩：临时成绩，非正式结果",
        "competitor": "实时成绩：临时成绩，非正式结果",
        "delegation": "含临时成绩",
        "home": "含临时成绩",
    }
    for name, path in PAGES.items():
        if name == "program-robot":
            continue
        text = await print_pdf(browser, site.http + path, ARTIFACTS / f"print-{name}.pdf")
        flat = re.sub(r"\s+", "", text)
        assert "2026年辽宁省职业院校技能大赛" in flat and "打印时间" in flat, name
        assert states[name] in flat, (name, text[:400])
        assert [s for s in SCREEN_ONLY if s in text] == [], name
    medals = await print_pdf(browser, site.http + "/medals", ARTIFACTS / "print-medals.pdf")
    assert "仅计正式成绩" in medals and "本溪" in medals
    assert [s for s in SCREEN_ONLY if s in medals and s != "奖牌榜"] == []  # its title, not its tab


EMPTY_MARKERS = """() => [...document.querySelectorAll('.mk, .award, .badge')]
    .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length
                 && !e.textContent.trim())
    .map(e => e.className)"""


async def test_no_empty_marker_is_drawn_on_screen_or_on_paper(
    site: HubProcess, browser: Browser
) -> None:
    """A row's markers (provisional, pending, appeal, correction, stage, award) show only with a
    word in them: the correction marker of every row was an empty pill on screen and an empty
    outlined box on the printed sheet (the corrections list's rule applied to every row)."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        for path in PAGES.values():
            await page.goto(site.http + path)
            await page.wait_for_load_state("networkidle")
            for media in ("screen", "print"):
                await page.emulate_media(media=media)  # type: ignore[arg-type]
                assert await page.evaluate(EMPTY_MARKERS) == [], (path, media)
            await page.emulate_media(media="screen")
    finally:
        await context.close()
