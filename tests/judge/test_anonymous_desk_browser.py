"""The chief's desk of an anonymous program in chromium (issue 15): the chief draws on the desk
with the supervisor's seed input, the board shows codes, the chief asks for decryption after the
review and a supervisor confirms it on their own desk; then the desk shows names. Every frame
and response the chief's browser receives before decryption is searched for names, bibs, ids,
other delegations and second codes. Screenshots before and after decryption, 1920x1080."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Page, expect

from tests.anonymity_kit import anonymous_competition, draw_key, leaks, pairings
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import ok, review_everyone


def numeric(code: str) -> list[tuple[int, int | str]]:
    """A sort key like the desk's ``localeCompare(…, {numeric: true})``: digit runs by value."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", code) if p]


SCREENS = Path(__file__).resolve().parent.parent / "artifacts" / "screens"
HD = {"width": 1920, "height": 1080}
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}
pytestmark = pytest.mark.browser


@pytest.fixture
def ahub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(tmp_path / "hub", anonymous_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


async def signed_in(browser: Any, hub: HubProcess, who: str, errors: list[str]) -> Page:
    context = await browser.new_context(viewport=HD)
    await context.add_init_script("localStorage.setItem('scorecast.lang', 'en')")
    page = await context.new_page()
    page.on("pageerror", lambda e: errors.append(f"{who}: {e}"))
    await page.goto(f"{hub.http}/judge#token={hub.tokens[who]}")
    return page


async def mark_all(hub: HubProcess, d: dict[str, Any]) -> None:
    judges = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3", "weld-k1")}
    for n, r in enumerate(d["rows"]):
        ws, code = f"{r['workstation']:02d}", r["code"]
        for jid, c in judges.items():
            marks = [("B1", str(5 + n % 3))] if jid == "weld-k1" else [("A1", str(1 + n % 3))]
            if jid == "weld-j1":
                marks.append(("A2", "pass"))
            typed = code if jid == "weld-k1" else ws
            for aspect, value in marks:
                await ok(c, "mark", program="weld", competitor=typed, aspect=aspect, value=value)
            await ok(c, "signoff", program="weld", competitor=typed)


async def test_the_chief_draws_and_decrypts_on_the_desk_which_shows_codes_until_then(
    ahub: HubProcess, browser: Any
) -> None:
    hub = ahub
    errors: list[str] = []
    received: list[Any] = []
    bodies: list[Any] = []
    desk = await signed_in(browser, hub, "weld-chief", errors)

    async def on_response(response: Any) -> None:
        try:
            bodies.append(await response.text())
        except Exception:  # noqa: BLE001 — a redirect or an aborted request has no body
            pass

    desk.on("response", on_response)
    desk.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda payload: received.append(json.loads(payload))),
    )
    fair = desk.locator(".fair")
    await expect(fair).to_contain_text("Not drawn yet")
    await fair.locator(".seed-input").fill("4729")
    await fair.locator(".run-draw").click()
    await desk.click("#dialog-ok")
    await expect(fair).to_contain_text("seed input “4729”", timeout=10000)
    await expect(fair.locator(".fair-note")).to_contain_text("the supervisor prints it")
    d = draw_key(hub)
    codes = sorted(f"{r['workstation']:02d}" for r in d["rows"])
    # two layers: one table per layer, each under its own codes in code order, no total
    rows = desk.locator("table.jury[data-layer=workstation] tbody tr")
    await expect(rows).to_have_count(6, timeout=10000)
    assert [await r.get_attribute("data-competitor") for r in await rows.all()] == codes
    second = desk.locator("table.jury[data-layer=code] tbody tr")
    await expect(second).to_have_count(6)
    listed = [await r.get_attribute("data-competitor") for r in await second.all()]
    # in code order as the desk sorts (numeric-aware, as it sorts bibs: 9EHJ before 97XX; a
    # plain sort failed the test whenever a drawn code began with two digits)
    assert listed == sorted((r["code"] for r in d["rows"]), key=numeric)
    await expect(desk.locator("table.jury td.total")).to_have_count(0)
    # each layer locks under its own code (layer_rule): the code table has its lock column,
    # and locking a code locks nothing on the workstation table
    await expect(desk.locator("table.jury[data-layer=code] .lock-col")).to_have_count(6)
    first = second.first
    await first.locator(".lock-col button").click()
    await expect(first).to_have_class("locked", timeout=10000)
    await expect(desk.locator("table.jury[data-layer=workstation] tr.locked")).to_have_count(0)
    await first.locator(".lock-col button").click()  # unlock, with a reason
    await desk.fill("#dialog-input", "checked the work")
    await desk.click("#dialog-ok")
    await expect(desk.locator("table.jury tr.locked")).to_have_count(0, timeout=10000)

    await mark_all(hub, d)
    chief = await judge(hub, "weld-chief")
    await ok(chief, "stage", program="weld", stage="review")
    await review_everyone(hub, "weld")
    await expect(desk.locator(".stage.current")).to_have_attribute(
        "data-stage", "review", timeout=15000
    )
    await expect(desk.locator(".jcell[data-state=complete]")).to_have_count(18, timeout=10000)
    await desk.click(".ask-decrypt")
    await desk.fill("#dialog-input", "复核完毕")
    await desk.click("#dialog-ok")
    await expect(fair.locator(".fair-pending")).to_contain_text("waiting for a supervisor")
    SCREENS.mkdir(parents=True, exist_ok=True)
    await desk.wait_for_timeout(300)
    await desk.screenshot(path=str(SCREENS / "desk-anonymous-encrypted-1920.png"))
    await desk.evaluate(  # the two layers' tables: the board scrolled to the second one
        "document.querySelector('.grid-wrap').scrollTop ="
        " document.querySelector('table.jury[data-layer=code]').offsetTop - 260"
    )
    await desk.wait_for_timeout(300)
    await desk.screenshot(path=str(SCREENS / "desk-anonymous-layers-1920.png"), full_page=True)
    await desk.click("#lang")  # the same desk in Chinese
    await expect(fair.locator("h3")).to_have_text("抽签与解密")
    await desk.wait_for_timeout(300)
    await desk.screenshot(path=str(SCREENS / "desk-anonymous-encrypted-zh-1920.png"))
    await expect(desk.locator("table.jury[data-layer=code] caption")).to_have_text(
        "成果评分：按二次加密编号"
    )
    await desk.screenshot(path=str(SCREENS / "desk-anonymous-layers-zh-1920.png"), full_page=True)
    await desk.click("#lang")
    await expect(fair.locator("h3")).to_have_text("Draw and decryption")
    assert leaks([*received, *bodies], d, "workstation", "HLD", both_layers=True) == []
    parsed = [json.loads(b) for b in bodies if b.startswith(("{", "["))]
    assert pairings([*received, *parsed], d, LAYER, {"weld-k1": "code"}) == []
    assert received and bodies

    sup = await signed_in(browser, hub, "sup", errors)
    confirm = sup.locator(".fair .confirm-decrypt").first
    await expect(confirm).to_be_visible(timeout=15000)
    await sup.wait_for_timeout(300)
    await sup.screenshot(path=str(SCREENS / "desk-anonymous-supervisor-1920.png"))
    await confirm.click()
    await sup.click("#dialog-ok")
    # the desk's board turns to names by itself (a fresh snapshot of the jury channel)
    names = desk.locator("table.jury tbody .cname")
    await expect(names.first).not_to_be_empty(timeout=10000)
    assert sorted(await names.all_inner_texts()) == sorted(r["name"]["en"] for r in d["rows"])
    await expect(fair.locator(".fair-state")).to_contain_text("Decrypted", timeout=10000)
    await expect(fair.locator(".print-draw")).to_have_count(2)
    await desk.wait_for_timeout(300)
    await desk.screenshot(path=str(SCREENS / "desk-anonymous-decrypted-1920.png"))
    assert errors == []
