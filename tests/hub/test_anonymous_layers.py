"""A two-layer anonymous program at the chief's desk before decryption (issue 15): one table
per layer, so that nothing the desk receives pairs a competitor's workstation number with its
second code.

Judges of criterion A mark under the workstation number, ``weld-k1`` marks B under the second
code; whoever knows a code's B marks (its judge, the operators) must not learn its workstation
number from the desk. Every frame of the chief's jury channel, the lifecycle report and the
history are captured: no row or item keyed by one layer's code carries the other layer's code,
an aspect of the other layer, or a sign-off of a judge who marks only the other layer; each
layer's rows come in code order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import anonymous_competition, draw, leaks, pairings
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = HubProcess(tmp_path / "hub", anonymous_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


def get(hub: HubProcess, path: str) -> Any:
    r = httpx.get(
        f"{hub.http}{path}", headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"}
    )
    assert r.status_code == 200, (path, r.text)
    return r.json()


async def test_the_desk_shows_a_two_layer_program_one_table_per_layer(ahub: HubProcess) -> None:
    hub = ahub
    d = draw(hub)
    ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
    code = {r["id"]: r["code"] for r in d["rows"]}
    desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
    await desk.recv_until(lambda f: f["type"] == "snapshot")
    judges = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3", "weld-k1")}
    ids = sorted(ws)
    for n, cid in enumerate(ids):
        for jid in ("weld-j1", "weld-j2", "weld-j3"):
            await ok(judges[jid], "mark", program="weld", competitor=ws[cid], aspect="A1",
                     value=str(n % 4))  # fmt: skip
        if n < 4:  # B is marked on some works only: which ones must not be seen by workstation
            k1 = judges["weld-k1"]
            await ok(
                k1, "mark", program="weld", competitor=code[cid], aspect="B1", value=str(n + 3)
            )
            await ok(k1, "signoff", program="weld", competitor=code[cid])
    await desk.send({"type": "ping", "id": "drain"})
    await desk.recv_until(lambda f: f["type"] == "pong")  # after every frame of the marks
    frames = [f for f in desk.frames if f.get("channel") == JURY]
    report = get(hub, "/judge/api/lifecycle/weld")
    history = get(hub, "/api/v1/programs/weld/history")
    history = {**history, "events": [{**e, "time": ""} for e in history["events"]]}
    seen = [*frames, report, history]
    assert pairings(seen, d, LAYER, {"weld-k1": "code"}) == []
    assert leaks(seen, d, "workstation", "HLD", both_layers=True) == []
    # each layer's rows in code order, the desk's layer first, and nothing of the total
    last = frames[-1]
    assert last["type"] == "snapshot"  # a delta would carry a competitor's two rows
    rows = last["data"]["rows"]
    by_layer = [[r["competitor"]["id"] for r in rows if r["layer"] == x]
                for x in ("workstation", "code")]  # fmt: skip
    assert by_layer == [sorted(ws.values()), sorted(code.values())]
    assert [r["layer"] for r in rows] == ["workstation"] * 6 + ["code"] * 6
    assert not any(k in r for r in rows for k in ("total", "rank", "award"))
    assert last["data"]["layers"] == [
        {"layer": "workstation", "aspects": ["A1", "A2"]},
        {"layer": "code", "aspects": ["B1"]},
    ]
    b_rows = {r["competitor"]["id"]: r for r in rows if r["layer"] == "code"}
    assert {c for c, r in b_rows.items() if r["aspects"]} == {code[c] for c in ids[:4]}
    assert all(r["signed_off"] == ["weld-k1"] for c, r in b_rows.items() if r["aspects"])
    # the history and the report keep each event under its own layer's code
    marks = [e for e in history["events"] if e["kind"] == "mark"]
    assert len(marks) == 22
    assert {e["fields"]["competitor"] for e in marks if e["fields"]["aspect"] == "B1"} == {
        code[c] for c in ids[:4]
    }
    missing = [m for m in report["gate"]["marks"] if m["aspect"] == "B1"]
    assert {m["competitor"] for m in missing} == {code[c] for c in ids[4:]}
    signed = [e for e in history["events"] if e["kind"] == "signoff"]
    assert {e["fields"]["competitor"] for e in signed} == {code[c] for c in ids[:4]}

    # the rest marked and signed off, then the review: its set (the top by total, which joins
    # the layers) is listed by code, its marks each under its own layer's code
    for n, cid in enumerate(ids):
        if n >= 4:
            k1 = judges["weld-k1"]
            await ok(
                k1, "mark", program="weld", competitor=code[cid], aspect="B1", value=str(n + 3)
            )
            await ok(k1, "signoff", program="weld", competitor=code[cid])
        await ok(judges["weld-j1"], "mark", program="weld", competitor=ws[cid], aspect="A2",
                 value="pass")  # fmt: skip
        for jid in ("weld-j1", "weld-j2", "weld-j3"):
            await ok(judges[jid], "signoff", program="weld", competitor=ws[cid])
    chief = await judge(hub, "weld-chief")
    await ok(chief, "stage", program="weld", stage="review")
    review = get(hub, "/judge/api/lifecycle/weld")
    assert review["stage"] == "review" and review["review"]["members"]
    for key in ("top", "members"):
        assert review["review"][key] == sorted(review["review"][key])
    assert set(review["marks"]) == set(review["review"]["members"]) | {
        code[c] for c in ids if ws[c] in review["review"]["members"]
    }
    # a reviewer corrects a B1 mark by its second code: the report lists it under that code
    rev = await judge(hub, "rev")
    fixed = ids[0]
    await ok(rev, "correct", program="weld", competitor=code[fixed], aspect="B1",
             judge="weld-k1", value="9", reason="re-read the sheet")  # fmt: skip
    corrected = get(hub, "/judge/api/lifecycle/weld")
    fixes = [h for h in corrected["history"] if h.get("what") == "correct"]
    assert [(h["competitor"], h["aspect"]) for h in fixes] == [(code[fixed], "B1")]
    assert corrected["review"]["corrected"] == [code[fixed]]
    await desk.send({"type": "ping", "id": "drain2"})
    await desk.recv_until(lambda f: f["type"] == "pong" and f.get("id") == "drain2")
    seen = [*desk.frames, review, corrected, *chief.frames, *rev.frames]
    assert pairings(seen, d, LAYER, {"weld-k1": "code"}) == []
    assert leaks(seen, d, "workstation", "HLD", both_layers=True) == []
