"""What the desk's lifecycle gate ("still missing") pairs in a masked two-layer program
(issue 15, review rev5).

- A judge of both layers who signed off a competitor's workstation side but not its second
  code was listed missing under the workstation number (the core lists (competitor, judge), the
  desk's view put every such judge's sign-off under the desk's code), while the workstation
  table showed that number signed: the desk read off which code it is (the one code that judge
  has not signed). The gate lists it under the code of the layer still to sign.
- A status (DNS, DNF, DSQ) set under the workstation number took the competitor off the gate
  list on both layers: its unmarked second-code work left the list the moment the desk set the
  status. Until decryption the gate keeps a not-OK competitor's second-layer work (its marks and
  the sign-offs of those who marked it) as it keeps an OK one's: the status takes effect there
  at decryption, as on the desk's code table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.anonymity_kit import anonymous_competition, draw, typed
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import ok


def start(tmp_path: Path, both: bool = False) -> HubProcess:
    comp = anonymous_competition()
    if both:
        comp["judges"].append(
            {"id": "weld-both", "delegation": "HLD", "assignments": [{"program": "weld"}]}
        )
    h = HubProcess(tmp_path / "hub", comp)
    h.issue_credentials()
    h.start()
    return h


def gate(hub: HubProcess) -> dict[str, Any]:
    r = httpx.get(
        f"{hub.http}/judge/api/lifecycle/weld",
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()["gate"]  # type: ignore[no-any-return]


async def test_a_missing_sign_off_of_a_judge_of_both_layers_is_under_the_unsigned_code(
    tmp_path: Path,
) -> None:
    hub = start(tmp_path, both=True)
    try:
        d = draw(hub)
        both = await judge(hub, "weld-both")
        rows = d["rows"]
        for r in rows:
            ws = f"{r['workstation']:02d}"
            for code, aid, value in ((ws, "A1", "2"), (ws, "A2", "pass"), (r["code"], "B1", "5")):
                await ok(both, "mark", program="weld", competitor=code, aspect=aid, value=value)
        k = rows[2]
        for r in rows:
            await ok(both, "signoff", program="weld", competitor=f"{r['workstation']:02d}")
            if r is not k:
                await ok(both, "signoff", program="weld", competitor=r["code"])
        mine = [s["competitor"] for s in gate(hub)["signoffs"] if s["judge"] == "weld-both"]
        # the workstation side is signed everywhere: only K's second code is missing
        assert mine == [k["code"]], (mine, f"{k['workstation']:02d}")
        await ok(both, "signoff", program="weld", competitor=k["code"])
        assert [s for s in gate(hub)["signoffs"] if s["judge"] == "weld-both"] == []
    finally:
        hub.stop()


async def test_a_status_under_the_workstation_keeps_the_second_code_work_on_the_gate(
    tmp_path: Path,
) -> None:
    hub = start(tmp_path)
    try:
        d = draw(hub)
        rows = d["rows"]
        unmarked = {rows[2]["code"], rows[3]["code"]}
        for jid in ("weld-j1", "weld-j2", "weld-j3", "weld-sy", "weld-k1"):
            j = await judge(hub, jid)
            for i, r in enumerate(rows):
                if jid == "weld-k1":
                    if r["code"] not in unmarked:
                        await ok(j, "mark", program="weld", competitor=r["code"], aspect="B1",
                                 value=str(4 + i))  # fmt: skip
                    continue
                if jid == "weld-sy" and r["delegation"] == "SY":
                    continue
                await ok(j, "mark", program="weld", competitor=typed(jid, r), aspect="A1",
                         value=str(i % 4))  # fmt: skip
                if jid == "weld-j1":
                    await ok(j, "mark", program="weld", competitor=typed(jid, r), aspect="A2",
                             value="pass")  # fmt: skip

        def b1_missing() -> list[str]:
            return sorted(m["competitor"] for m in gate(hub)["marks"] if m["aspect"] == "B1")

        before = gate(hub)
        assert b1_missing() == sorted(unmarked)
        chief = await judge(hub, "weld-chief")
        ws = f"{rows[2]['workstation']:02d}"
        await ok(chief, "status", program="weld", competitor=ws, status="DNS", reason="absent")
        after = gate(hub)
        assert b1_missing() == sorted(unmarked)  # K stays: the status says nothing of codes
        b1 = [m for m in after["marks"] if m["aspect"] == "B1"]
        assert b1 == [m for m in before["marks"] if m["aspect"] == "B1"]
        # its workstation side is off the list (the status is the desk's, on its code)
        assert ws not in {m["competitor"] for m in after["marks"]}
        k1 = await judge(hub, "weld-k1")
        for code in sorted(unmarked):
            await ok(k1, "mark", program="weld", competitor=code, aspect="B1", value="3")
        assert b1_missing() == []
    finally:
        hub.stop()
