"""The chief's desk and the reviewer of an anonymous program, through a real hub (issue 15):
"the jury channel for judges carries codes only; the chief desk shows codes until decryption".

Every frame the chief's jury channel carries (from before the draw, through the draw, marking,
locks, the review, to decryption), every frame on the chief's ``/ws/judge``, and every answer the
desk's pages read (``/judge/api/me``, ``panel``, ``lifecycle``, ``draw``, ``history``) is captured
and searched for names, bibs, ids, other delegations and the second layer's codes; the
reviewer's too. After decryption the same channel and pages show names.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import anonymous_competition, draw_key, leaks, pairings
from tests.hubkit import Client, HubProcess, judge, viewer
from tests.lifecycle_hub import ok, review_everyone, step

JURY = "program:weld:jury"
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}
ROOT = Path(__file__).resolve().parents[2]


def lifecycle_cli(hub: HubProcess, who: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "server.cli", "lifecycle", "--hub", hub.http,
           "--token", hub.tokens[who], *args]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.fixture
def ahub(tmp_path: Path) -> Any:
    h = HubProcess(tmp_path / "hub", anonymous_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


def get(hub: HubProcess, who: str, path: str, seen: list[Any], status: int = 200) -> Any:
    r = httpx.get(f"{hub.http}{path}", headers={"Authorization": f"Bearer {hub.tokens[who]}"})
    assert r.status_code == status, (path, r.text)
    seen.append(r.json())
    return r.json()


async def drained(c: Client) -> list[dict[str, Any]]:
    """Everything the socket was sent so far (a ping's pong comes after all of it)."""
    await c.send({"type": "ping", "id": "drain"})
    await c.recv_until(lambda f: f["type"] == "pong")
    return c.frames


def pages(hub: HubProcess, who: str, seen: list[Any], masked: bool = True) -> None:
    get(hub, who, "/judge/api/me", seen)
    get(hub, who, "/judge/api/lifecycle/weld", seen)
    if who == "weld-chief":
        history = get(hub, who, "/api/v1/programs/weld/history", [])
        # the hub's clock, not a competitor: 11:52:47.704 is not bib 704
        seen.append({**history, "events": [{**e, "time": ""} for e in history["events"]]})
        panel = get(hub, who, "/judge/api/panel/weld", [])
        # the judges' own delegations are the judges'; which codes they may not mark is not said
        assert all(j["conflicts"] == [] for j in panel["judges"]) is masked
        seen.append([{k: v for k, v in j.items() if k != "delegation"} for j in panel["judges"]])
        get(hub, who, "/judge/api/draw/weld", seen)


async def test_the_chief_desk_and_the_reviewer_see_codes_until_decryption(
    ahub: HubProcess,
) -> None:
    hub = ahub
    desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
    first = await desk.recv_until(lambda f: f["type"] == "snapshot")
    assert first["data"]["rows"] == []  # no codes before the draw: no rows
    chief = await judge(hub, "weld-chief")
    answer = httpx.post(
        f"{hub.http}/judge/api/draw/weld",
        json={"seed_input": "4729"},
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    ).json()
    assert answer["rows"] == [] and answer["sealed"] and answer["workstations"] == 6
    d = draw_key(hub)  # the supervisor's list: the key to search for
    assert len(d["rows"]) == 6 and all(r["name"]["zh"] for r in d["rows"])
    ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
    code = {r["id"]: r["code"] for r in d["rows"]}
    drawn = await desk.recv_until(lambda f: f["type"] == "snapshot")  # the codes are drawn
    # two layers: one table per layer, each under its own codes (test_anonymous_layers.py)
    shown = [r["competitor"]["id"] for r in drawn["data"]["rows"]]
    assert shown == sorted(ws.values()) + sorted(code.values())
    seen: list[Any] = [answer]
    cli = subprocess.run(
        [sys.executable, "-m", "server.cli", "draw", "--hub", hub.http,
         "--token", hub.tokens["weld-chief"], "--program", "weld"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert cli.returncode == 0 and "6 workstations drawn" in cli.stdout, cli
    seen.append(cli.stdout)
    # the printable list (zh/en) is the supervisor's while the program is encrypted
    url = f"{hub.http}/judge/api/draw/weld/list"
    sealed = httpx.get(url, headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"})
    assert sealed.status_code == 403 and sealed.json()["error"]["code"] == "sealed"
    seen.append(sealed.json())
    for lang, word in (("zh", "抽签结果确认表"), ("en", "Draw list for confirmation")):
        printed = httpx.get(
            url, params={"lang": lang}, headers={"Authorization": f"Bearer {hub.tokens['sup']}"}
        )
        assert printed.status_code == 200 and word in printed.text
        assert all(r["name"][lang] in printed.text for r in d["rows"])

    # marking, sign-offs, a lock and an unlock by code, the review
    judges = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3", "weld-k1")}
    for cid in ws:
        for jid, c in judges.items():
            marks = [("B1", "6")] if jid == "weld-k1" else [("A1", "2")]
            if jid == "weld-j1":
                marks.append(("A2", "pass"))
            typed = code[cid] if jid == "weld-k1" else ws[cid]
            for aspect, value in marks:
                await ok(c, "mark", program="weld", competitor=typed, aspect=aspect, value=value)
            await ok(c, "signoff", program="weld", competitor=typed)
    one = next(iter(ws.values()))
    await ok(chief, "lock", program="weld", competitor=one)
    await ok(chief, "unlock", program="weld", competitor=one, reason="checked the sheet")
    for jid in ("weld-j1", "weld-j2", "weld-j3"):
        await ok(judges[jid], "signoff", program="weld", competitor=one)
    # the unlock was under the workstation number: the second code's sign-off stands (it
    # reopened with it, and so paired the two codes: layer_rule.py)
    kept = await step(judges["weld-k1"], "signoff", program="weld", competitor=code[next(iter(ws))])
    assert kept["code"] == "already_signed_off", kept
    early = lifecycle_cli(hub, "weld-chief", "decrypt", "weld")  # the review comes first
    assert early.returncode == 1 and "review_not_finished" in early.stderr, early
    await ok(chief, "stage", program="weld", stage="review")
    review: list[Any] = []
    pages(hub, "rev", review)
    await review_everyone(hub, "weld")  # the reviewer confirms by code
    pages(hub, "rev", review)
    pages(hub, "weld-chief", seen)
    report = seen[-4]
    assert set(report["review"]["members"]) <= set(ws.values())

    frames = await drained(desk)
    board = [f for f in frames if f.get("channel") == JURY]
    # in layers: a snapshot per update, as a delta would carry a competitor's two rows
    assert len(board) > 20 and {f["type"] for f in board} == {"snapshot"}
    last = [f for f in board if f["type"] == "snapshot"][-1]
    assert all(r["competitor"]["name"] == {"zh": "", "en": ""} for r in last["data"]["rows"])
    # the desk and the reviewer see both layers' codes, never paired (test_anonymous_layers.py)
    assert leaks([*frames, *chief.frames, *seen], d, "workstation", "HLD", both_layers=True) == []
    assert leaks(review, d, "workstation", "HLD", both_layers=True) == []
    assert pairings([*frames, *seen, *review], d, LAYER, {"weld-k1": "code"}) == []

    # decryption as the desk does it, by the CLI: the chief asks, a supervisor confirms
    asked = lifecycle_cli(hub, "weld-chief", "decrypt", "weld", "--note", "复核完毕")
    assert asked.returncode == 0, asked.stderr
    status = lifecycle_cli(hub, "weld-chief", "status", "weld").stdout
    assert "encrypted" in status and "decryption by weld-chief waits" in status
    by_chief = lifecycle_cli(hub, "weld-chief", "confirm-decrypt", "weld")
    assert by_chief.returncode == 1 and "wrong_role" in by_chief.stderr
    assert lifecycle_cli(hub, "sup", "confirm-decrypt", "weld").returncode == 0
    opened = await desk.recv_until(lambda f: f["type"] == "snapshot")
    names = {r["competitor"]["name"]["zh"] for r in opened["data"]["rows"]}
    assert names == {r["name"]["zh"] for r in d["rows"]}
    assert {r["competitor"]["id"] for r in opened["data"]["rows"]} == set(ws)
    after: list[Any] = []
    pages(hub, "weld-chief", after, masked=False)
    assert len(after[-1]["rows"]) == 6  # the draw list, with names
    printed = httpx.get(url, headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"})
    assert printed.status_code == 200 and d["rows"][0]["name"]["zh"] in printed.text
    assert set(after[1]["review"]["members"]) <= set(ws)
    assert "draw" in [e["kind"] for e in after[2]["events"]]
    # a desk that resumes with the version it held gets the board anew, not deltas of the codes
    again = await viewer(hub, JURY, version=opened["version"] - 1, token=hub.tokens["weld-chief"])
    resumed = await again.recv_until(lambda f: f.get("channel") == JURY)
    assert resumed["type"] == "snapshot" and len(resumed["data"]["rows"]) == 6


async def test_operators_type_the_code_on_the_sheet_of_an_anonymous_paper_program(
    tmp_path: Path,
) -> None:
    """双人录入 of an anonymous program: the sheet carries the code of its aspect's layer, so
    operators type that code (an id is refused); the held mismatch reaches the chief's desk
    under the code, and nothing an operator or the desk receives names a competitor."""
    comp = anonymous_competition()
    comp["programs"][0]["double_entry"] = True
    comp["judges"] += [{"id": "op1", "role": "operator"}, {"id": "op2", "role": "operator"}]
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        from tests.anonymity_kit import draw

        d = draw(hub)
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        op1, op2 = await judge(hub, "op1"), await judge(hub, "op2")
        row = d["rows"][0]
        ws, code = f"{row['workstation']:02d}", row["code"]
        sheet = {"program": "weld", "judge": "weld-k1", "aspect": "B1", "sheet": "B-k1-p1"}
        by_id = await step(op1, "entry", competitor=row["id"], value="7", **sheet)
        assert by_id["code"] == "unknown_competitor"
        wrong_layer = await step(op1, "entry", competitor=ws, value="7", **sheet)
        assert wrong_layer["code"] == "unknown_competitor"  # B1 is marked under the code
        await ok(op1, "entry", competitor=code, value="7", **sheet)
        await ok(op2, "entry", competitor=code, value="7.5", **sheet)
        held = await desk.recv_until(
            lambda f: (
                f.get("channel") == JURY
                and any(
                    e["mismatch"]
                    for r in f.get("data", {}).get("rows", [])
                    for e in r.get("entries", [])
                )  # fmt: skip
            )
        )
        (r,) = [r for r in held["data"]["rows"] if r.get("entries")]  # a snapshot (in layers)
        assert r["competitor"]["id"] == code  # the desk: B1's code, not the workstation number
        assert r["layer"] == "code" and ws not in json.dumps(r)
        assert r["entries"][0]["values"] == {"op1": "7", "op2": "7.5"}
        retyped = await step(op1, "entry", competitor=code, value="7.5", **sheet)
        assert retyped["code"] == "mismatch_held", retyped  # the chief's to resolve
        chief = await judge(hub, "weld-chief")  # by the code of B1's layer, as on the desk
        await ok(chief, "entry", competitor=code, value="7.5", **sheet)
        shown = await drained(desk)
        assert leaks(shown, d, "workstation", "HLD", both_layers=True) == []
        assert pairings(shown, d, LAYER, {"weld-k1": "code"}) == []
        # the refusals of by_id and wrong_layer echo what was typed
        typed = [f for f in op1.frames if f.get("id") not in (by_id["id"], wrong_layer["id"])]
        assert leaks([*typed, *op2.frames], d, "code", "HLD") == []
        assert pairings(chief.frames, d, LAYER, {"weld-k1": "code"}) == []
    finally:
        hub.stop()
