"""The judge client's outbox survives a SIGKILL of the client: nothing lost, nothing twice."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from judge_client.outbox import Outbox
from tests.hubkit import ROOT, HubProcess
from tests.judge.kit import jury_board, ledger_events, ledger_seq_count, marks_by_cell
from tests.judge.proc_client import plan

N = 240


def wait_for_ledger(
    hub: HubProcess, at_least: int, proc: subprocess.Popen[bytes], timeout: float = 30
) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        count, _ = ledger_seq_count(hub)
        if count >= at_least:
            return count
        assert proc.poll() is None, "the client exited before it was killed"
        time.sleep(0.01)
    raise TimeoutError(f"the ledger did not reach {at_least} events")


@pytest.mark.slow
async def test_outbox_survives_sigkill_of_the_client(hub: HubProcess, tmp_path: Path) -> None:
    outbox = tmp_path / "judge.db"
    cmd = [
        sys.executable,
        "-m",
        "tests.judge.proc_client",
        "--hub",
        hub.ws,
        "--token",
        hub.tokens["weld-j1"],
        "--outbox",
        str(outbox),
        "--n",
        str(N),
    ]
    with (tmp_path / "client.log").open("ab") as log:
        first = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    at_kill = wait_for_ledger(hub, N // 3, first)
    first.send_signal(signal.SIGKILL)
    first.wait(10)

    box = Outbox(outbox)
    made, pending = sum(box.counts().values()), len(box)
    box.close()
    assert at_kill < N and 0 < made <= N
    assert pending > 0, "the kill came too late to leave anything unsent"

    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"resuming with {made} mark(s) made, {pending} pending" in second.stdout

    box = Outbox(outbox)
    assert box.counts() == {"pending": 0, "acked": N, "refused": 0}
    made_ids = [e.id for e in box.done()]  # in the order the judge made them
    box.close()

    events = ledger_events(hub)
    ids = [e["id"] for _, _, e in events if e["judge"] == "weld-j1"]
    assert len(ids) == N and sorted(ids) == sorted(made_ids), (
        "every mark once, and no mark the judge did not make"
    )
    assert ledger_seq_count(hub) == (N, N), "one ledger seq per mark, no gaps"
    # per cell, the ledger holds the marks in the order the judge made them ...
    index = {mid: i for i, mid in enumerate(made_ids)}
    for cell, cell_ids in marks_by_cell(events, "weld-j1").items():
        assert [index[i] for i in cell_ids] == sorted(index[i] for i in cell_ids), cell
    # ... so each cell shows the judge's last value
    board = await jury_board(hub, "weld", "weld-chief")
    last = {plan(i)["competitor"]: plan(i)["value"] for i in range(N)}
    for row in board["rows"]:
        cid = row["competitor"]["id"]
        assert row["aspects"]["B1"]["marks"] == {"weld-j1": last[cid]}


@pytest.mark.slow
def test_batch_csv_killed_and_sent_again_counts_each_row_once(
    hub: HubProcess, tmp_path: Path
) -> None:
    rows = [
        (
            f"weld-{i % 6 + 1}",
            "A2" if i % 2 else "B1",
            ("pass" if i % 4 == 1 else "fail") if i % 2 else str(i % 21 / 2),
        )
        for i in range(150)
    ]
    csv_file = tmp_path / "gates.csv"
    csv_file.write_text(
        "program,competitor,aspect,value\n" + "".join(f"weld,{c},{a},{v}\n" for c, a, v in rows)
    )
    outbox = tmp_path / "gates.db"
    cmd = [
        sys.executable,
        "-m",
        "server.cli",
        "judge",
        "batch",
        str(csv_file),
        "--hub",
        hub.ws,
        "--token",
        hub.tokens["weld-j2"],
        "--outbox",
        str(outbox),
    ]
    with (tmp_path / "batch.log").open("ab") as log:
        first = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    wait_for_ledger(hub, 40, first)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert ledger_seq_count(hub)[0] < len(rows)
    # the instrument's file is sent again, as an operator would after a crash: rows already
    # recorded are not recorded twice (ids come from the file), the rest goes out
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=90)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(rows)} acked, 0 refused, 0 pending" in again.stdout
    assert ledger_seq_count(hub) == (len(rows), len(rows))
    status = subprocess.run(
        [sys.executable, "-m", "server.cli", "judge", "status", "--outbox", str(outbox)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert f"0 pending, {len(rows)} acked, 0 refused" in status.stdout
