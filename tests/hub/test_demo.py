"""``scorecast demo`` shows the fair-play procedures (issue 15): the anonymous program is drawn
first, marked under codes, signed off, reviewed and decrypted with the supervisor; the paper
program's sheets are typed by two operators, a mismatch held until the chief resolves it.

The demo runs for real (a subprocess, its own hub, fast simulated people) on a kept ledger; the
test reads what it printed, the hub's API, and the ledger (``export-ledger``, ``verify``).
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import free_port
from tests.hubkit import ROOT

SAMPLE = ROOT / "scoreboard" / "samples" / "provincial2026.toml"


def run_demo(tmp: Path) -> tuple[subprocess.Popen[bytes], str, Path, str]:
    port, log = free_port(), tmp / "demo.log"
    store = f"sqlite:///{tmp / 'demo.db'}"
    cmd = [sys.executable, "-m", "server.cli", "demo", "--host", "127.0.0.1", "--port",
           str(port), "--rate", "1000", "--store", store]  # fmt: skip
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300  # a generous bound on a loaded machine, not a measure
    while '"demo.finished"' not in log.read_text(encoding="utf-8"):
        assert proc.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the demo did not finish its steps"
        time.sleep(0.2)
    return proc, f"http://127.0.0.1:{port}", log, store


def tokens(text: str) -> dict[str, str]:
    return {m[1]: f"{m[1]}.{m[2]}" for m in re.finditer(r"#token=([\w-]+)\.([\w-]+)", text)}


def ledger(store: str) -> list[dict[str, Any]]:
    out = subprocess.run(
        [sys.executable, "-m", "server.cli", "export-ledger", "--competition", str(SAMPLE),
         "--store", store],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return [{**e["fields"], "kind": e["kind"], "author": e["author"]} for e in lines]


def test_the_demo_draws_marks_under_codes_decrypts_and_double_enters(tmp_path: Path) -> None:
    proc, base, log, store = run_demo(tmp_path)
    try:
        text = log.read_text(encoding="utf-8")
        assert "demo.step_refused" not in text  # a judge typing an id, not a code, is refused
        printed = tokens(text)
        assert {"jewellery-j1", "jewellery-chief", "supervisor", "elderly-care-op1"} <= set(printed)
        chief = {"Authorization": f"Bearer {printed['jewellery-chief']}"}
        drawn = httpx.get(f"{base}/judge/api/draw/jewellery", headers=chief).json()
        assert drawn["draws"] == 1 and len(drawn["rows"]) == 10
        board = httpx.get(f"{base}/api/v1/programs/jewellery/leaderboard").json()
        assert board["lifecycle"]["stage"] == "publication"  # decrypted, then 公示
        assert all(r["competitor"]["name"]["zh"] and r["total"] for r in board["rows"])
        paper = httpx.get(f"{base}/api/v1/programs/elderly-care/leaderboard").json()
        assert paper["progress"] == {"complete": 10, "of": 10}
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    events = ledger(store)
    jewellery = [e for e in events if e.get("program") == "jewellery"]
    kinds = [e["kind"] for e in jewellery]
    assert kinds[0] == "draw" and kinds.count("draw") == 1
    last_signoff = max(i for i, k in enumerate(kinds) if k == "signoff")
    review, decrypt = kinds.index("stage"), kinds.index("decrypt")
    assert kinds.index("mark") > 0 and last_signoff < review < decrypt
    assert last_signoff < max(i for i, k in enumerate(kinds) if k == "reviewed") < decrypt
    assert jewellery[decrypt]["supervisor"] == "supervisor"
    assert [e["stage"] for e in jewellery if e["kind"] == "stage"] == ["review", "publication"]
    paper_events = [e for e in events if e.get("program") == "elderly-care"]
    assert {e["kind"] for e in paper_events} == {"entry"}  # no judge's mark: typed from paper
    typed: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for e in paper_events:
        typed.setdefault((e["competitor"], e["aspect"], e["judge"]), []).append(
            (e["author"], e["value"])
        )
    assert all(
        {a for a, _ in t[:2]} == {"elderly-care-op1", "elderly-care-op2"} for t in typed.values()
    )
    retyped = [t for t in typed.values() if len(t) == 3]
    assert retyped, "no mismatch was held and resolved by the chief"
    for (_, first), (_, wrong), (again, right) in retyped:
        assert wrong != first and again == "elderly-care-chief" and right == first
    verify = subprocess.run(
        [sys.executable, "-m", "server.cli", "verify", "--competition", str(SAMPLE), "--store", store],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout + verify.stderr
