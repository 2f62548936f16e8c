"""What the desk's status and the review show a second-layer audience of a masked two-layer
program (issue 15, fifth review): nothing that changes because of the other layer's code.

- A status (DNS, DNF, DSQ) is set by the desk under the workstation number. It emptied the
  competitor's criteria on the desk's second-code table at once (a row keeps no criteria for a
  competitor who is not OK), so the one code row that lost its values was that workstation's.
  The second layer's rows keep their marks and criteria as entered until decryption; the
  status shows on the workstation's row only, and the second-code judge's history has no line
  of it.
- The review set is drawn by total (which joins the layers): with ``review_top = 1`` and no
  sample the lifecycle report listed the set's workstation and, in its marks, that work's
  second code. The second layer is reviewed in full now (``review.every``): the report holds
  every second-code work's marks, in code order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.anonymity_kit import anonymous_competition, draw, leaks, pairings
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"
LAYER = {"A1": "workstation", "A2": "workstation", "B1": "code"}


def hub_of(tmp_path: Path, **lifecycle: Any) -> HubProcess:
    comp = anonymous_competition()
    if lifecycle:
        comp["programs"][0]["lifecycle"] = lifecycle
    h = HubProcess(tmp_path / "hub", comp)
    h.issue_credentials()
    h.start()
    return h


def get(hub: HubProcess, who: str, path: str) -> Any:
    r = httpx.get(f"{hub.http}{path}", headers={"Authorization": f"Bearer {hub.tokens[who]}"})
    assert r.status_code == 200, (path, r.text)
    return r.json()


async def drain(c: Any, tag: str) -> None:
    await c.send({"type": "ping", "id": tag})
    await c.recv_until(lambda f: f["type"] == "pong" and f.get("id") == tag)


def code_table(frame: dict[str, Any]) -> dict[str, Any]:
    return {r["competitor"]["id"]: r for r in frame["data"]["rows"] if r["layer"] == "code"}


async def test_a_status_set_by_workstation_leaves_the_second_layer_as_entered(
    tmp_path: Path,
) -> None:
    hub = hub_of(tmp_path)
    try:
        d = draw(hub)
        k1, chief = await judge(hub, "weld-k1"), await judge(hub, "weld-chief")
        for i, r in enumerate(d["rows"]):
            await ok(k1, "mark", program="weld", competitor=r["code"], aspect="B1",
                     value=str(4 + i))  # fmt: skip
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        await drain(desk, "before")
        before = [f for f in desk.frames if f.get("channel") == JURY][-1]
        history_before = get(hub, "weld-k1", "/api/v1/programs/weld/history")["events"]
        row = d["rows"][2]
        ws = f"{row['workstation']:02d}"
        await ok(chief, "status", program="weld", competitor=ws, status="DNS", reason="absent")
        await drain(desk, "after")
        after = [f for f in desk.frames if f.get("channel") == JURY][-1]
        assert after is not before
        # the second layer's table is as it was: every code keeps its criteria and marks
        assert code_table(after) == code_table(before)
        assert code_table(after)[row["code"]]["criteria"] == {"B": f"{6:.2f}"}
        # the status is on the workstation's row only
        desk_rows = {r["competitor"]["id"]: r for r in after["data"]["rows"]
                     if r["layer"] == "workstation"}  # fmt: skip
        assert desk_rows[ws]["status"] == "DNS"
        # the second-code judge reads no line of it
        history = get(hub, "weld-k1", "/api/v1/programs/weld/history")["events"]
        assert [e["kind"] for e in history] == [e["kind"] for e in history_before]
        seen = [*desk.frames, history]
        assert pairings(seen, d, LAYER, {"weld-k1": "code"}) == []
        assert leaks([history, *k1.frames], d, "code", "HLD") == []
    finally:
        hub.stop()


async def test_a_review_set_of_one_does_not_pair_its_codes(tmp_path: Path) -> None:
    from tests.anonymity_kit import mark_all, review_all

    hub = hub_of(tmp_path, review_top=1, review_share="0%")
    try:
        d = draw(hub)
        await mark_all(hub, d)
        await review_all(hub, d)
        report = get(hub, "weld-chief", "/judge/api/lifecycle/weld")
        review = report["review"]
        assert len(review["members"]) == 1  # one workstation in the set
        codes = sorted(r["code"] for r in d["rows"])
        ws = {f"{r['workstation']:02d}" for r in d["rows"]}
        # the set's workstation with its A marks; every second-code work with its B1 marks
        assert [c for c in report["marks"] if c in ws] == review["members"]
        assert [c for c in report["marks"] if c not in ws] == codes
        assert all(set(p) == {"B1"} for c, p in report["marks"].items() if c not in ws)
        assert all("B1" not in p for c, p in report["marks"].items() if c in ws)
        assert review["every"] == ["code"]  # the report says the second layer is reviewed in full
        rev = get(hub, "rev", "/judge/api/lifecycle/weld")
        assert pairings([report, rev], d, LAYER, {"weld-k1": "code"}) == []
    finally:
        hub.stop()
