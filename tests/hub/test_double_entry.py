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
        # an operator's retype no longer clears it: the mismatch is the chief's (it agreed
        # with op1 and went on the scoreboard without the chief)
        retyped = await entry(o2, "e3", "8.5")
        assert retyped["code"] == "mismatch_held", retyped
        assert total(hub) is None
        chief = await judge(hub, "weld-chief")
        fixed = await entry(chief, "c1", "8.5")  # the chief resolves it from the sheet
        assert (fixed["type"], fixed["entry"]) == ("ack", "resolved")
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
    events = [json.loads(line) for line in out.splitlines()]
    kinds = [e["kind"] for e in events]
    assert kinds.count("entry") == 3 and "mark" not in kinds
    # the record says who resolved the mismatch: the chief's entry, with the sheet
    authors = [e.get("author") for e in events if e["kind"] == "entry"]
    assert authors == ["op1", "op2", "weld-chief"], events


async def test_an_entry_id_used_again_for_other_content_is_refused(tmp_path: Path) -> None:
    """An operator's id reused for another value was acked ``duplicate`` with "entry: waiting"
    (the hub took it for a resend): the operator believed it typed. It is refused now
    (``id_reused``) and changes nothing; a true resend is still a duplicate."""
    hub = HubProcess(tmp_path / "hub", paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        first = await entry(o1, "e1", "8.5")
        resend = await entry(o1, "e1", "8.5")
        assert resend["type"] == "ack" and resend.get("duplicate") is True, resend
        assert resend["seq"] == first["seq"]
        other = await entry(o1, "e1", "6")  # another value under the same id
        assert (other["type"], other["code"]) == ("error", "id_reused"), other
        sheet = await entry(o1, "e1", "8.5", sheet="weld-B-j1-p2")  # another sheet
        assert sheet.get("code") == "id_reused", sheet
        # nothing changed: op2's 8.5 agrees with op1's first entry, the one recorded
        done = await entry(o2, "e1", "8.5")  # ids are per author: op2's own e1
        assert (done["type"], done["entry"]) == ("ack", "agreed"), done
        assert total(hub) == "8.50"
    finally:
        hub.stop()


async def test_an_entry_id_used_before_by_another_frame_of_the_author_is_refused(
    tmp_path: Path,
) -> None:
    """Review (rev5): ``id_reused`` looked only at the entries of the entry's program, while the
    hub takes any frame's ``author:id`` for a resend. The chief's resolution under an id its
    lock had used was acked ``duplicate`` and the mismatch stayed held: the chief believed the
    mark resolved. It is refused (``id_reused``) now, and the fresh id resolves it."""
    hub = HubProcess(tmp_path / "hub", paper_competition())
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        chief = await judge(hub, "weld-chief")
        await chief.send({"type": "lock", "id": "c1", "program": "weld",
                          "competitor": "weld-2", "reason": "protest"})  # fmt: skip
        lock = await chief.recv_until(lambda f: f.get("id") == "c1")
        assert lock["type"] == "ack", lock
        await entry(o1, "e1", "8.5")
        assert (await entry(o2, "e1", "5.5"))["entry"] == "mismatch"
        fixed = await entry(chief, "c1", "8.5")  # the lock's id again
        assert (fixed["type"], fixed.get("code")) == ("error", "id_reused"), fixed
        assert total(hub) is None
        fresh = await entry(chief, "c2", "8.5")
        assert (fresh["type"], fresh["entry"]) == ("ack", "resolved"), fresh
        assert total(hub) == "8.50"
    finally:
        hub.stop()
