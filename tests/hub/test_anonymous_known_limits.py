"""What the author of issue 15's layer rule left, checked through a real hub (review rev5).

- A judge of both layers, under conflict of interest, was refused both codes of their own
  delegation's competitor: ``/judge/api/me`` listed them in ``others`` on both layers, and with
  one competitor of that delegation the two codes were paired. The competition file refuses
  such a judge now (tests/scoreboard/test_loader.py); a one-layer judge learns their own
  delegation's codes only (doc: competition-format.md, what remains inferable).
- A sign-off of one layer of two (a judge of both layers) had no time on that layer's signed
  sheet (评分表): the core kept a time only once both layers were signed, and printed it on the
  desk layer's sheet. Each layer's sign-off keeps its time now (``layer_signed_at``), printed on
  that layer's sheet. (Fixed; the test failed before.)
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from server.cli import main
from tests.anonymity_kit import anonymous_competition, draw
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import ok


def start(tmp_path: Path, delegation: str) -> HubProcess:
    comp = anonymous_competition()
    comp["programs"][0]["conflict_of_interest"] = True
    comp["judges"].append(
        {"id": "weld-both", "delegation": delegation, "assignments": [{"program": "weld"}]}
    )
    h = HubProcess(tmp_path / "hub", comp)
    h.issue_credentials()
    h.start()
    return h


async def test_a_sign_off_of_one_layer_prints_its_time_on_that_layers_sheet(
    tmp_path: Path,
) -> None:
    hub = start(tmp_path, "HLD")
    try:
        d = draw(hub)
        both = await judge(hub, "weld-both")
        k = d["rows"][0]["code"]
        await ok(both, "mark", program="weld", competitor=k, aspect="B1", value="8.5")
        await ok(both, "signoff", program="weld", competitor=k)  # the second layer only
        code = await asyncio.to_thread(
            main,
            ["export", "sheets", "--competition", str(hub.competition_path), "--store",
             hub.store, "--out", str(tmp_path), "--program", "weld", "--base-url",
             "https://results.example.org"],
        )  # fmt: skip
        assert code == 0
    finally:
        hub.stop()
    from tests.hub.test_signed_sheets import check_pdf

    later = check_pdf(tmp_path / "sheets" / "weld" / "评分表-weld-both-code.pdf", "sheet-both-code")
    (line,) = [ln for ln in later.splitlines() if ln.strip().startswith(k)]
    assert "8.5" in line and "20" in line.split("8.5", 1)[1], line  # the mark and its date
