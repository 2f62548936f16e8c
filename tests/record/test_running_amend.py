"""Issue 13: the organizer amends a running hub, on the record (real hub process, real clients).

Adding a judge issues their credential and their marks are accepted at once; a corrected name
reaches a subscribed screen as a delta; a status is set; an amendment that would drop accepted
marks is refused with their seqs and changes nothing; only an organizer may amend. After it all
the hub restarts on the exported competition in force, and a fresh replay of the ledger (no
snapshot) equals the running hub on every channel; ``verify`` passes.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import httpx

from tests.hubkit import HubProcess, judge, mark, viewer
from tests.record.conftest import with_organizer
from tests.record.kit import all_boards, edited, replayed_boards, scorecast, write


def count(hub: HubProcess) -> int:
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    try:
        return int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        db.close()


def amend(hub: HubProcess, token: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{hub.http}/api/v1/amendments",
        json=body,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


async def test_an_organizer_amends_a_running_hub_on_the_record(org_hub: HubProcess) -> None:
    hub, org = org_hub, org_hub.tokens["org"]
    j1 = await judge(hub, "weld-j1")
    assert (await mark(j1, "m1", "weld", "weld-1", "B1", "6"))["type"] == "ack"
    screen = await viewer(hub, "program:weld")
    await screen.recv()  # the snapshot

    # a new judge, added while the hub runs (the CLI), marks at once with the issued credential
    out = scorecast(
        "add-judge",
        "--hub",
        hub.http,
        "--token",
        org,
        "--id",
        "weld-j4",
        "--name-zh",
        "新裁判",
        "--delegation",
        "HLD",
        "--assign",
        "weld",
        "--reason",
        "a fourth judge arrived",
    )
    assert out.returncode == 0, out.stderr
    assert "judges[weld-j4] added" in out.stdout
    credential = out.stdout.split("credential (shown once): ")[1].split()[0]
    hub.tokens["weld-j4"] = credential
    j4 = await judge(hub, "weld-j4")
    ack = await mark(j4, "j4-1", "weld", "weld-2", "B1", "9")
    assert ack["type"] == "ack", ack

    # a corrected name reaches the subscribed screen as a delta, and the API
    r = amend(
        hub,
        org,
        {
            "reason": "misspelt",
            "correct_competitor": {
                "competitor": "weld-3",
                "name": {"zh": "王磊", "en": "Wang Lei"},
            },
        },
    )
    assert r.status_code == 200, r.text
    frame = await screen.recv_until(
        lambda f: any(
            row["competitor"]["id"] == "weld-3" and row["competitor"]["name"]["en"] == "Wang Lei"
            for row in f.get("rows", [])
        )
    )
    assert frame["type"] == "delta"
    rows = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
    assert {r["competitor"]["id"]: r["competitor"]["name"]["en"] for r in rows}[
        "weld-3"
    ] == "Wang Lei"

    # a status, by the organizer (recorded as a status event)
    out = scorecast(
        "set-status",
        "--hub",
        hub.http,
        "--token",
        org,
        "--program",
        "weld",
        "--competitor",
        "weld-6",
        "--status",
        "DNS",
        "--reason",
        "did not arrive",
    )
    assert out.returncode == 0, out.stderr

    # refused: it would drop weld-1's accepted mark; nothing is written
    before = count(hub)
    dropping = write(hub.workdir / "dropping.json", with_organizer(edited("remove_competitor")))
    out = scorecast(
        "amend", "--hub", hub.http, "--token", org, "--competition", str(dropping), "--reason", "x"
    )
    assert out.returncode == 4, (out.stdout, out.stderr)
    assert "invalidate" in out.stderr and "weld-1" in out.stderr and "Traceback" not in out.stderr
    # only an organizer may amend; a reason is required; bad changes are named
    r = amend(hub, hub.tokens["weld-chief"], {"reason": "x", "add_judge": {"id": "z"}})
    assert r.status_code == 403 and r.json()["error"]["code"] == "wrong_role"
    r = amend(hub, org, {"add_judge": {"id": "z"}})
    assert r.status_code == 409 and "reason" in r.json()["error"]["message"]
    r = amend(hub, org, {"reason": "x", "add_judge": {"id": "weld-j1"}})
    assert r.status_code == 409 and "already" in r.json()["error"]["message"]
    r = amend(
        hub, org, {"reason": "x", "add_judge": {"id": "z", "assignments": [{"program": "nope"}]}}
    )
    assert r.status_code == 409 and "nope" in r.json()["error"]["message"]
    assert count(hub) == before
    await screen.close()

    running = await all_boards(hub)
    hub.stop()
    # the original file no longer starts; the exported competition in force does, with the same boards
    exported = hub.workdir / "in-force.json"
    out = scorecast("export-competition", "--store", hub.store, "--out", str(exported))
    assert out.returncode == 0, out.stderr
    doc = json.loads(exported.read_text())
    assert any(j["id"] == "weld-j4" for j in doc["judges"])
    hub.competition_path.write_text(exported.read_text())
    # the official results export replays the record with each amendment at its seq
    out = scorecast(
        "export",
        "results",
        "--competition",
        str(exported),
        "--store",
        hub.store,
        "--out",
        str(hub.workdir / "results"),
    )
    assert out.returncode == 0, out.stderr
    import openpyxl

    sheet = openpyxl.load_workbook(hub.workdir / "results" / "results.xlsx")["weld"]
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert "Wang Lei" in cells or "王磊" in cells, sorted(cells)[:40]
    hub.start()
    assert await all_boards(hub) == running
    hub.stop()
    # a fresh replay of a copy of the ledger (no snapshot) equals the running hub
    replayed = await replayed_boards(hub, exported)
    assert replayed == running, first_difference(replayed, running)
    verified = scorecast("verify", "--store", hub.store)
    assert verified.returncode == 0, verified.stdout
    export = scorecast("export-ledger", "--store", hub.store)
    assert export.stdout.count('"kind": "amendment"') == 2
    assert "a fourth judge arrived" in export.stdout and "misspelt" in export.stdout
    hub.start()  # the fixture stops it


async def test_the_jury_reads_a_programs_history(org_hub: HubProcess) -> None:
    hub = org_hub
    j1, j2 = await judge(hub, "weld-j1"), await judge(hub, "weld-j2")
    for j, mid, cid, v in (
        (j1, "h1", "weld-1", "6"),
        (j2, "h2", "weld-2", "7"),
        (j1, "h3", "weld-1", "6.5"),
    ):
        assert (await mark(j, mid, "weld", cid, "B1", v))["type"] == "ack"
    cook = await judge(hub, "cook-j1")
    assert (await mark(cook, "h4", "cook", "cook-1", "B1", "5"))["type"] == "ack"
    r = amend(
        hub,
        hub.tokens["org"],
        {"reason": "typo", "correct_competitor": {"competitor": "weld-4", "bib": "44"}},
    )
    assert r.status_code == 200, r.text

    def get(token: str | None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.get(f"{hub.http}/api/v1/programs/weld/history", params=params, headers=headers)

    everything = get(hub.tokens["weld-chief"]).json()["events"]
    kinds = [e["kind"] for e in everything]
    assert kinds == ["competition", "mark", "mark", "mark", "amendment"]  # not cook's mark
    assert everything[-1]["author"] == "org" and everything[-1]["fields"]["reason"] == "typo"
    assert "definition" not in everything[-1]["fields"]
    assert [
        e["fields"]["value"]
        for e in get(hub.tokens["weld-j2"], competitor="weld-1").json()["events"]
    ] == ["6", "6.5"]
    assert [e["seq"] for e in get(hub.tokens["org"], judge="weld-j2").json()["events"]] == [
        everything[2]["seq"]
    ]
    page = get(hub.tokens["weld-chief"], limit=2).json()
    assert [e["kind"] for e in page["events"]] == ["competition", "mark"] and page[
        "next"
    ] == everything[1]["seq"]
    rest = get(hub.tokens["weld-chief"], after=page["next"]).json()
    assert rest["events"] == everything[2:] and rest["next"] is None
    assert get(None).status_code == 401
    assert get(hub.tokens["cook-j1"]).json()["error"]["code"] == "wrong_role"
    assert get(hub.tokens["weld-chief"], limit="x").status_code == 400
    assert httpx.get(f"{hub.http}/api/v1/programs/nope/history").status_code == 404


async def test_the_public_program_page_carries_the_ledger_head(org_hub: HubProcess) -> None:
    j1 = await judge(org_hub, "weld-j1")
    assert (await mark(j1, "p1", "weld", "weld-1", "B1", "6"))["type"] == "ack"
    head = httpx.get(f"{org_hub.http}/api/v1/ledger/head").json()
    page = httpx.get(f"{org_hub.http}/programs/weld").text
    assert head["seq"] >= 2 and len(head["hash"]) == 64
    assert f"seq {head['seq']} · SHA-256 <code>{head['hash']}</code>" in page


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Where two boards first differ (for the failure message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                return f"{path}.{k}: only in one"
            d = first_difference(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"
