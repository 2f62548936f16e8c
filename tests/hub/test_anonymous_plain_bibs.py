"""Plain-number bibs on an anonymous program, through a real hub (issue 15, the earlier bug 4).

With bibs 1, 2, … every mark of 1 and every total of 4.00 once looked like a bib to the jury
channel's fail-closed check, which then withheld every frame: the chief's desk froze. Here the
desk keeps receiving every update under codes, on a program of one layer (deltas) and of two
(a snapshot per update, one table per layer), and no frame names a competitor: no name or id
anywhere, no bib or other code where a competitor is named, no delegation but the chief's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import anonymous_competition, appears, draw, pairings, strings
from tests.hubkit import DELEGATIONS, Client, HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}


def plain_bibs(two_layers: bool) -> dict[str, Any]:
    comp = anonymous_competition()
    weld = comp["programs"][0]
    weld["competitors"] = [
        {"bib": str(i), "name": {"zh": f"焊工{i}", "en": f"Welder {i}"},
         "delegation": DELEGATIONS[i % 5]}
        for i in range(1, 7)
    ]  # fmt: skip
    if not two_layers:
        weld["criteria"][1].pop("anonymous_layer")
    return comp


def named(frames: list[Any], d: dict[str, Any], two_layers: bool) -> list[str]:
    """What names a competitor in the desk's frames (plain bibs: a bib only counts where a
    competitor is named, as a mark of 1 is no bib)."""
    ws = {f"{r['workstation']:02d}" for r in d["rows"]}
    shown = ws | ({r["code"] for r in d["rows"]} if two_layers else set())
    found = []
    for f in frames:
        text = json.dumps(f, ensure_ascii=False)
        values = set(strings(f))
        for r in d["rows"]:
            for w in (r["id"], *r["name"].values()):
                if appears(w, text):
                    found.append(f"{w!r} in {text[:160]}")
            if r["delegation"] != "HLD" and r["delegation"] in values:
                found.append(f"delegation {r['delegation']!r} in {text[:160]}")
            if not two_layers and r["code"] in values:
                found.append(f"the second code {r['code']!r} in {text[:160]}")
        data = f.get("data", f)
        for row in data.get("rows", []):
            c = row.get("competitor", {})
            if {c.get("id"), c.get("bib")} - shown:
                found.append(f"a row under {c.get('id')!r}/{c.get('bib')!r}, no code")
        for key in ("order", "removed"):
            found += [f"{key} {x!r}" for x in data.get(key) or [] if x not in shown]
        found += [f"tie {x!r}" for t in data.get("unresolved_ties") or [] for x in t if x not in ws]
    return found


def merged(frames: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The desk's board from its frames: each snapshot anew, each delta's rows over it."""
    board: dict[str, dict[str, Any]] = {}
    for f in frames:
        if f["type"] == "snapshot":
            board = {}
        for row in f.get("data", f).get("rows", []):
            board[f"{row.get('layer', '')}/{row['competitor']['id']}"] = row
    return board


@pytest.mark.parametrize("two_layers", [False, True], ids=["one-layer", "two-layers"])
async def test_plain_number_bibs_keep_the_desk_updating_under_codes(
    tmp_path: Path, two_layers: bool
) -> None:
    hub = HubProcess(tmp_path / "hub", plain_bibs(two_layers))
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        assert sorted(r["bib"] for r in d["rows"]) == [str(i) for i in range(1, 7)]
        ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
        code = {r["id"]: r["code"] if two_layers else ws[r["id"]] for r in d["rows"]}
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        judges = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3", "weld-k1")}
        sent = 0
        for n, cid in enumerate(sorted(ws)):
            for jid in ("weld-j1", "weld-j2", "weld-j3"):  # marks of 1, 2, 3: each a bib too
                await ok(judges[jid], "mark", program="weld", competitor=ws[cid], aspect="A1",
                         value=str(1 + (n + int(jid[-1])) % 3))  # fmt: skip
            await ok(judges["weld-j1"], "mark", program="weld", competitor=ws[cid],
                     aspect="A2", value="pass")  # fmt: skip
            await ok(judges["weld-k1"], "mark", program="weld", competitor=code[cid],
                     aspect="B1", value=str(n + 1))  # fmt: skip
            sent += 5
            before = len([f for f in desk.frames if f.get("channel") == JURY])
            await drain(desk, f"after-{n}")
            after = [f for f in desk.frames if f.get("channel") == JURY]
            assert len(after) > before, f"the desk got nothing for {ws[cid]}'s marks"
        frames = [f for f in desk.frames if f.get("channel") == JURY]
        assert len(frames) >= sent  # every accepted mark reached the desk
        board = merged(frames)
        marks = sum(len(a["marks"]) for r in board.values() for a in r["aspects"].values())
        assert marks == 30
        assert named(frames, d, two_layers) == []
        if two_layers:
            assert pairings(frames, d, LAYER, {"weld-k1": "code"}) == []
        assert "jury_frame_withheld" not in hub.log_path.read_text()
        # the desk's record too: every mark's line, under codes (a mark of 1 is no bib 1)
        r = httpx.get(
            f"{hub.http}/api/v1/programs/weld/history",
            headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
        )
        assert r.status_code == 200, r.text
        lines = [{**e, "time": ""} for e in r.json()["events"]]  # the clock is no competitor
        assert len([e for e in lines if e["kind"] == "mark"]) == 30, lines[-3:]
        assert named(lines, d, two_layers) == []
        assert {e["fields"]["competitor"] for e in lines if e["kind"] == "mark"} <= set(
            ws.values()
        ) | set(code.values())
    finally:
        hub.stop()


async def drain(c: Client, tag: str) -> None:
    await c.send({"type": "ping", "id": tag})
    await c.recv_until(lambda f: f["type"] == "pong" and f.get("id") == tag)
