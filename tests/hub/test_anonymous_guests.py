"""Guests with equal values on an anonymous program's desk before decryption (issue 15).

Guests (a score, no rank) are listed after the ranked field by the key chain; among equal
values the core's order is the tiebreak's, the bib, and the public lists the bibs in that order.
Listed so under codes, the desk would pair each code with a bib: among equal guests the desk
lists codes in code order, in every frame of the jury channel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.anonymity_kit import anonymous_competition, draw, draw_key
from tests.hubkit import HubProcess, judge, viewer
from tests.lifecycle_hub import ok

JURY = "program:weld:jury"


def listed(frame: dict[str, Any]) -> list[str]:
    """The codes a jury frame lists, in its order (a snapshot's rows, a delta's order)."""
    data = frame.get("data", frame)
    if data.get("order") is not None:
        return list(data["order"])
    return [r["competitor"]["id"] for r in data.get("rows", [])] if "data" in frame else []


async def test_guests_with_equal_values_are_listed_by_code(tmp_path: Path) -> None:
    comp = anonymous_competition()
    weld = comp["programs"][0]
    weld["criteria"][1].pop("anonymous_layer")  # one layer: the desk's board order is shown
    for c in weld["competitors"][2:]:
        c["guest"] = True
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        for n in range(8):  # a redraw until the guests' codes are not in their bib order
            ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
            by_bib = sorted(ws, key=lambda c: next(r["bib"] for r in d["rows"] if r["id"] == c))
            guests = [ws[c] for c in by_bib[2:]]
            if guests != sorted(guests):
                break
            httpx.post(
                f"{hub.http}/judge/api/draw/weld",
                json={"seed_input": f"again-{n}", "reason": "the guests' codes kept bib order"},
                headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
            ).raise_for_status()
            d = draw_key(hub)
        assert guests != sorted(guests)
        desk = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        await desk.recv_until(lambda f: f["type"] == "snapshot")
        judges = {j: await judge(hub, j) for j in ("weld-j1", "weld-j2", "weld-j3")}
        k1 = await judge(hub, "weld-k1")
        for n, cid in enumerate(by_bib):
            equal = n >= 2  # every guest the same marks; the two ranked ones differ
            for c in judges.values():
                value = "2" if equal else str(n + 1)
                await ok(c, "mark", program="weld", competitor=ws[cid], aspect="A1", value=value)
            await ok(judges["weld-j1"], "mark", program="weld", competitor=ws[cid], aspect="A2",
                     value="pass")  # fmt: skip
            await ok(k1, "mark", program="weld", competitor=ws[cid], aspect="B1",
                     value="5" if equal else str(n + 6))  # fmt: skip
        await desk.send({"type": "ping", "id": "drain"})
        await desk.recv_until(lambda f: f["type"] == "pong")
        frames = [f for f in desk.frames if f.get("channel") == JURY]
        shown = [[c for c in listed(f) if c in guests] for f in frames]
        final = [s for s in shown if len(s) == len(guests)]
        assert final, "no frame listed every guest"
        assert final[-1] == sorted(guests), shown  # the last, when their values are equal
        fresh = await viewer(hub, JURY, token=hub.tokens["weld-chief"])
        snap = await fresh.recv_until(lambda f: f["type"] == "snapshot")
        rows = snap["data"]["rows"]
        assert [r["competitor"]["id"] for r in rows if r["competitor"]["id"] in guests] == sorted(
            guests
        )
        assert all(r["rank"] is None for r in rows if r["competitor"]["id"] in guests)
        assert len({r["total"] for r in rows if r["competitor"]["id"] in guests}) == 1
    finally:
        hub.stop()
