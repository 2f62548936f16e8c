"""Each layer of a masked two-layer program locks, signs off and is unlocked under its own code
(issue 15, fifth review: ``scoreboard/program/layer_rule.py``).

An unlock cleared every sign-off of the competitor: when the desk unlocked workstation 07, the
second-code judge's sign-off of that work's code K reopened in the same snapshot, on their pad
(``/judge/api/me``) and on the desk's code table, which paired 07 with K. Now an unlock under
the workstation number reopens that layer's sign-offs only; the second layer is locked and
unlocked under its second code; a judge of both layers signs off each layer under its code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import LAYER, both_layers_hub, draw, leaks, pairings
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok, step

JURY = "program:weld:jury"


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = both_layers_hub(tmp_path)
    yield h
    h.stop()


def me(hub: HubProcess, who: str) -> dict[str, Any]:
    r = httpx.get(
        f"{hub.http}/judge/api/me", headers={"Authorization": f"Bearer {hub.tokens[who]}"}
    )
    assert r.status_code == 200, r.text
    return r.json()["programs"]["weld"]  # type: ignore[no-any-return]


async def drain(c: Any, tag: str) -> None:
    await c.send({"type": "ping", "id": tag})
    await c.recv_until(lambda f: f["type"] == "pong" and f.get("id") == tag)


def code_rows(frames: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    """The desk's code-table row of ``code`` in each jury snapshot, in order."""
    out = []
    for f in frames:
        if f.get("channel") == JURY and f["type"] == "snapshot":
            out += [
                r
                for r in f["data"]["rows"]
                if r["layer"] == "code" and r["competitor"]["id"] == code
            ]
    return out


async def test_an_unlock_under_the_workstation_leaves_the_second_code_signed_off(
    ahub: HubProcess,
) -> None:
    hub = ahub
    d = draw(hub)
    row = d["rows"][0]
    ws, code = f"{row['workstation']:02d}", row["code"]
    k1, j1 = await judge(hub, "weld-k1"), await judge(hub, "weld-j1")
    chief = await judge(hub, "weld-chief")
    await ok(k1, "mark", program="weld", competitor=code, aspect="B1", value="5")
    await ok(k1, "signoff", program="weld", competitor=code)
    await ok(j1, "mark", program="weld", competitor=ws, aspect="A1", value="2")
    await ok(j1, "signoff", program="weld", competitor=ws)
    desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
    await desk.recv_until(lambda f: f["type"] == "snapshot")
    before = me(hub, "weld-k1")
    assert before["signed_off"] == [code]
    n = len(desk.frames)
    await ok(chief, "lock", program="weld", competitor=ws, reason="re-check")
    await ok(chief, "unlock", program="weld", competitor=ws, reason="checked")
    await drain(desk, "after-unlock")
    after = me(hub, "weld-k1")
    # the second-code judge's pad is as it was: K still signed off, nothing locked
    assert after["signed_off"] == [code], after
    assert after == before
    # the workstation's judge is reopened, as an unlock does
    assert me(hub, "weld-j1")["signed_off"] == []
    await ok(j1, "mark", program="weld", competitor=ws, aspect="A1", value="3")
    # the desk's code table did not move with the workstation's lock and unlock
    rows = code_rows(desk.frames[:n], code)[-1:] + code_rows(desk.frames[n:], code)
    assert len(rows) > 1 and all(r == rows[0] for r in rows), rows
    assert rows[0]["signed_off"] == ["weld-k1"] and rows[0]["locked"] == []
    # k1 still cannot change the signed-off mark: only an unlock under K reopens it
    refused = await step(k1, "mark", program="weld", competitor=code, aspect="B1", value="6")
    assert refused["code"] == "signed_off", refused
    seen = [*desk.frames, *k1.frames, after, *chief.frames]
    assert pairings(seen, d, LAYER, {"weld-k1": "code"}) == []
    assert leaks([*k1.frames, after], d, "code", "HLD") == []


async def test_the_second_layer_is_locked_and_unlocked_under_its_code(ahub: HubProcess) -> None:
    hub = ahub
    d = draw(hub)
    row = d["rows"][1]
    ws, code = f"{row['workstation']:02d}", row["code"]
    k1, j1, chief = (
        await judge(hub, "weld-k1"),
        await judge(hub, "weld-j1"),
        await judge(hub, "weld-chief"),
    )
    await ok(k1, "mark", program="weld", competitor=code, aspect="B1", value="5")
    await ok(k1, "signoff", program="weld", competitor=code)
    await ok(j1, "mark", program="weld", competitor=ws, aspect="A1", value="2")
    await ok(j1, "signoff", program="weld", competitor=ws)
    await ok(chief, "lock", program="weld", competitor=code, reason="sheet query")
    # the code's lock holds the second layer only: the workstation's marks are not locked
    assert me(hub, "weld-j1")["locked"] == {}
    assert me(hub, "weld-k1")["locked"] == {code: ["@code"]}
    # a criterion of the other layer cannot be locked by this layer's code
    wrong = await step(chief, "lock", program="weld", competitor=code, criterion="A", reason="x")
    assert wrong["code"] == "unknown_competitor", wrong
    await ok(chief, "unlock", program="weld", competitor=code, reason="sheet checked")
    assert me(hub, "weld-k1")["signed_off"] == []  # reopened, under its code
    assert me(hub, "weld-j1")["signed_off"] == [ws]  # the workstation's sign-off stands
    await ok(k1, "mark", program="weld", competitor=code, aspect="B1", value="6")


async def test_a_judge_of_both_layers_signs_off_each_under_its_code(ahub: HubProcess) -> None:
    hub = ahub
    d = draw(hub)
    row = d["rows"][2]
    ws, code = f"{row['workstation']:02d}", row["code"]
    both = await judge(hub, "weld-both")
    desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
    await desk.recv_until(lambda f: f["type"] == "snapshot")
    await ok(both, "mark", program="weld", competitor=code, aspect="B1", value="7")
    await ok(both, "mark", program="weld", competitor=ws, aspect="A1", value="1")
    await ok(both, "signoff", program="weld", competitor=code)
    # the workstation side is still open: its mark can change, and it can be signed off
    await ok(both, "mark", program="weld", competitor=ws, aspect="A1", value="2")
    refused = await step(both, "mark", program="weld", competitor=code, aspect="B1", value="8")
    assert refused["code"] == "signed_off", refused
    again = await step(both, "signoff", program="weld", competitor=code)
    assert again["code"] == "already_signed_off" and ws not in again["message"], again
    await drain(desk, "one-layer")
    n = len(desk.frames)
    await ok(both, "signoff", program="weld", competitor=ws)
    await drain(desk, "both-layers")
    # signing the workstation changed nothing on the code table
    rows = code_rows(desk.frames[:n], code)[-1:] + code_rows(desk.frames[n:], code)
    assert rows and all(r == rows[0] for r in rows), rows
    assert rows[0]["signed_off"] == ["weld-both"]
    assert pairings([*desk.frames, *both.frames], d, LAYER, {"weld-k1": "code"}) == []
