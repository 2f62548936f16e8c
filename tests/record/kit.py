"""Helpers for the record tests: run scorecast commands against a HubProcess's store."""

from __future__ import annotations

import copy
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.hubkit import ROOT, HubProcess, small_competition, viewer

PROGRAMS = ("weld", "cook", "cnc")


def scorecast(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
    )


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False))
    return path


def serve_refused(hub: HubProcess, competition: Path) -> subprocess.CompletedProcess[str]:
    """``scorecast serve`` that must exit at once (it refuses the file)."""
    return scorecast(
        "serve",
        "--competition",
        str(competition),
        "--store",
        hub.store,
        "--port",
        str(hub.port),
        "--host",
        "127.0.0.1",
        timeout=30,
    )


def edited(edit: str) -> dict[str, Any]:
    """The small competition with one of the issue's four edits."""
    data = copy.deepcopy(small_competition())
    weld = data["programs"][0]
    if edit == "remove_competitor":
        weld["competitors"] = [c for c in weld["competitors"] if c["bib"] != "1"]
    elif edit == "tighten_step":
        weld["criteria"][1]["aspects"][0]["step"] = "1"
    elif edit == "unassign_judge":
        for j in data["judges"]:
            if j["id"] == "weld-j2":
                j["assignments"] = [{"program": "cnc"}]
    elif edit == "remove_program":
        data["programs"] = [p for p in data["programs"] if p["id"] != "cook"]
        data["judges"] = [j for j in data["judges"] if not j["id"].startswith("cook-")]
    else:
        raise ValueError(edit)
    return data


def with_judge(data: dict[str, Any], jid: str, program: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["judges"].append({"id": jid, "delegation": "HLD", "assignments": [{"program": program}]})
    return data


async def all_boards(hub: HubProcess) -> dict[str, Any]:
    """Every program's public leaderboard (API) and jury board (WebSocket snapshot)."""
    out: dict[str, Any] = {}
    for p in PROGRAMS:
        out[f"{p}:public"] = httpx.get(f"{hub.http}/api/v1/programs/{p}/leaderboard").json()
        v = await viewer(hub, f"program:{p}:jury", token=hub.tokens[f"{p}-chief"])
        out[f"{p}:jury"] = (await v.recv())["data"]
        await v.close()
    v = await viewer(hub, "overview")
    out["overview"] = (await v.recv())["data"]
    await v.close()
    return out


async def replayed_boards(hub: HubProcess, competition: Path) -> dict[str, Any]:
    """Every board of a fresh hub on a copy of ``hub``'s ledger without its snapshots (a full
    replay), started on ``competition``; ``hub`` is stopped."""
    copy_dir = hub.workdir / "replay"
    copy_dir.mkdir()
    shutil.copy(competition, copy_dir / "competition.json")
    src = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    src.execute(f"VACUUM INTO '{copy_dir / 'ledger.db'}'")
    src.close()
    fresh_db = sqlite3.connect(copy_dir / "ledger.db")
    fresh_db.execute("DELETE FROM snapshots")
    fresh_db.commit()
    fresh_db.close()
    fresh = HubProcess(copy_dir)
    fresh.tokens = hub.tokens
    fresh.start()
    try:
        return await all_boards(fresh)
    finally:
        fresh.stop()
