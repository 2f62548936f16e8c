"""Issue 14 with issue 13: an amendment (a changed competition put in force) while a program is
under review (复核) and while it is public for objections (公示).

A result on its way to official changes only on the lifecycle's record (a reviewer's or the
chief's correction, with its reason; 更正 after publication). An amendment that would move a
total, rank or award of such a program is refused, with the code and the fix, and changes
nothing: ``program_in_review`` (reopen marking first: then it is recorded, and the review starts
again) or ``results_published``, on a running hub and on a stopped one's store alike. An
amendment that moves no result (a corrected name) is recorded and leaves the stage, the review
set and the deadline as they were.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.hubkit import HubProcess, close_all, judge, mark, small_competition
from tests.lifecycle_hub import desk, ok, public_board, review_everyone, sign_off_all, with_people
from tests.record.conftest import with_organizer
from tests.record.kit import scorecast, write

JUDGES = ["weld-j1", "weld-j2", "weld-j3"]


def competition() -> dict[str, Any]:
    return with_organizer(with_people(small_competition(), weld={"appeal_window": "1h"}))


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(tmp_path / "hub", competition(), env={"SCORECAST_JUDGE_RATE": "10000"})
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


def count(hub: HubProcess) -> int:
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    try:
        return int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    finally:
        db.close()


def amend(hub: HubProcess, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        f"{hub.http}/api/v1/amendments",
        json=body,
        headers={"Authorization": f"Bearer {hub.tokens['org']}"},
        timeout=30,
    )


def medals(doc: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """``doc`` with weld's medal rule naming ``names`` (fewer medals move an award)."""
    doc = copy.deepcopy(doc)
    weld = next(p for p in doc["programs"] if p["id"] == "weld")
    weld["awards"] = [{"type": "medals", "awards": names}]
    return doc


def renamed(doc: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    weld = next(p for p in doc["programs"] if p["id"] == "weld")
    weld["competitors"][2]["name"] = {"zh": "王磊", "en": "Wang Lei"}
    return doc


RENAME = {"competitor": "weld-3", "name": {"zh": "王磊", "en": "Wang Lei"}}


async def mark_weld(hub: HubProcess) -> None:
    judges = [await judge(hub, j) for j in JUDGES]
    for i in range(1, 7):
        cid = f"weld-{i}"
        for n, j in enumerate(judges):
            assert (await mark(j, f"{cid}-A1-{n}", "weld", cid, "A1", str(i % 4)))["type"] == "ack"
        assert (await mark(judges[0], f"{cid}-A2", "weld", cid, "A2", "pass"))["type"] == "ack"
        assert (await mark(judges[0], f"{cid}-B1", "weld", cid, "B1", str(i)))["type"] == "ack"


def awards(hub: HubProcess) -> dict[str, Any]:
    return {r["competitor"]["id"]: r.get("award") for r in public_board(hub, "weld")["rows"]}


async def test_an_amendment_in_review_and_in_publication(hub: HubProcess) -> None:
    doc = competition()
    await mark_weld(hub)
    await sign_off_all(hub, "weld", JUDGES)
    chief = await judge(hub, "weld-chief")
    await ok(chief, "stage", program="weld", stage="review")
    review = desk(hub, "weld-chief", "weld")["review"]

    # in review: a third medal dropped would move weld's bronze; refused, nothing written
    before = count(hub)
    r = amend(hub, {"reason": "two medals only", "competition": medals(doc, ["gold", "silver"])})
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "program_in_review", error
    assert "weld (review)" in error["message"] and "award bronze → –" in error["message"]
    assert "scorecast lifecycle reopen weld" in error["message"]
    assert count(hub) == before
    assert desk(hub, "weld-chief", "weld")["review"] == review
    # a corrected name moves no result: recorded; the stage and the review set stay
    r = amend(hub, {"reason": "misspelt", "correct_competitor": RENAME})
    assert r.status_code == 200, r.text
    doc = renamed(doc)
    board = public_board(hub, "weld")
    assert board["lifecycle"]["stage"] == "review"
    assert desk(hub, "weld-chief", "weld")["review"]["members"] == review["members"]
    names = {row["competitor"]["id"]: row["competitor"]["name"]["en"] for row in board["rows"]}
    assert names["weld-3"] == "Wang Lei"

    # the fix the refusal names: reopen marking, amend, review again
    await ok(chief, "stage", program="weld", stage="marking", reason="the rules say two medals")
    r = amend(hub, {"reason": "two medals only", "competition": medals(doc, ["gold", "silver"])})
    assert r.status_code == 200, r.text
    doc = medals(doc, ["gold", "silver"])
    jury = await judge(hub, "weld-chief")
    await ok(jury, "stage", program="weld", stage="review")
    await review_everyone(hub, "weld")
    await ok(jury, "stage", program="weld", stage="publication")
    board = public_board(hub, "weld")
    assert board["lifecycle"]["stage"] == "publication"
    shown = awards(hub)
    assert "bronze" not in shown.values() and "gold" in shown.values()

    # in 公示: a third medal again would give one; refused with the way results change now
    before = count(hub)
    moving = medals(doc, ["gold", "silver", "bronze"])
    r = amend(hub, {"reason": "three medals after all", "competition": moving})
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "results_published", error
    assert "weld (publication)" in error["message"] and "award – → bronze" in error["message"]
    assert "--appeal" in error["message"]
    assert count(hub) == before and awards(hub) == shown
    # the CLI says the same, without a traceback
    path = write(hub.workdir / "moving.json", moving)
    out = scorecast(
        "amend",
        "--hub",
        hub.http,
        "--token",
        hub.tokens["org"],
        "--competition",
        str(path),
        "--reason",
        "x",
    )
    assert out.returncode == 4 and "results_published" in out.stderr, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    # a name moves no result: recorded, no 更正, the deadline as it was
    r = amend(
        hub,
        {"reason": "misspelt again", "correct_competitor": {**RENAME, "name": {"zh": "王蕾"}}},
    )
    assert r.status_code == 200, r.text
    after = public_board(hub, "weld")
    assert after["lifecycle"] == board["lifecycle"] and after["corrections"] == []
    assert awards(hub) == shown
    await close_all()

    # a stopped hub's store refuses it too (scorecast amend --store), changing nothing
    hub.stop()
    before = count(hub)
    out = scorecast(
        "amend", "--store", hub.store, "--competition", str(path), "--reason", "offline"
    )
    assert out.returncode == 4, (out.stdout, out.stderr)
    assert "weld (publication)" in out.stderr and "award – → bronze" in out.stderr
    assert "Traceback" not in out.stderr
    assert count(hub) == before
    verified = scorecast("verify", "--store", hub.store)
    assert verified.returncode == 0, verified.stdout
    ledger = scorecast("export-ledger", "--store", hub.store).stdout
    assert ledger.count('"kind": "amendment"') == 3  # two names and the medals, while marking
    # the hub starts again on the competition in force, in 公示 as it was
    exported = hub.workdir / "in-force.json"
    out = scorecast("export-competition", "--store", hub.store, "--out", str(exported))
    assert out.returncode == 0, out.stderr
    hub.competition_path.write_text(exported.read_text())
    hub.start()  # the fixture stops it
    assert public_board(hub, "weld")["lifecycle"] == board["lifecycle"]
    assert awards(hub) == shown


async def test_an_amendment_moving_the_medal_table_in_review_is_refused(hub: HubProcess) -> None:
    """A medal winner's delegation and the medal table's inputs (medal_points, the delegations)
    move the medal table: refused in review like a moved award; a name is recorded."""
    doc = competition()
    await mark_weld(hub)
    await sign_off_all(hub, "weld", JUDGES)
    chief = await judge(hub, "weld-chief")
    await ok(chief, "stage", program="weld", stage="review")
    first = public_board(hub, "weld")["rows"][0]  # the gold medal once published
    gold = first["competitor"]["id"]
    weld = next(p for p in doc["programs"] if p["id"] == "weld")
    winner = next(
        c for c in weld["competitors"] if f"weld-{c['bib']}" == gold or c.get("id") == gold
    )
    other = next(d["code"] for d in doc["delegations"] if d["code"] != winner["delegation"])
    moving = copy.deepcopy(doc)
    moving_weld = next(p for p in moving["programs"] if p["id"] == "weld")
    next(c for c in moving_weld["competitors"] if c["bib"] == winner["bib"])["delegation"] = other
    points = {**copy.deepcopy(doc), "medal_points": [10, 1, 1]}
    more = copy.deepcopy(doc)
    more["delegations"].append({"code": "XJ", "name": {"zh": "新疆"}})
    before = count(hub)
    for body, what in (
        (moving, f"{gold}: delegation {winner['delegation']} → {other}"),
        (points, "*: the medal table's medal_points – → 10, 1, 1"),
        (more, "*: the medal table's delegations + XJ"),
    ):
        r = amend(hub, {"reason": "the medal table", "competition": body})
        assert r.status_code == 409, r.text
        error = r.json()["error"]
        assert error["code"] == "program_in_review", error
        assert f"weld (review): {what}" in error["message"], error["message"]
        assert "scorecast lifecycle reopen weld" in error["message"]
    assert count(hub) == before
    r = amend(hub, {"reason": "misspelt", "correct_competitor": RENAME})
    assert r.status_code == 200, r.text
    await close_all()
    # a stopped hub's store refuses it too (scorecast amend --store)
    hub.stop()
    path = write(hub.workdir / "points.json", renamed(points))
    out = scorecast("amend", "--store", hub.store, "--competition", str(path), "--reason", "x")
    assert out.returncode == 4, (out.stdout, out.stderr)
    assert "weld (review): *: the medal table's medal_points" in out.stderr, out.stderr
    assert count(hub) == before + 1  # the name only
    write(hub.competition_path, renamed(doc))  # the competition in force
    hub.start()  # the fixture stops it
