"""Free text on an anonymous program before decryption, through a real hub (issue 15).

The chief's reasons (a redraw, a lock, an unlock, a gate override) and an operator's sheet
reference are typed by people: one that names a competitor (a name, a bib, an id) reaches no
masked reader, the chief's desk included; it is replaced by a placeholder and the rest goes
out; a reason that names nobody is shown as typed. Every jury frame, the lifecycle report, the
history and the draw answer the chief reads are searched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.anonymity_kit import anonymous_competition, draw_key, leaks
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"
WITHHELD = "[withheld until decryption]"


def chief_get(hub: HubProcess, path: str) -> Any:
    r = httpx.get(
        f"{hub.http}{path}", headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"}
    )
    assert r.status_code == 200, (path, r.text)
    return r.json()


def post_draw(hub: HubProcess, seed: str, reason: str = "") -> Any:
    r = httpx.post(
        f"{hub.http}/judge/api/draw/weld",
        json={"seed_input": seed, "reason": reason},
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_free_text_that_names_a_competitor_is_withheld_from_masked_readers(
    tmp_path: Path,
) -> None:
    comp = anonymous_competition()
    comp["programs"][0]["double_entry"] = True
    comp["judges"] += [{"id": "op1", "role": "operator"}, {"id": "op2", "role": "operator"}]
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        seen: list[Any] = [post_draw(hub, "4729")]
        seen.append(post_draw(hub, "4730", reason="焊工703 arrived late to the draw"))
        d = draw_key(hub)
        ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
        row = d["rows"][0]
        chief = await judge(hub, "weld-chief")
        one, two = ws[d["rows"][1]["id"]], ws[d["rows"][2]["id"]]
        await ok(chief, "lock", program="weld", competitor=one, reason="Welder 704 asked for it")
        await ok(chief, "unlock", program="weld", competitor=one, reason="bib 705: sheet re-read")
        await ok(chief, "lock", program="weld", competitor=two)
        await ok(chief, "unlock", program="weld", competitor=two, reason="checked the sheet")
        await ok(chief, "override", program="weld", gate="review",
                 reason=f"{d['rows'][3]['id']} is ill; review without them")  # fmt: skip
        op1, op2 = await judge(hub, "op1"), await judge(hub, "op2")
        sheet = {"program": "weld", "judge": "weld-k1", "aspect": "B1", "competitor": row["code"]}
        await ok(op1, "entry", value="7", sheet="焊工706 B sheet", **sheet)
        await ok(op2, "entry", value="7.5", sheet="B-k1-p1", **sheet)
        held = await desk.recv_until(
            lambda f: any(
                e.get("mismatch")
                for r in f.get("data", {}).get("rows", [])
                for e in r.get("entries", [])
            )  # fmt: skip
        )
        await desk.send({"type": "ping", "id": "drain"})
        await desk.recv_until(lambda f: f["type"] == "pong")
        report = chief_get(hub, "/judge/api/lifecycle/weld")
        history = chief_get(hub, "/api/v1/programs/weld/history")
        answer = chief_get(hub, "/judge/api/draw/weld")
        history = {**history, "events": [{**e, "time": ""} for e in history["events"]]}
        seen += [*desk.frames, *chief.frames, report, history, answer]
        assert leaks(seen, d, "workstation", "HLD", both_layers=True) == []
        # withheld where it named someone, shown where it did not; nothing else withheld
        (entry,) = [e for r in held["data"]["rows"] for e in r.get("entries", [])]
        assert entry["sheets"] == {"op1": WITHHELD, "op2": "B-k1-p1"}
        assert report["fair"]["draw"]["reason"] == WITHHELD == answer["reason"]
        assert report["overrides"]["pending"]["review"]["reason"] == WITHHELD
        reasons = [e["fields"].get("reason") for e in history["events"]
                   if e["kind"] in ("lock", "unlock")]  # fmt: skip
        assert reasons == [WITHHELD, WITHHELD, "", "checked the sheet"], reasons
    finally:
        hub.stop()
