"""The pad of an anonymous program in chromium (issue 15): every HTTP response and WebSocket
frame the judge's browser receives before decryption carries codes only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.anonymity_kit import anonymous_competition, draw, leaks
from tests.hubkit import HubProcess

SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
pytestmark = pytest.mark.browser


@pytest.fixture
def ahub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(tmp_path / "hub", anonymous_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


@pytest.mark.parametrize(
    ("who", "layer", "aspect", "value", "viewport"),
    [
        ("weld-j1", "workstation", "A1", "2", {"width": 1920, "height": 1080}),
        ("weld-k1", "code", "B1", "7", {"width": 390, "height": 844}),
        # SY's judge: SY's codes listed like the rest, "assigned to other judges"
        ("weld-sy", "workstation", "A1", "2", {"width": 1920, "height": 1080}),
    ],
)
async def test_the_pad_of_an_anonymous_program_shows_and_receives_codes_only(
    ahub: HubProcess, browser: Any, who: str, layer: str, aspect: str, value: str, viewport: Any
) -> None:
    hub = ahub
    d = draw(hub)
    own = "SY" if who == "weld-sy" else "HLD"
    first = min((r for r in d["rows"] if r["delegation"] != own), key=lambda row: row["order"])
    theirs = [f"{r['workstation']:02d}" for r in d["rows"] if r["delegation"] == own]
    code = first["code"] if layer == "code" else f"{first['workstation']:02d}"
    received: list[Any] = []
    bodies: list[Any] = []
    context = await browser.new_context(viewport=viewport)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    async def on_response(response: Any) -> None:
        try:
            bodies.append(await response.text())
        except Exception:  # noqa: BLE001 — a redirect or an aborted request has no body
            pass

    page.on("response", on_response)
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.append(json.loads(payload))),
    )
    await page.goto(f"{hub.http}/judge")
    await page.fill("#token", hub.tokens[who])
    await page.click("#signin-button")
    await expect(page.locator("table.grid")).to_be_visible()
    rows = page.locator("tr[data-competitor]")
    await expect(rows).to_have_count(6)
    by_order = sorted(d["rows"], key=lambda row: row["order"])
    shown = [r["code"] if layer == "code" else f"{r['workstation']:02d}" for r in by_order]
    assert [await r.get_attribute("data-competitor") for r in await rows.all()] == shown
    for c in theirs:  # no gap in the list; no reason given
        cell = page.locator(f'td.cell[data-competitor="{c}"][data-aspect="{aspect}"]')
        await expect(cell).to_have_attribute("data-state", "conflict")
        await expect(cell).to_contain_text("Assigned to other judges")
    cellsel = f'td.cell[data-competitor="{code}"][data-aspect="{aspect}"]'
    if aspect == "A1":
        await page.locator(f'{cellsel} button.choice[data-value="{value}"]').click()
    else:
        field = page.locator(f"{cellsel} input.value")
        await field.fill(value)
        await field.press("Enter")
    await expect(page.locator(cellsel)).to_have_attribute("data-state", "acked")
    SCREENS.mkdir(parents=True, exist_ok=True)
    tag = f"{layer}-others" if who == "weld-sy" else layer
    await page.screenshot(path=str(SCREENS / f"pad-anonymous-{tag}-{viewport['width']}.png"))
    await page.reload()
    await expect(page.locator(cellsel)).to_have_attribute("data-state", "acked")
    await context.close()
    assert errors == []
    assert received and bodies
    assert leaks([*received, *bodies], d, layer, own) == []


async def test_a_judge_of_both_layers_marks_the_second_layer_from_the_pad(
    tmp_path: Path, browser: Any
) -> None:
    """A judge assigned every criterion saw one row per workstation with a B1 cell, whose mark
    went out under the workstation number and was refused (``unknown_competitor``). Each layer
    has its own rows now, with that layer's cells only."""
    from tests.anonymity_kit import pairings

    comp = anonymous_competition()
    comp["judges"].append(
        {"id": "weld-both", "delegation": "HLD", "assignments": [{"program": "weld"}]}
    )
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        received: list[Any] = []
        context = await browser.new_context(viewport={"width": 1920, "height": 1080})
        page = await context.new_page()
        page.on(
            "websocket",
            lambda ws: ws.on("framereceived", lambda p: received.append(json.loads(p))),
        )
        await page.goto(f"{hub.http}/judge#token={hub.tokens['weld-both']}")
        rows = page.locator("tr[data-competitor]")
        await expect(rows).to_have_count(12)
        code = sorted(r["code"] for r in d["rows"])[0]
        ws = f"{d['rows'][0]['workstation']:02d}"
        assert await page.locator(f'td.cell[data-competitor="{ws}"][data-aspect="B1"]').count() == 0
        assert (
            await page.locator(f'td.cell[data-competitor="{code}"][data-aspect="A1"]').count() == 0
        )
        cellsel = f'td.cell[data-competitor="{code}"][data-aspect="B1"]'
        field = page.locator(f"{cellsel} input.value")
        await field.fill("7")
        await field.press("Enter")
        await expect(page.locator(cellsel)).to_have_attribute("data-state", "acked")
        await page.screenshot(path=str(SCREENS / "pad-anonymous-both-layers-1920.png"))
        await context.close()
        layer = {"A1": "workstation", "A2": "workstation", "B1": "code"}
        assert pairings(received, d, layer, {"weld-k1": "code"}) == []
    finally:
        hub.stop()
