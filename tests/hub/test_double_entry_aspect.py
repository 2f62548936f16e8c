"""双人录入 per aspect through a real hub (issue 15: "a program or aspect can require two
independent entries"): in ``weld`` only B1 is typed from paper (``double_entry = true`` on the
aspect); judges mark A1 and A2 on their pads. Agreeing entries enter once, a disagreement is
held on the chief's desk with both values and the sheet, a judge's own B1 mark is refused, an
entry of A1 is refused, and the ledger keeps both entries and the direct marks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.hubkit import ROOT, HubProcess, judge, small_competition, viewer
from tests.lifecycle_hub import step


def aspect_paper_competition() -> dict[str, Any]:
    comp = small_competition()
    comp["programs"][0]["criteria"][1]["aspects"][0]["double_entry"] = True  # B1
    every = [{"program": "weld"}]
    comp["judges"] += [{"id": f"op{n}", "role": "operator", "assignments": every} for n in (1, 2)]
    return comp


def row(hub: HubProcess, cid: str) -> dict[str, Any]:
    rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
    return next(r for r in rows if r["competitor"]["id"] == cid)  # type: ignore[no-any-return]


def entry(cid: str, value: str, sheet: str, aspect: str = "B1") -> dict[str, Any]:
    return {"program": "weld", "competitor": cid, "aspect": aspect, "judge": "weld-j1",
            "value": value, "sheet": sheet}  # fmt: skip


async def test_one_aspect_typed_from_paper_the_others_marked_directly(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", aspect_paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        j1, o1, o2 = await judge(hub, "weld-j1"), await judge(hub, "op1"), await judge(hub, "op2")
        desk = await viewer(hub, "program:weld:jury", token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        # the judge marks A2 directly; B1 is refused with its own code, naming the aspect
        a2 = await step(j1, "mark", program="weld", competitor="weld-1", aspect="A2", value="pass")
        assert a2["type"] == "ack", a2
        b1 = await step(j1, "mark", program="weld", competitor="weld-1", aspect="B1", value="8")
        assert b1["code"] == "double_entry" and "B1" in b1["message"], b1
        # an operator may not type an aspect marked on the pads
        wrong = await step(o1, "entry", **entry("weld-1", "pass", "s-1", aspect="A2"))
        assert wrong["code"] == "not_double_entry" and "A2" in wrong["message"], wrong
        assert row(hub, "weld-1")["criteria"].get("B") in (None, "0.00")
        # agreeing entries: the mark enters once
        first = await step(o1, "entry", **entry("weld-1", "8.5", "w1-j1"))
        assert (first["type"], first["entry"]) == ("ack", "waiting"), first
        assert row(hub, "weld-1")["criteria"].get("B") in (None, "0.00")  # one entry is not a mark
        second = await step(o2, "entry", **entry("weld-1", "8.50", "w1-j1"))
        assert (second["type"], second["entry"]) == ("ack", "agreed"), second
        assert row(hub, "weld-1")["criteria"]["B"] == "8.50"
        again = await step(o1, "entry", **entry("weld-1", "8.5", "w1-j1"))
        assert again["code"] == "already_agreed"
        # disagreeing entries: held, on the chief's desk with both values and the sheet
        await step(o1, "entry", **entry("weld-2", "6", "w2-j1"))
        typo = await step(o2, "entry", **entry("weld-2", "9", "w2-j1"))
        assert (typo["type"], typo["entry"]) == ("ack", "mismatch"), typo
        assert row(hub, "weld-2")["criteria"].get("B") in (None, "0.00")

        def held(f: dict[str, Any]) -> list[Any]:
            rows = f.get("rows", f.get("data", {}).get("rows", []))
            return [r["entries"] for r in rows if isinstance(r, dict) and r.get("entries")]

        frame = await desk.recv_until(lambda f: any(e[0]["mismatch"] for e in held(f)))
        [pending] = [e for e in held(frame) if e[0]["mismatch"]]
        assert pending[0]["aspect"] == "B1" and pending[0]["judge"] == "weld-j1"
        assert pending[0]["values"] == {"op1": "6", "op2": "9"}
        assert pending[0]["sheets"] == {"op1": "w2-j1", "op2": "w2-j1"}
        # the operator's screen lists the paper aspects only
        me = httpx.get(
            f"{hub.http}/judge/api/me", headers={"Authorization": f"Bearer {hub.tokens['op1']}"}
        ).json()["programs"]["weld"]
        assert me["double_entry"] and me["entered"] == ["B1"]
        assert {j["id"]: j["aspects"] for j in me["judges"]}["weld-j1"] == ["B1"]
        hub.stop()
        hub.start()
        assert row(hub, "weld-1")["criteria"]["B"] == "8.50"
        assert row(hub, "weld-2")["criteria"].get("B") in (None, "0.00")
    finally:
        hub.stop()
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "export-ledger", "--competition",
         str(hub.competition_path), "--store", hub.store],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    events = [{**json.loads(line)["fields"], "kind": json.loads(line)["kind"]}
              for line in out.splitlines()]  # fmt: skip
    entries = [(e["author"], e["competitor"], e["value"]) for e in events if e["kind"] == "entry"]
    assert entries == [("op1", "weld-1", "8.5"), ("op2", "weld-1", "8.50"),
                       ("op1", "weld-2", "6"), ("op2", "weld-2", "9")]  # fmt: skip
    assert [(e["aspect"], e["value"]) for e in events if e["kind"] == "mark"] == [("A2", "pass")]
