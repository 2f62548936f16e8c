"""The lifecycle end to end through a real hub (issue 14): the old publish refused, gates
that list what is missing, an override with a reason and a supervisor, the review set drawn
again from its recorded seed, a correction above the threshold widening the review, appeals
only in the window, an upheld appeal changing the final result (更正), final by the hub's
clock, every step in the ledger with its author; the same steps by ``scorecast lifecycle``.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from fractions import Fraction as F
from pathlib import Path
from typing import Any

import httpx
import pytest

from scoreboard import Scoreboard, event_from_dict, load_competition
from scoreboard.lifecycle.gates import ranked
from scoreboard.review import review_set
from tests.hubkit import ROOT, HubProcess, judge, mark, small_competition, viewer
from tests.judge.kit import ledger_events
from tests.lifecycle_hub import (
    desk,
    ok,
    public_board,
    review_everyone,
    sign_off_all,
    step,
    wait_stage,
    with_people,
)

WELD = {"review_top": 2, "review_share": "25%", "error_threshold": "10%", "appeal_window": "6s"}
COOK = {"review_top": 6, "appeal_window": "2s"}
JUDGES = ["j1", "j2", "j3"]


@pytest.fixture
def lhub(tmp_path: Path) -> Any:
    comp = with_people(small_competition(), weld=WELD, cook=COOK)
    hub = HubProcess(tmp_path / "hub", competition=comp, env={"SCORECAST_JUDGE_RATE": "10000"})
    hub.issue_credentials()
    hub.start()
    yield hub
    hub.stop()


async def mark_program(hub: HubProcess, pid: str, skip_b1: tuple[int, ...] = ()) -> None:
    judges = [await judge(hub, f"{pid}-{j}") for j in JUDGES]
    for i in range(1, 7):
        cid = f"{pid}-{i}"
        for n, j in enumerate(judges):
            assert (await mark(j, f"{cid}-A1-{n}", pid, cid, "A1", str(1 + i % 3)))["type"] == "ack"
        assert (await mark(judges[0], f"{cid}-A2", pid, cid, "A2", "pass"))["type"] == "ack"
        if i not in skip_b1:
            value = str(3 + i * 0.5)
            assert (await mark(judges[0], f"{cid}-B1", pid, cid, "B1", value))["type"] == "ack"


def cli(hub: HubProcess, who: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "lifecycle",
            "--hub",
            hub.http,
            "--token",
            hub.tokens[who],
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=60,
    )


def kinds(hub: HubProcess) -> list[tuple[str, str]]:
    return [
        (e["kind"], e.get("author", e.get("judge", "")))
        for _, _, e in ledger_events(hub)
        if e["kind"] not in ("mark", "signoff")
    ]


async def test_from_marks_to_official_results(lhub: HubProcess) -> None:
    hub = lhub
    await mark_program(hub, "weld", skip_b1=(6,))
    chief = await judge(hub, "weld-chief")
    # the old publish is refused, naming the new verbs; nothing is recorded
    answer = await step(chief, "visibility", program="weld", visibility="published")
    assert answer["code"] == "use_lifecycle" and "scorecast lifecycle review" in answer["message"]
    # the review gate: bib 6 has no B1, nobody signed off
    answer = await step(chief, "stage", program="weld", stage="review")
    assert answer["code"] == "gate_not_met" and "1 panel(s) incomplete" in answer["message"]
    gate = desk(hub, "weld-chief", "weld")["gate"]
    assert [(m["bib"], m["aspect"], m["have"], m["need"]) for m in gate["marks"]] == [
        ("6", "B1", 0, 1)
    ]
    # who could mark it: weld-a-only marks criterion A only
    assert gate["marks"][0]["judges"] == ["weld-j1", "weld-j2", "weld-j3", "weld-sy"]
    assert gate["counts"]["signoffs"] == 6 * 3
    status = cli(hub, "weld-chief", "status", "weld")
    assert status.returncode == 0, status.stderr
    assert "review gate: 1 panel(s) incomplete, 18 sign-off(s) missing" in status.stdout
    assert "bib 6 B1: 0 of 1 marks" in status.stdout
    # a judge may not see the desk's detail
    r = httpx.get(
        f"{hub.http}/judge/api/lifecycle/weld",
        headers={"Authorization": f"Bearer {hub.tokens['weld-j1']}"},
    )
    assert r.status_code == 403 and r.json()["error"]["code"] == "wrong_role"
    # override: a reason, then a supervisor (a second credential)
    assert (await step(chief, "override", program="weld", gate="review", reason=" "))[
        "code"
    ] == "reason_required"
    done = cli(
        hub,
        "weld-chief",
        "override",
        "weld",
        "review",
        "--reason",
        "bib 6 B1 sheet lost; re-marked on paper",
    )
    assert done.returncode == 0, done.stderr
    answer = await step(chief, "stage", program="weld", stage="review")
    assert answer["code"] == "gate_not_met" and "supervisor" in answer["message"]
    refused = cli(hub, "weld-chief", "confirm", "weld", "review")
    assert refused.returncode == 1 and "wrong_role" in refused.stderr
    sup = await judge(hub, "sup")
    await ok(sup, "override_confirm", program="weld", gate="review")
    await ok(chief, "stage", program="weld", stage="review")
    # the review set, drawn again from the seed and head the ledger records
    events = ledger_events(hub)
    at = next(i for i, (_, _, e) in enumerate(events) if e["kind"] == "stage")
    stage = events[at][2]
    assert len(stage["seed"]) == 32 and stage["author"] == "weld-chief"
    replay = Scoreboard(load_competition(json.loads(hub.competition_path.read_text())))
    for _, _, e in events[:at]:
        replay.apply(event_from_dict(e))
    drawn = review_set(ranked(replay.programs["weld"]), stage["seed"], stage["head"], 2, F(1, 4))
    report = desk(hub, "rev", "weld")["review"]
    assert (report["top"], report["sample"]) == (list(drawn.top), list(drawn.sample))
    assert len(report["members"]) == 2 + 1  # the top 2 and 25 % of the other 4
    # judges' marks are closed in the review
    j1 = await judge(hub, "weld-j1")
    assert (await mark(j1, "late", "weld", "weld-1", "B1", "9"))["code"] == "in_review"
    # a correction: 1 of 1 reviewed corrected, above 10 %: the review extends to everyone
    rev = await judge(hub, "rev")
    first = report["members"][0]
    assert (
        await step(
            rev,
            "correct",
            program="weld",
            competitor=first,
            aspect="B1",
            judge="weld-j1",
            value="9",
            reason="",
        )
    )["code"] == "reason_required"
    await ok(
        rev,
        "correct",
        program="weld",
        competitor=first,
        aspect="B1",
        judge="weld-j1",
        value="9",
        reason="sheet says 9",
    )
    await ok(rev, "reviewed", program="weld", competitor=first)
    report = desk(hub, "weld-chief", "weld")
    assert report["review"]["full"] and report["review"]["error_rate"] == "100.0%"
    assert report["gate"]["counts"]["reviews"] == 5  # every other competitor with a result
    assert (await step(chief, "stage", program="weld", stage="publication"))[
        "code"
    ] == "gate_not_met"
    second = next(c for c in report["review"]["members"] if c != first)
    assert cli(hub, "rev", "reviewed", "weld", second).returncode == 0
    await review_everyone(hub, "weld")
    publish = cli(hub, "weld-chief", "publish", "weld")
    assert publish.returncode == 0, publish.stderr
    board = public_board(hub, "weld")
    assert board["lifecycle"]["stage"] == "publication" and board["visibility"] == "published"
    assert all(r["provisional"] is False for r in board["rows"])
    # appeals: only the competitor's own delegation, only in the window
    lead_dl, lead_sy = await judge(hub, "lead-DL"), await judge(hub, "lead-SY")
    assert (await step(lead_sy, "appeal", program="weld", competitor="weld-1", text="x"))[
        "code"
    ] == "not_your_delegation"
    appeal = await step(
        lead_dl,
        "appeal",
        program="weld",
        competitor="weld-1",
        aspect="B1",
        text="B1 was 8.5 on the sheet",
    )
    assert appeal["type"] == "ack", appeal
    appeal_id = next(e["id"] for _, _, e in ledger_events(hub) if e["kind"] == "appeal")
    until = board["lifecycle"]["objections_until"]
    while (
        public_board(hub, "weld")["lifecycle"]["stage"] == "publication"
        and time.time() * 1000 < until + 2500
    ):
        await asyncio.sleep(0.3)
    assert (
        public_board(hub, "weld")["lifecycle"]["stage"] == "publication"
    )  # the open appeal holds it
    assert (await step(lead_dl, "appeal", program="weld", competitor="weld-6", text="late"))[
        "code"
    ] == "appeal_window_closed"
    arb = await judge(hub, "arb")
    assert (
        await step(chief, "ruling", program="weld", appeal=appeal_id, ruling="upheld", reason="x")
    )["code"] == "wrong_role"
    await ok(
        arb,
        "ruling",
        program="weld",
        appeal=appeal_id,
        ruling="upheld",
        reason="the sheet shows 8.5",
    )
    await wait_stage(hub, "weld", "final")
    before = next(r for r in public_board(hub, "weld")["rows"] if r["competitor"]["id"] == "weld-1")
    fix = cli(
        hub,
        "weld-chief",
        "correct",
        "weld",
        "weld-1",
        "B1",
        "weld-j1",
        "8.5",
        "--reason",
        "ruling",
        "--appeal",
        appeal_id,
    )
    assert fix.returncode == 0, fix.stderr
    board = public_board(hub, "weld")
    after = next(r for r in board["rows"] if r["competitor"]["id"] == "weld-1")
    assert after["total"] != before["total"]
    assert [(c["bib"], c["previous"], c["value"]) for c in board["corrections"]] == [
        ("1", before["total"], after["total"])
    ]
    recorded = kinds(hub)
    assert ("final", "hub") in recorded
    assert [k for k, _ in recorded] == [
        "override",
        "override_confirm",
        "stage",
        "correct",
        "reviewed",
        *["reviewed"] * 5,
        "stage",
        "appeal",
        "ruling",
        "final",
        "correct",
    ]


async def test_no_hidden_score_reaches_a_public_socket_before_publication(lhub: HubProcess) -> None:
    hub = lhub
    public = [await viewer(hub, ch) for ch in ("program:cook", "overview", "ticker")]
    await mark_program(hub, "cook")
    await sign_off_all(hub, "cook", [f"cook-{j}" for j in JUDGES])
    chief = await judge(hub, "cook-chief")
    await ok(chief, "stage", program="cook", stage="review")
    rev = await judge(hub, "rev")
    await ok(
        rev,
        "correct",
        program="cook",
        competitor="cook-2",
        aspect="B1",
        judge="cook-j1",
        value="9.5",
        reason="sheet",
    )
    await review_everyone(hub, "cook")
    await asyncio.sleep(0.5)
    frames: list[dict[str, Any]] = []
    for v in public:
        try:
            while True:
                frames.append(await v.recv(timeout=0.3))
        except TimeoutError:
            pass
    assert frames
    for frame in frames:
        text = json.dumps(frame, ensure_ascii=False)
        assert '"award"' not in text and "9.50" not in text, frame
        data = frame.get("data") or {}
        rows = frame.get("rows") or data.get("rows", [])
        if frame.get("channel") == "program:cook":
            for row in rows:
                assert (
                    row.get("total") is None and row.get("rank") is None and "criteria" not in row
                )
            head = {**data, **frame.get("header", {})}
            assert head.get("progress", {}) == {} and head.get("corrections", []) == []
    # 公示 makes them public, awards too, and then the clock makes them final
    await ok(chief, "stage", program="cook", stage="publication")
    board = public_board(hub, "cook")
    assert all(r["total"] is not None for r in board["rows"]) and any(
        r.get("award") for r in board["rows"]
    )
    await wait_stage(hub, "cook", "final")
