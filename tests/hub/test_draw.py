"""The draw (抽签) through a real hub (issue 15): `scorecast draw` records it in the ledger with
its seed input and head hash, a replay re-derives it, a redraw needs a reason."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from scoreboard.draw import codes, draw
from tests.hubkit import ROOT, HubProcess, judge, mark


def scorecast_draw(
    hub: HubProcess, *args: str, token: str = "weld-chief"
) -> subprocess.CompletedProcess[str]:
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "draw",
        "--hub",
        hub.http,
        "--token",
        hub.tokens[token],
    ]
    return subprocess.run([*cmd, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)


def ledger(hub: HubProcess) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "export-ledger", "--competition",
         str(hub.competition_path), "--store", hub.store],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    return [json.loads(line) for line in out.splitlines()]


def recorded(hub: HubProcess) -> dict[str, Any]:
    r = httpx.get(
        f"{hub.http}/judge/api/draw/weld",
        headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
    )
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_the_draw_is_a_verifiable_ledger_event(hub: HubProcess, tmp_path: Path) -> None:
    head = httpx.get(f"{hub.http}/api/v1/ledger/head").json()
    out = tmp_path / "draw.html"
    run = scorecast_draw(hub, "--program", "weld", "--seed-input", "4729", "--out", str(out))
    assert run.returncode == 0, run.stderr
    lines = [line.split("\t") for line in run.stdout.splitlines() if not line.startswith("#")]
    assert [int(r[0]) for r in lines] == [1, 2, 3, 4, 5, 6]  # workstations 1..6
    assert sorted(r[1] for r in lines) == ["1", "2", "3", "4", "5", "6"]
    assert all(r[2].startswith("选手") for r in lines)
    page = out.read_text()
    assert "抽签结果确认表" in page and "选手确认签字" in page and "4729" in page
    first = recorded(hub)
    assert first["seed_input"] == "4729" and first["draws"] == 1
    assert (first["head_seq"], first["head_hash"]) == (head["seq"], head["hash"])
    # the ledger holds the inputs and the result; the published recipe gives the same result
    events = ledger(hub)
    (ev,) = [e for e in events if e["kind"] == "draw"]
    f = ev["fields"]
    assert f["author"] == "weld-chief" and f["seed_input"] == "4729"
    assert events[f["head_seq"] - 1]["hash"] == f["head_hash"]  # the head it was seeded with
    field = [f"weld-{i}" for i in range(1, 7)]
    d = draw(field, "4729", f["head_hash"])
    assert f["stations"] == sorted(field, key=lambda c: d.workstations[c])
    assert f["order"] == list(d.order)
    code_of = codes(field, "4729", f["head_hash"])
    assert f["codes"] == [code_of[c] for c in f["stations"]]
    assert [r["id"] for r in first["rows"]] == f["stations"]

    # a redraw needs a reason, and a different seed input gives a different draw
    again = scorecast_draw(hub, "--program", "weld", "--seed-input", "1183")
    assert again.returncode != 0 and "reason_required" in again.stderr
    assert "Traceback" not in again.stderr
    again = scorecast_draw(
        hub, "--program", "weld", "--seed-input", "1183", "--reason", "a competitor withdrew"
    )
    assert again.returncode == 0, again.stderr
    second = recorded(hub)
    assert second["draws"] == 2 and second["reason"] == "a competitor withdrew"
    assert [r["id"] for r in second["rows"]] != [r["id"] for r in first["rows"]] or [
        r["code"] for r in second["rows"]
    ] != [r["code"] for r in first["rows"]]
    assert len([e for e in ledger(hub) if e["kind"] == "draw"]) == 2

    # a restart replays both draws: each re-derived from its recorded inputs, none refused
    hub.stop()
    checked = subprocess.run(
        [sys.executable, "-m", "server.cli", "verify", "--store", hub.store],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout  # both draws' heads are the chain's links
    hub.start()
    assert recorded(hub) == {**second, "seq": None}
    assert "ledger_event_refused" not in hub.log_path.read_text()
    assert (
        scorecast_draw(hub, "--program", "weld").stdout
        == scorecast_draw(hub, "--program", "weld").stdout
    )  # without --seed-input: the recorded list, nothing drawn
    assert len([e for e in ledger(hub) if e["kind"] == "draw"]) == 2


async def test_only_the_chief_draws_and_not_once_marking_started(hub: HubProcess) -> None:
    for who in ("weld-j1", "cook-chief"):
        run = scorecast_draw(hub, "--program", "weld", "--seed-input", "1", token=who)
        assert run.returncode != 0 and "wrong_role" in run.stderr, run.stderr
        r = httpx.get(
            f"{hub.http}/judge/api/draw/weld",
            headers={"Authorization": f"Bearer {hub.tokens[who]}"},
        )
        assert r.status_code == 403 and r.json()["error"]["code"] == "wrong_role"
    r = httpx.get(f"{hub.http}/judge/api/draw/weld")
    assert r.status_code == 401
    assert "not_drawn" in scorecast_draw(hub, "--program", "weld").stderr
    assert (
        "seed_input_required" in scorecast_draw(hub, "--program", "weld", "--seed-input", "").stderr
    )
    j = await judge(hub, "weld-j1")
    assert (await mark(j, "m1", "weld", "weld-1", "B1", "8"))["type"] == "ack"
    run = scorecast_draw(hub, "--program", "weld", "--seed-input", "5")
    assert run.returncode != 0 and "marking_started" in run.stderr
    assert not [e for e in ledger(hub) if e["kind"] == "draw"]


def test_an_unreachable_hub_is_named_not_a_traceback() -> None:
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "draw",
        "--hub",
        "http://127.0.0.1:9",
        "--token",
        "x",
    ]
    run = subprocess.run(
        [*cmd, "--program", "weld", "--seed-input", "1"], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode != 0
    assert (
        "scorecast draw: cannot reach the hub at http://127.0.0.1:9/judge/api/draw/weld"
        in run.stderr
    )
    assert "Traceback" not in run.stderr
