"""An anonymous program shown to the public by codes before decryption (issue 15).

``public_before_decryption = "codes"``: the program is live, its public board lists the
workstation numbers with scores. Everything a public viewer gets before decryption (the
program, ticker and overview channels, /api/v1, the pages, feeds and venue screens) is captured
and searched for names, bibs, ids, delegations and second-layer codes; after decryption the
same connection shows names, with no reload.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.anonymity_kit import BIBS, appears, coded_competition, decrypt, draw, mark_all, strings
from tests.hubkit import Board, Client, HubProcess, viewer

PAGES = [
    "/programs/weld", "/display/program/weld", "/display/carousel", "/display/ticker",
    "/overlay/top?program=weld", "/overlay/lower-third?program=weld", "/feeds/programs/weld.json",
    "/feeds/programs/weld.csv", "/feeds/programs/weld.xml", "/", "/medals", "/display/medals",
    "/api/v1/programs", "/api/v1/programs/weld", "/api/v1/programs/weld/leaderboard",
    "/api/v1/medals", "/delegations/HLD", "/delegations/SY", "/display/ceremony/weld",
    "/schedule",
]  # fmt: skip


@pytest.fixture
def chub(tmp_path: Path) -> Any:
    h = HubProcess(tmp_path / "hub", coded_competition())
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


def secrets(d: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Per drawn competitor: (its workstation code, what must never reach the public)."""
    return [(f"{r['workstation']:02d}", [r["id"], r["bib"], r["code"], *r["name"].values()])
            for r in d["rows"]]  # fmt: skip


def found(items: list[Any], d: dict[str, Any], delegations: bool = True) -> list[str]:
    out = []
    dels = {r["delegation"] for r in d["rows"]}
    for item in items:
        text = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
        values = set(strings(item)) if not isinstance(item, str) else set()
        for _, words in secrets(d):
            out += [f"{w!r} in {text[:300]}" for w in words if appears(w, text)]
        if delegations:
            out += [f"delegation {x!r} in {text[:300]}" for x in dels if x in values]
    return out


async def until(client: Client, board: Board, pred: Any) -> None:
    while not (board.snapshot is not None and pred(board.snapshot)):
        board.take(await client.recv(10))


async def test_public_sees_codes_and_scores_then_names(chub: HubProcess) -> None:
    hub = chub
    live = await viewer(hub, "program:weld")
    ticker = await viewer(hub, "ticker")
    overview = await viewer(hub, "overview")
    board = Board()
    await until(live, board, lambda s: True)
    assert board.snapshot is not None and board.snapshot["rows"] == []  # no codes before the draw
    d = draw(hub)
    ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
    code = {r["id"]: r["code"] for r in d["rows"]}
    await until(live, board, lambda s: len(s["rows"]) == len(BIBS))
    # the draw's delta lists the rows by code: in the file's order row k was the k-th bib's
    [drawn] = [f["rows"] for f in live.frames if f.get("type") == "delta" and f.get("rows")]
    assert [r["competitor"]["id"] for r in drawn] == sorted(ws.values()), drawn
    await mark_all(hub, d)
    await until(live, board, lambda s: all(r["criteria"].get("A") for r in s["rows"]))
    assert board.snapshot is not None
    rows = board.snapshot["rows"]
    # weld's criterion B is marked under the second code: its marks (and the total and rank
    # they move) are not shown under the workstation number, which would link the two layers
    assert all(list(r["criteria"]) == ["A"] and r["total"] is None for r in rows), rows
    assert [r["competitor"]["id"] for r in rows] == sorted(ws.values())
    assert sorted(r["competitor"]["id"] for r in rows) == sorted(ws.values())
    assert all(r["competitor"]["name"]["en"] == f"Station {r['competitor']['id']}" for r in rows)
    assert all(r["competitor"]["delegation"] is None for r in rows)
    strict: list[Any] = []  # the program's own: no delegation either
    loose: list[Any] = []  # pages that list every delegation: no name, bib, id or code
    async with httpx.AsyncClient(base_url=hub.http) as http:
        for path in PAGES:
            r = await http.get(path)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            (strict if "weld" in path else loose).append(r.text)
        medals = (await http.get("/api/v1/medals")).json()["medals"]
        # a code is no bib: a feed joined with the start list by bib would misattribute scores
        feed = (await http.get("/feeds/programs/weld.json")).json()
        assert feed and all(r["bib"] == "" and r["name_en"].startswith("Station") for r in feed)
        # the start list names the competitors, as for any hidden program, with no code or score
        start = (await http.get("/api/v1/programs/weld/competitors")).text
        assert not any(appears(c, start) for c in [*ws.values(), *code.values()]), start
        assert "total" not in start
        # a competitor's own record: the start list, no score and no code of the program
        for cid in ws:
            r = await http.get(f"/api/v1/competitors/{cid}")
            assert r.status_code == 200, r.text
            row = r.json()["row"]
            assert row["total"] is None and not appears(ws[cid], json.dumps(row)), row
            page = await http.get(f"/competitors/{cid}")
            assert page.status_code == 200
            assert not appears(code[cid], page.text) and f"Station {ws[cid]}" not in page.text
    await asyncio.sleep(0.5)  # the ticker and overview frames of the last marks
    for c in (ticker, overview):
        while True:
            try:
                await c.recv(0.5)
            except TimeoutError:
                break
    assert not any(f.get("rows") for f in ticker.frames), ticker.frames[-3:]  # no total shown
    assert found([*live.frames, *ticker.frames, *strict], d) == []
    assert found([*overview.frames, *loose], d, delegations=False) == []
    assert medals and all(m["total"] == 0 for m in medals), medals  # weld's medals: not counted
    # a restart (snapshot or replay) gives the same board by code
    before = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    hub.stop()
    hub.start()
    again = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert again["rows"] == before["rows"] and again["rows"][0]["competitor"]["coded"]
    live = await viewer(hub, "program:weld")
    board = Board()
    await until(live, board, lambda s: True)

    # decryption, through the review: the same viewer gets the names, without a reload
    await decrypt(hub, d)
    await until(live, board, lambda s: {r["competitor"]["id"] for r in s["rows"]} == set(ws))
    assert board.snapshot is not None
    names = {r["competitor"]["name"]["zh"] for r in board.snapshot["rows"]}
    assert names == {f"焊工{b}" for b in BIBS}
    assert all(r["total"] for r in board.snapshot["rows"])


async def test_an_id_that_is_also_a_code_gets_no_station_s_row(tmp_path: Path) -> None:
    """Competitor ids may be given in the file: competitor "03" is not station 03. Their own
    record (/api/v1/competitors/03, /competitors/03) shows the start list's row, never the row
    the coded board keeps under "03" (another competitor's score, most of the time)."""
    comp = coded_competition()
    for i, c in enumerate(comp["programs"][0]["competitors"]):
        c["id"] = f"{i + 1:02d}"
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        await mark_all(hub, d)
        async with httpx.AsyncClient(base_url=hub.http) as http:
            board = (await http.get("/api/v1/programs/weld/leaderboard")).json()
            assert all(r["criteria"] for r in board["rows"]), board  # every station marked
            for r in d["rows"]:
                row = (await http.get(f"/api/v1/competitors/{r['id']}")).json()["row"]
                assert row["total"] is None and not row.get("criteria"), row
                assert not row["competitor"].get("coded"), row
                page = (await http.get(f"/competitors/{r['id']}")).text
                assert f"Station {r['id']}" not in page and f"工位 {r['id']}" not in page
    finally:
        hub.stop()
