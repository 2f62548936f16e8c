"""What crosses the layers of a two-layer anonymous program before decryption (issue 15,
second review): a reason the chief types with the workstation number must not reach a judge
of the second code under that work's code (a lock of the workstation does not reach them at all
since the fifth review: it is that layer's), and the marks ``/judge/api/me`` returns to someone
who marks both layers (the chief, a judge assigned every criterion) are each under the code
they were typed with, never a second-code mark under the workstation number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import LAYER, both_layers_hub, draw, leaks, pairings
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok, step

WITHHELD = "[withheld until decryption]"


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = both_layers_hub(tmp_path)
    yield h
    h.stop()


def get(hub: HubProcess, who: str, path: str) -> Any:
    r = httpx.get(f"{hub.http}{path}", headers={"Authorization": f"Bearer {hub.tokens[who]}"})
    assert r.status_code == 200, (path, r.text)
    return r.json()


async def test_a_reason_naming_the_workstation_is_withheld_from_a_second_code_judge(
    ahub: HubProcess,
) -> None:
    hub = ahub
    d = draw(hub)
    row = d["rows"][0]
    ws, code = f"{row['workstation']:02d}", row["code"]
    chief = await judge(hub, "weld-chief")
    # a lock of the workstation is the workstation layer's (layer_rule): not in k1's history
    await ok(chief, "lock", program="weld", competitor=ws, reason="re-check")
    await ok(chief, "unlock", program="weld", competitor=ws, reason="checked")
    # the second layer is locked by its code; a reason that names the workstation is withheld
    await ok(chief, "lock", program="weld", competitor=code, reason=f"station {ws}: re-check")
    await ok(chief, "unlock", program="weld", competitor=code, reason="checked the sheet")
    k1 = get(hub, "weld-k1", "/api/v1/programs/weld/history")["events"]
    locks = [(e["kind"], e["fields"]) for e in k1 if e["kind"] in ("lock", "unlock")]
    assert [k for k, _ in locks] == ["lock", "unlock"], locks
    assert locks[0][1]["competitor"] == code  # the second code's judge reads it by its code
    assert locks[0][1]["reason"] == WITHHELD  # not "station 05", which pairs 05 with it
    assert locks[1][1]["reason"] == "checked the sheet"
    # the desk sees both layers' codes: the reasons as typed
    desk = get(hub, "weld-chief", "/api/v1/programs/weld/history")["events"]
    assert [e["fields"]["reason"] for e in desk if e["kind"] == "lock"] == [
        "re-check",
        f"station {ws}: re-check",
    ]


async def test_own_marks_of_both_layers_come_each_under_its_own_code(ahub: HubProcess) -> None:
    hub = ahub
    d = draw(hub)
    one, two = d["rows"][1], d["rows"][2]
    chief, both = await judge(hub, "weld-chief"), await judge(hub, "weld-both")
    await ok(chief, "mark", program="weld", competitor=one["code"], aspect="B1", value="6")
    w2 = f"{two['workstation']:02d}"
    await ok(both, "mark", program="weld", competitor=two["code"], aspect="B1", value="7")
    await ok(both, "mark", program="weld", competitor=w2, aspect="A1", value="2")
    mine = {
        j: get(hub, j, "/judge/api/me")["programs"]["weld"] for j in ("weld-chief", "weld-both")
    }
    assert mine["weld-chief"]["marks"] == {one["code"]: {"B1": "6"}}
    assert mine["weld-both"]["marks"] == {two["code"]: {"B1": "7"}, w2: {"A1": "2"}}
    assert pairings(list(mine.values()), d, LAYER, {"weld-k1": "code"}) == []


async def test_the_desk_history_filtered_by_a_code_keeps_to_that_code(ahub: HubProcess) -> None:
    """``?competitor=<workstation>`` returned the same competitor's B1 marks under its second
    code: the answer paired the two. Each code now finds its own layer's lines, the second
    code included (it found nothing)."""
    hub = ahub
    d = draw(hub)
    row = d["rows"][0]
    ws, code = f"{row['workstation']:02d}", row["code"]
    k1, j1 = await judge(hub, "weld-k1"), await judge(hub, "weld-j1")
    await ok(k1, "mark", program="weld", competitor=code, aspect="B1", value="5")
    await ok(j1, "mark", program="weld", competitor=ws, aspect="A1", value="2")
    url = "/api/v1/programs/weld/history?competitor="
    for who in ("weld-chief", "weld-k1", "weld-j1"):
        for c in (ws, code):
            lines = get(hub, who, url + c)["events"]
            assert {e["fields"]["competitor"] for e in lines} <= {c}, (who, c, lines)
    chief = {c: get(hub, "weld-chief", url + c)["events"] for c in (ws, code)}
    assert [e["fields"]["aspect"] for e in chief[ws]] == ["A1"]
    assert [e["fields"]["aspect"] for e in chief[code]] == ["B1"]
    assert [e["fields"]["aspect"] for e in get(hub, "weld-k1", url + code)["events"]] == ["B1"]


async def test_a_correction_of_no_mark_is_refused_in_its_own_words(ahub: HubProcess) -> None:
    """A masked ``correct`` of a mark that does not exist was refused as "there is no mark of
    yours on 01 A1 to withdraw" (the withdrawal's words, for a frame that withdraws nothing)."""
    hub = ahub
    d = draw(hub)
    ws = f"{d['rows'][0]['workstation']:02d}"
    chief = await judge(hub, "weld-chief")
    answer = await step(chief, "correct", program="weld", competitor=ws, aspect="A1",
                        judge="weld-j1", value="3", reason="re-read")  # fmt: skip
    assert answer["code"] == "no_mark", answer
    assert "withdraw" not in answer["message"] and "to correct" in answer["message"], answer
    assert leaks([answer], d, "workstation", "HLD") == []


async def test_the_desk_counts_each_layer_on_its_own(ahub: HubProcess) -> None:
    """The jury header's ``progress`` and overview:jury's ``complete`` counted competitors
    complete in both layers: with one workstation held back, the one second-code mark that did
    not move the count was that workstation's. Each layer is counted on its own now."""
    hub = ahub
    d = draw(hub)
    ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
    code = {r["id"]: r["code"] for r in d["rows"]}
    ids = sorted(ws)
    desk = await viewer(hub, "program:weld:jury", token=hub.tokens["weld-chief"])
    await desk.recv_until(lambda f: f["type"] == "snapshot")
    overview = await viewer(hub, "overview:jury", token=hub.tokens["weld-chief"])
    await overview.recv_until(lambda f: f["type"] == "snapshot")
    js = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3")}
    held = ids[2]  # one workstation's A1 lacks a judge: the on-site layer stays incomplete
    for cid in ids:
        for jid, c in js.items():
            if not (cid == held and jid == "weld-j3"):
                await ok(c, "mark", program="weld", competitor=ws[cid], aspect="A1", value="1")
        await ok(js["weld-j1"], "mark", program="weld", competitor=ws[cid], aspect="A2",
                 value="pass")  # fmt: skip
    k1 = await judge(hub, "weld-k1")
    seen: list[tuple[Any, Any]] = []
    for cid in sorted(ids, key=lambda c: code[c]):
        await ok(k1, "mark", program="weld", competitor=code[cid], aspect="B1", value="4")
        tag = code[cid]
        for v in (desk, overview):
            await v.send({"type": "ping", "id": tag})
            await v.recv_until(lambda f, tag=tag: f["type"] == "pong" and f.get("id") == tag)
        jury = [f for f in desk.frames if f.get("channel") == "program:weld:jury"][-1]
        rows = [r for f in overview.frames if f.get("channel") == "overview:jury"
                for r in f.get("data", f).get("rows", []) if r["id"] == "weld"]  # fmt: skip
        seen.append((jury["data"]["progress"], rows[-1]["complete"]))
    # the second-code marks move the second layer's count only, one by one
    assert [p["layers"]["code"]["complete"] for p, _ in seen] == [1, 2, 3, 4, 5, 6]
    assert {p["complete"] for p, _ in seen} == {5} == {p["layers"]["workstation"]["complete"]
                                                      for p, _ in seen}  # fmt: skip
    assert {c for _, c in seen} == {5}  # overview:jury: the desk's layer
