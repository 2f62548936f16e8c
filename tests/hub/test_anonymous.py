"""Anonymised marking (加密) and decryption (解密) through a real hub (issue 15).

Every frame and API response a judge of the anonymous program gets before decryption is
captured and searched for names, bibs, ids, delegations and the other layer's codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import anonymous_competition, draw, leaks
from tests.hubkit import Client, HubProcess, judge
from tests.lifecycle_hub import ok, public_board, review_everyone, step


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = HubProcess(tmp_path / "hub", anonymous_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


def bearer(hub: HubProcess, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {hub.tokens[who]}"}


def run_draw(hub: HubProcess) -> dict[str, Any]:
    return draw(hub)


async def send(c: Client, frame: dict[str, Any]) -> dict[str, Any]:
    await c.send(frame)
    return await c.recv_until(
        lambda f: f.get("id") == frame["id"] and f["type"] in ("ack", "error")
    )


def me(hub: HubProcess, who: str, seen: list[Any]) -> dict[str, Any]:
    r = httpx.get(f"{hub.http}/judge/api/me", headers=bearer(hub, who))
    assert r.status_code == 200
    seen.append(r.json())
    return r.json()  # type: ignore[no-any-return]


async def test_judges_see_codes_only_until_decryption(ahub: HubProcess) -> None:
    hub = ahub
    j1 = await judge(hub, "weld-j1")
    early = await send(j1, {"type": "mark", "id": "e1", "program": "weld", "competitor": "01",
                            "aspect": "A2", "value": "pass"})  # fmt: skip
    assert early["code"] == "not_drawn" or early["code"] == "unknown_competitor"
    d = run_draw(hub)
    rows = {r["id"]: r for r in d["rows"]}
    ws = {cid: f"{r['workstation']:02d}" for cid, r in rows.items()}
    code = {cid: r["code"] for cid, r in rows.items()}
    sy = next(cid for cid, r in rows.items() if r["delegation"] == "SY")
    seen: dict[str, list[Any]] = {"weld-j1": [], "weld-sy": [], "weld-k1": []}

    # a workstation judge: codes in /me, marks by workstation number, refusals by code
    j1 = await judge(hub, "weld-j1")
    mine = me(hub, "weld-j1", seen["weld-j1"])["programs"]["weld"]
    assert mine["anonymous"] and mine["layers"] == ["workstation"]
    order = [ws[r["id"]] for r in sorted(d["rows"], key=lambda r: r["order"])]
    assert [c["id"] for c in mine["competitors"]] == order
    first = mine["competitors"][0]["id"]
    ack = await send(j1, {"type": "mark", "id": "m1", "program": "weld", "competitor": first,
                          "aspect": "A1", "value": "2"})  # fmt: skip
    assert ack["type"] == "ack", ack
    by_id = await send(j1, {"type": "mark", "id": "m2", "program": "weld", "competitor": sy,
                            "aspect": "A1", "value": "2"})  # fmt: skip
    assert by_id["code"] == "unknown_competitor"  # ids are not accepted: codes only
    other_layer = await send(j1, {"type": "mark", "id": "m3", "program": "weld",
                                  "competitor": code[sy], "aspect": "A1", "value": "2"})  # fmt: skip
    assert other_layer["code"] == "unknown_competitor"
    await send(j1, {"type": "mark", "id": "m1b", "program": "weld", "competitor": first,
                    "aspect": "A2", "value": "pass"})  # fmt: skip
    await send(j1, {"type": "signoff", "id": "s1", "program": "weld", "competitor": first})
    again = await send(j1, {"type": "mark", "id": "m4", "program": "weld", "competitor": first,
                            "aspect": "A1", "value": "3"})  # fmt: skip
    assert again["code"] == "signed_off" and first in again["message"]
    me(hub, "weld-j1", seen["weld-j1"])

    # conflict of interest: refused without saying why
    jsy = await judge(hub, "weld-sy")
    mine_sy = me(hub, "weld-sy", seen["weld-sy"])["programs"]["weld"]
    # listed like every code, as assigned to other judges (a gap would name it: issue 15)
    assert ws[sy] in [c["id"] for c in mine_sy["competitors"]] and ws[sy] in mine_sy["others"]
    coi = await send(jsy, {"type": "mark", "id": "c1", "program": "weld", "competitor": ws[sy],
                           "aspect": "A1", "value": "2"})  # fmt: skip
    assert coi["code"] == "conflict_of_interest"
    assert coi["message"] == "this code is assigned to other judges; leave it to them"

    # the second layer: the judge of B types the second code
    k1 = await judge(hub, "weld-k1")
    mine_k = me(hub, "weld-k1", seen["weld-k1"])["programs"]["weld"]
    assert mine_k["layers"] == ["code"] and {c["id"] for c in mine_k["competitors"]} == set(
        code.values()
    )
    ack = await send(k1, {"type": "mark", "id": "k1", "program": "weld", "competitor": code[sy],
                          "aspect": "B1", "value": "7"})  # fmt: skip
    assert ack["type"] == "ack"
    wrong = await send(k1, {"type": "mark", "id": "k2", "program": "weld", "competitor": ws[sy],
                            "aspect": "B1", "value": "7"})  # fmt: skip
    assert wrong["code"] == "unknown_competitor"
    me(hub, "weld-k1", seen["weld-k1"])

    # the chief locks a competitor: the judge's refusal names the code
    chief = await judge(hub, "weld-chief")
    second = mine["competitors"][1]["id"]
    cid2 = next(c for c, w in ws.items() if w == second)
    # the chief, too, names competitors by code (the desk shows codes): an id is refused
    by_id = await send(chief, {"type": "lock", "id": "l0", "program": "weld", "competitor": cid2})
    assert by_id["code"] == "unknown_competitor"
    assert (
        await send(chief, {"type": "lock", "id": "l1", "program": "weld", "competitor": second})
    )["type"] == "ack"
    locked = await send(j1, {"type": "mark", "id": "m5", "program": "weld", "competitor": second,
                             "aspect": "A1", "value": "2"})  # fmt: skip
    assert locked["code"] == "locked" and second in locked["message"]
    me(hub, "weld-j1", seen["weld-j1"])
    # the public sees nothing while it is anonymous; the chief cannot show it
    vis = await send(
        chief, {"type": "visibility", "id": "v1", "program": "weld", "visibility": "live"}
    )
    assert vis["code"] == "not_decrypted"

    for jid, c in (("weld-j1", j1), ("weld-sy", jsy), ("weld-k1", k1)):
        layer = "code" if jid == "weld-k1" else "workstation"
        own = "SY" if jid == "weld-sy" else "HLD"
        # m2, m3, k2 typed an id or the other layer's code: their refusals echo what was typed
        got = [f for f in c.frames if f.get("id") not in ("m2", "m3", "k2")]
        assert leaks([*got, *seen[jid]], d, layer, own) == [], jid

    # decryption: refused without a supervisor, with a judge as the supervisor, before the review
    url = f"{hub.http}/judge/api/decrypt/weld"
    r = httpx.post(url, json={}, headers=bearer(hub, "weld-chief"))
    assert r.status_code == 403 and r.json()["error"]["code"] == "supervisor_required"
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["weld-j2"]}, headers=bearer(hub, "weld-chief")
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "supervisor_required"
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["sup"]}, headers=bearer(hub, "weld-j1")
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "wrong_role"
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["sup"]}, headers=bearer(hub, "weld-chief")
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "review_not_finished"
    # every panel complete and signed off
    unlocked = await send(
        chief,
        {"type": "unlock", "id": "u1", "program": "weld", "competitor": second, "reason": "ok"},
    )
    assert unlocked["type"] == "ack", unlocked
    judges = {"weld-j2": await judge(hub, "weld-j2"), "weld-j3": await judge(hub, "weld-j3")}
    judges["weld-j1"] = j1
    n = 0
    for cid in rows:
        for jid, c in judges.items():
            for aspect, value in (("A1", "2"),) + ((("A2", "pass"),) if jid == "weld-j1" else ()):
                n += 1
                f = await send(c, {"type": "mark", "id": f"p{n}", "program": "weld",
                                   "competitor": ws[cid], "aspect": aspect, "value": value})  # fmt: skip
                assert f["type"] == "ack" or f["code"] == "signed_off", f
            n += 1
            await send(
                c, {"type": "signoff", "id": f"p{n}", "program": "weld", "competitor": ws[cid]}
            )
        if cid != sy:
            n += 1
            await send(k1, {"type": "mark", "id": f"p{n}", "program": "weld", "competitor": code[cid],
                            "aspect": "B1", "value": "6"})  # fmt: skip
        n += 1
        await send(
            k1, {"type": "signoff", "id": f"p{n}", "program": "weld", "competitor": code[cid]}
        )
    for jid, c in judges.items():
        got = [f for f in c.frames if f.get("id") not in ("m2", "m3")]
        assert leaks(got, d, "workstation", "HLD") == [], jid
    # signed off is not enough: decryption waits for the review (issue 15), 公示 for decryption
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["sup"]}, headers=bearer(hub, "weld-chief")
    )
    assert r.status_code == 409 and r.json()["error"]["code"] == "review_not_finished"
    assert "still in marking" in r.json()["error"]["message"]
    await ok(chief, "stage", program="weld", stage="review")
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["sup"]}, headers=bearer(hub, "weld-chief")
    )
    assert r.status_code == 409 and "not reviewed" in r.json()["error"]["message"]
    # 公示 waits for decryption, whatever else it waits for
    assert (await step(chief, "stage", program="weld", stage="publication"))[
        "code"
    ] == "not_decrypted"
    await review_everyone(hub, "weld")
    early = await step(chief, "stage", program="weld", stage="publication")
    assert early["code"] == "not_decrypted", early
    r = httpx.post(
        url, json={"supervisor_token": hub.tokens["sup"]}, headers=bearer(hub, "weld-chief")
    )
    assert r.status_code == 200, r.text
    assert r.json()["supervisor"] == "sup"
    # after decryption: names, ids and bibs everywhere
    after = me(hub, "weld-j1", [])["programs"]["weld"]
    assert "anonymous" not in after and set(after["marks"]) == set(rows)
    fresh = await judge(hub, "weld-j1")
    assert "anonymous" not in fresh.frames[0]["assignments"][0]
    vis = await send(
        chief, {"type": "visibility", "id": "v2", "program": "weld", "visibility": "live"}
    )
    assert vis["type"] == "ack"
    board = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert {r["competitor"]["name"]["zh"] for r in board["rows"]} == {
        f"焊工{70 + i}"[0:0] + f"焊工{700 + i}" for i in range(1, 7)
    }
    assert all(r["total"] is not None for r in board["rows"])
    await ok(chief, "stage", program="weld", stage="publication")  # 公示, with names
    # and it stays so after a restart (the decrypt event replays)
    hub.stop()
    hub.start()
    assert "anonymous" not in me(hub, "weld-j1", [])["programs"]["weld"]
    assert public_board(hub, "weld")["lifecycle"]["stage"] == "publication"
