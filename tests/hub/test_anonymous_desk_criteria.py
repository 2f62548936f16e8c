"""The desk's two tables of a masked two-layer program: a mark under one layer's code changes
no row of the other layer's table (issue 15, review rev5).

A row's criteria were those the board prints, and the board prints criteria only once the
competitor has a result: a workstation with a pending A (one A1 mark of a panel of 3) showed no
criteria until its second code's B1 mark made a result, and then ``A 0.00``, in the same
snapshot as code K's new B1: the desk paired 07 with K. Each table shows its criteria as
marked now, whether the competitor has a result or not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.anonymity_kit import anonymous_competition, draw, typed
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"


def tables(frame: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"workstation": {}, "code": {}}
    for r in frame["data"]["rows"]:
        out[r["layer"]][r["competitor"]["id"]] = r
    return out


async def latest(desk: Any, tag: str) -> dict[str, Any]:
    await desk.send({"type": "ping", "id": tag})
    await desk.recv_until(lambda f: f["type"] == "pong" and f.get("id") == tag)
    return [f for f in desk.frames if f.get("channel") == JURY][-1]  # type: ignore[no-any-return]


async def test_a_second_code_mark_changes_no_workstation_row(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", anonymous_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        rows = d["rows"]
        j1, k1 = await judge(hub, "weld-j1"), await judge(hub, "weld-k1")
        await ok(j1, "mark", program="weld", competitor=typed("weld-j1", rows[2]), aspect="A1",
                 value="2")  # fmt: skip
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        before = tables(await latest(desk, "before"))
        await ok(k1, "mark", program="weld", competitor=rows[2]["code"], aspect="B1",
                 value="7")  # fmt: skip
        after = tables(await latest(desk, "after"))
        assert after["workstation"] == before["workstation"]
        changed = [c for c in after["code"] if after["code"][c] != before["code"].get(c)]
        assert changed == [rows[2]["code"]]
    finally:
        hub.stop()
