"""The data-entry operator's view through a real hub (双人录入, issue 15): ``/judge/api/me`` gives
the judges whose sheets are typed, the operator's entries and where they stand, never the other
operator's values; in an anonymous program before decryption the operator types codes and sees
nothing else of the competitors (every frame and response captured and searched).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.anonymity_kit import anonymous_competition, appears
from tests.hub.test_anonymous import bearer, me, run_draw, send
from tests.hubkit import HubProcess, judge


def anonymous_paper() -> dict[str, Any]:
    comp = anonymous_competition()
    comp["programs"][0]["double_entry"] = True
    every = [{"program": "weld"}]
    comp["judges"] += [{"id": f"op{n}", "role": "operator", "assignments": every} for n in (1, 2)]
    return comp


def hub_competition(hub: HubProcess) -> dict[str, Any]:
    return json.loads(hub.competition_path.read_text())  # type: ignore[no-any-return]


def entry(eid: str, competitor: str, aspect: str, judge_id: str, value: str) -> dict[str, Any]:
    return {"type": "entry", "id": eid, "program": "weld", "competitor": competitor,
            "aspect": aspect, "judge": judge_id, "value": value, "sheet": f"S-{eid}"}  # fmt: skip


async def test_an_operator_of_an_anonymous_program_types_codes_and_sees_no_names(
    tmp_path: Path,
) -> None:
    hub = HubProcess(tmp_path / "hub", anonymous_paper())
    hub.issue_credentials()
    hub.start()
    seen: list[Any] = []
    try:
        drawn = run_draw(hub)
        station = {r["id"]: f"{r['workstation']:02d}" for r in drawn["rows"]}
        second = {r["id"]: r["code"] for r in drawn["rows"]}
        first = me(hub, "op1", seen)["programs"]["weld"]
        assert first["anonymous"] and first["double_entry"] and first["competitors"] == []
        assert first["codes"]["workstation"] == sorted(station.values())
        assert first["codes"]["code"] == sorted(second.values())  # not in the drawn order
        sheets = {j["id"]: j["aspects"] for j in first["judges"]}
        assert sheets["weld-j1"] == ["A1", "A2"] and sheets["weld-k1"] == ["B1"]
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        cid = drawn["rows"][0]["id"]
        ws, code = station[cid], second[cid]
        a = await send(o1, entry("e1", ws, "A2", "weld-j1", "pass"))
        assert (a["type"], a["entry"]) == ("ack", "waiting")
        b = await send(o2, entry("e2", ws, "A2", "weld-j1", "pass"))
        assert (b["type"], b["entry"]) == ("ack", "agreed")
        by_id = await send(o1, entry("e3", cid, "B1", "weld-k1", "7"))
        assert by_id["code"] == "unknown_competitor"
        other_layer = await send(o1, entry("e4", ws, "B1", "weld-k1", "7"))
        assert other_layer["code"] == "unknown_competitor"  # B1 is marked under the second code
        assert (await send(o1, entry("e5", code, "B1", "weld-k1", "7")))["entry"] == "waiting"
        assert (await send(o2, entry("e6", code, "B1", "weld-k1", "6.5")))["entry"] == "mismatch"
        mine = me(hub, "op1", seen)["programs"]["weld"]
        assert mine["agreed"] == [[ws, "A2", "weld-j1"]]
        assert mine["entries"] == [{"competitor": code, "aspect": "B1", "judge": "weld-k1",
                                    "value": "7", "sheet": "S-e5", "status": "mismatch"}]  # fmt: skip
        seen += o1.frames + o2.frames
    finally:
        hub.stop()
    text = json.dumps(seen, ensure_ascii=False)
    for r in drawn["rows"]:
        for word in (r["id"], r["bib"], *r["name"].values(), r["delegation"]):
            assert not appears(word, text), f"{word!r} reached an operator"


async def test_an_operator_sees_the_sheets_and_their_own_entries_only(tmp_path: Path) -> None:
    from tests.hub.test_double_entry import paper_competition

    comp = paper_competition()
    for op in comp["judges"]:
        if op.get("role") == "operator":
            op["assignments"] = [{"program": "weld"}]
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        assert (await send(o1, entry("e1", "weld-1", "B1", "weld-j1", "8.5")))["entry"] == "waiting"
        assert (await send(o2, entry("e2", "weld-1", "B1", "weld-j1", "5.5")))[
            "entry"
        ] == "mismatch"
        r = httpx.get(f"{hub.http}/judge/api/me", headers=bearer(hub, "op2"))
        weld = r.json()["programs"]["weld"]
        assert "anonymous" not in weld and weld["agreed"] == []
        assert weld["entries"] == [{"competitor": "weld-1", "aspect": "B1", "judge": "weld-j1",
                                    "value": "5.5", "sheet": "S-e2", "status": "mismatch"}]  # fmt: skip
        assert "8.5" not in r.text  # the other operator's value: re-read the sheet, not copy it
        judges = [j["id"] for j in hub_competition(hub)["judges"] if j.get("role", "judge") == "judge"
                  and any(a["program"] == "weld" for a in j.get("assignments", []))]  # fmt: skip
        assert [j["id"] for j in weld["judges"]] == judges  # whose sheets: every judge of weld
        # the chief desk's panel lists who marks: not the operators (they were counted as
        # judges who had marked nothing, and among the signers each row waited for)
        panel = httpx.get(f"{hub.http}/judge/api/panel/weld", headers=bearer(hub, "weld-chief"))
        listed = {j["id"] for j in panel.json()["judges"]}
        assert set(judges) <= listed and not listed & {"op1", "op2"}
    finally:
        hub.stop()


async def test_an_operators_lists_are_in_code_order_never_in_id_order(tmp_path: Path) -> None:
    """Entries and agreed marks are listed by layer, then code (what the operator sees), never
    by competitor id: in id order one competitor's workstation number and second code sit next
    to each other, and the list would give away the draw's key."""
    hub = HubProcess(tmp_path / "hub", anonymous_paper())
    hub.issue_credentials()
    hub.start()
    try:
        drawn = run_draw(hub)
        station = {r["id"]: f"{r['workstation']:02d}" for r in drawn["rows"]}
        second = {r["id"]: r["code"] for r in drawn["rows"]}
        o1, o2 = await judge(hub, "op1"), await judge(hub, "op2")
        for n, cid in enumerate(sorted(station)):  # typed in id order
            ws, code = station[cid], second[cid]
            assert (await send(o1, entry(f"a{n}", ws, "A2", "weld-j1", "pass")))["type"] == "ack"
            assert (await send(o2, entry(f"c{n}", ws, "A2", "weld-j1", "pass")))[
                "entry"
            ] == "agreed"
            w = await send(o1, entry(f"w{n}", ws, "A1", "weld-j1", "2"))
            assert w.get("entry") == "waiting", w
            assert (await send(o1, entry(f"b{n}", code, "B1", "weld-k1", "7")))[
                "entry"
            ] == "waiting"
            if n % 2 == 0:  # B1 agreed for half the competitors, waiting for the rest
                assert (await send(o2, entry(f"d{n}", code, "B1", "weld-k1", "7")))[
                    "entry"
                ] == "agreed"
        weld = me(hub, "op1", [])["programs"]["weld"]
    finally:
        hub.stop()
    layer = {"A1": 0, "A2": 0, "B1": 1}  # workstation numbers first, then second codes
    entries = [(e["competitor"], e["aspect"], e["judge"]) for e in weld["entries"]]
    agreed = [tuple(a) for a in weld["agreed"]]
    assert len(entries) == 6 + 3 and len(agreed) == 6 + 3  # both layers in each list
    for listed in (entries, agreed):
        assert listed == sorted(listed, key=lambda r: (layer[r[1]], r[0], r[1], r[2]))
