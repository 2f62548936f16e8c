"""A judge assigned aspects of both layers of a two-layer anonymous program marks both from the
pad (issue 15, fifth review).

``/judge/api/me`` listed such a judge's competitors by workstation number only, one row each,
and the pad offers every aspect of the judge on every row: a B1 mark (second-code layer) went
out under the workstation number and was refused ``unknown_competitor`` (B1 is marked under the
second code), so the second layer could not be marked from the pad at all. Now the judge gets
one row per layer and competitor, each with its layer and the aspects marked under it: the
workstation rows in the marking order, then the second-code rows in code order (never next to
their workstation), and nothing in the answer pairs a workstation number with a code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import LAYER, both_layers_hub, draw, leaks, pairings
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import step


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = both_layers_hub(tmp_path)
    yield h
    h.stop()


def me(hub: HubProcess) -> dict[str, Any]:
    r = httpx.get(
        f"{hub.http}/judge/api/me", headers={"Authorization": f"Bearer {hub.tokens['weld-both']}"}
    )
    assert r.status_code == 200, r.text
    return r.json()["programs"]["weld"]  # type: ignore[no-any-return]


async def test_a_judge_of_both_layers_marks_each_layer_from_the_pad(ahub: HubProcess) -> None:
    hub = ahub
    d = draw(hub)
    mine = me(hub)
    assert mine["aspects"] == ["A1", "A2", "B1"]
    both = await judge(hub, "weld-both")
    answers = []
    # what the pad does: each row's id as the competitor, each aspect the row offers
    for row in mine["competitors"]:
        for aid in row.get("aspects", mine["aspects"]):
            value = "pass" if aid == "A2" else "1"
            answers.append(await step(both, "mark", program="weld", competitor=row["id"],
                                      aspect=aid, value=value))  # fmt: skip
    refused = [a for a in answers if a["type"] != "ack"]
    assert refused == [], refused[:3]
    assert len(answers) == 3 * len(d["rows"])  # A1, A2 and B1 of every competitor, once each
    rows = mine["competitors"]
    ws = {f"{r['workstation']:02d}" for r in d["rows"]}
    codes = {r["code"] for r in d["rows"]}
    assert [r["layer"] for r in rows] == ["workstation"] * 6 + ["code"] * 6
    assert {r["id"] for r in rows if r["layer"] == "workstation"} == ws
    second = [r["id"] for r in rows if r["layer"] == "code"]
    assert second == sorted(codes)  # in code order, not the workstations' marking order
    assert all(r["aspects"] == ["A1", "A2"] for r in rows if r["layer"] == "workstation")
    assert all(r["aspects"] == ["B1"] for r in rows if r["layer"] == "code")
    # signed off by layer, each row under its own code
    signed = await step(both, "signoff", program="weld", competitor=second[0])
    assert signed["type"] == "ack", signed
    after = me(hub)
    assert after["signed_off"] == [second[0]]
    assert set(after["marks"]) == ws | codes
    seen = [mine, after, *both.frames]
    assert pairings(seen, d, LAYER, {"weld-k1": "code"}) == []
    assert leaks(seen, d, "workstation", "HLD", both_layers=True) == []
