"""双人录入 through a real hub (issue 15): two operators type a paper sheet over /ws/judge; a
mismatch reaches the chief's jury channel with both values and the sheet; every entry is in
the ledger; the agreed mark replays after a restart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.hubkit import ROOT, HubProcess, judge, small_competition, viewer


def paper_competition() -> dict[str, Any]:
    comp = small_competition()
    comp["programs"][0]["double_entry"] = True
    comp["judges"] += [{"id": "op1", "role": "operator"}, {"id": "op2", "role": "operator"}]
    return comp


async def entry(c: Any, eid: str, value: str, sheet: str = "weld-B-j1-p1") -> dict[str, Any]:
    frame = {"type": "entry", "id": eid, "program": "weld", "competitor": "weld-1",
             "aspect": "B1", "judge": "weld-j1", "value": value, "sheet": sheet}  # fmt: skip
    await c.send(frame)
    return await c.recv_until(lambda f: f.get("id") == eid and f["type"] in ("ack", "error"))  # type: ignore[no-any-return]


def total(hub: HubProcess) -> Any:
    rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
    return next(r for r in rows if r["competitor"]["id"] == "weld-1")["total"]


async def test_two_operators_enter_a_sheet(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        j1 = await judge(hub, "weld-j1")
        await j1.send({"type": "mark", "id": "m", "program": "weld", "competitor": "weld-1",
                       "aspect": "B1", "value": "8"})  # fmt: skip
        direct = await j1.recv_until(lambda f: f.get("id") == "m")
        assert direct["code"] == "double_entry"
        desk = await viewer(hub, "program:weld:jury", token=hub.tokens["weld-chief"])
        await desk.recv()
        first = await entry(o1, "e1", "8.5")
        assert (first["type"], first["entry"]) == ("ack", "waiting")  # for the second operator
        typo = await entry(o2, "e2", "5.5")  # a typo: held, and the operator is told so
        assert (typo["type"], typo["entry"]) == ("ack", "mismatch")
        assert total(hub) is None
        frame = await desk.recv_until(
            lambda f: any(
                r.get("entries", [{}])[0].get("mismatch")
                for r in f.get("rows", f.get("data", {}).get("rows", []))
                if isinstance(r, dict) and r.get("entries")
            ),
        )
        held = next(r for r in frame.get("rows", []) if r.get("entries"))["entries"][0]
        assert held["values"] == {"op1": "8.5", "op2": "5.5"}
        assert held["sheets"] == {"op1": "weld-B-j1-p1", "op2": "weld-B-j1-p1"}
        fixed = await entry(o2, "e3", "8.5")  # corrected: both agree
        assert (fixed["type"], fixed["entry"]) == ("ack", "agreed")
        assert total(hub) == "8.50"
        again = await entry(o1, "e4", "8.5")
        assert again["code"] == "already_agreed"
        hub.stop()
        hub.start()
        assert total(hub) == "8.50"
    finally:
        hub.stop()
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "export-ledger", "--competition",
         str(hub.competition_path), "--store", hub.store],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    kinds = [json.loads(line)["kind"] for line in out.splitlines()]
    assert kinds.count("entry") == 3 and "mark" not in kinds
