"""Restart with a 1M-event ledger of the real-scale competition (issue 17).

    python3 -m bench.realscale_restart --events 1000000    # alone; bench.realscale_run runs it too

The ledger is written through the SQLite ledger's own ``append`` (10,000 events a batch): the
event's marks (``bench.realscale.marks``) in tablet order, pass after pass with new values, as
``/ws/judge`` would have stored them, until there are ``events``. Then ``scorecast serve`` is
timed from its start until ``/healthz`` answers:

* **5,000 events after a snapshot** (a crash between two snapshots);
* **right after a snapshot** (the one the hub saved on the clean stop of the case above);
* **no snapshot**: bounded; past the bound it is stopped and the time extrapolated from the
  replay rate of the first case.

The first snapshot is not made by replaying every event (that is what is being measured): the
state of a ledger is the latest mark of each (judge, competitor, aspect), so the board is built
from those, in a second process while the first writes the ledger, and saved with the hub's tag
(``bench.restart_bench`` does the same for its 10 programs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .realscale import marks
from .restart_bench import save_snapshot, snapshot_seq, timed_start

TAIL = 5000
TS0 = 1_780_000_000_000


def events(doc: dict[str, Any], n: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(key, body) of ``n`` events as the hub stores them: the event's marks, pass after pass."""
    from scoreboard import event_from_dict, event_to_dict
    from server.ws_judge import to_event

    i = 0
    for rep in range(1, n + 2):
        for judge, frame in marks(doc, seed=rep):
            if i == n:
                return
            mid = f"r{rep}-{i}"
            body = to_event({**frame, "id": mid}, judge, "realscale-bench", TS0 + i)
            yield f"{judge}:{mid}", event_to_dict(event_from_dict(body))
            i += 1


def write_ledger(doc: dict[str, Any], path: Path, n: int) -> dict[str, Any]:
    from server.ledger.sqlite import SQLiteLedger

    async def write() -> None:
        ledger = SQLiteLedger(f"sqlite:///{path}")
        await ledger.open()
        batch: list[tuple[str, dict[str, Any]]] = []
        for item in events(doc, n):
            batch.append(item)
            if len(batch) == 10_000:
                await ledger.append(batch)
                batch = []
        if batch:
            await ledger.append(batch)
        await ledger.close()

    started = time.perf_counter()
    asyncio.run(write())
    return {"seconds": round(time.perf_counter() - started, 1), "bytes": path.stat().st_size}


def board_after(comp_path: str, n: int) -> tuple[bytes, str, dict[str, Any]]:
    """The pickled board after the first ``n`` events, built from the latest mark of each key."""
    from scoreboard import Scoreboard, event_from_dict
    from server import competition_file, snapshots
    from server.config import Settings

    started = time.perf_counter()
    data, comp = competition_file.load(comp_path)
    latest: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for _key, body in events(data, n):
        latest[body["judge"], body["program"], body["competitor"], body["aspect"]] = body
    board = Scoreboard(comp, Settings().history)
    for body in sorted(latest.values(), key=lambda b: b["ts"]):
        board.apply(event_from_dict(body))
    blob = snapshots.pickled(board)  # save_snapshot adds the header and the ledger's hash
    info = {"marks_applied": len(latest), "seconds": round(time.perf_counter() - started, 1)}
    return blob, snapshots.competition_tag(data), {**info, "snapshot_bytes": len(blob)}


def run(
    comp: Path, n: int, workdir: Path, budget_s: float = 600.0, tail: int = TAIL
) -> dict[str, Any]:
    """Every case, within ``budget_s`` seconds (the no-snapshot case gets what is left)."""
    started = time.monotonic()
    workdir.mkdir(parents=True, exist_ok=True)
    doc = json.loads(comp.read_text())
    ledger = workdir / "ledger.db"
    for stale in [
        *workdir.glob("hub-*.log"),
        *(Path(f"{ledger}{x}") for x in ("", "-wal", "-shm")),
    ]:
        stale.unlink(missing_ok=True)  # the hub's logs are read for its own restore figures
    tail = min(tail, n // 10)
    out: dict[str, Any] = {"events": n, "tail": tail, "budget_s": budget_s}
    try:
        with ProcessPoolExecutor(1) as pool:
            snap = pool.submit(board_after, str(comp), n - tail)
            out["ledger"] = write_ledger(doc, ledger, n)
            blob, tag, out["snapshot_built"] = snap.result()
        save_snapshot(ledger, n - tail, tag, blob)
        print(time.strftime("%H:%M:%S"), f"  restart: ledger {out['ledger']}, board", flush=True)
        left = budget_s - (time.monotonic() - started)
        out["snapshot_tail"] = timed_start(workdir, comp, ledger, "tail", max(30.0, left / 3))
        out["snapshot_saved_at_stop"] = snapshot_seq(ledger)
        out["snapshot_head"] = timed_start(workdir, comp, ledger, "head", 60, clean_stop=False)
        db = sqlite3.connect(ledger, isolation_level=None)
        db.execute("DELETE FROM snapshots")
        db.close()
        left = budget_s - (time.monotonic() - started)
        bound = max(20.0, min(60.0, left - 10))
        out["no_snapshot"] = timed_start(workdir, comp, ledger, "none", bound, clean_stop=False)
        out["no_snapshot"]["bound_s"] = bound
        tail_s, head_s = out["snapshot_tail"]["seconds"], out["snapshot_head"]["seconds"]
        full = out["no_snapshot"].get("restored")
        if full and full.get("seconds"):  # the hub's own restore: every event, no snapshot
            out["replay_events_per_s"] = round(full["seq"] / full["seconds"], 1)
        elif tail_s and head_s and tail_s > head_s:
            rate = tail / (tail_s - head_s)
            out["replay_events_per_s"] = round(rate, 1)
            if not out["no_snapshot"]["up"]:
                out["no_snapshot"]["extrapolated_s"] = round(head_s + n / rate, 1)
        elif out["no_snapshot"]["up"] and out["no_snapshot"]["seconds"]:
            out["replay_events_per_s"] = round(n / out["no_snapshot"]["seconds"], 1)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(ledger) + suffix).unlink(missing_ok=True)
    out["wall_s"] = round(time.monotonic() - started, 1)
    return out


def main() -> int:
    from . import realscale

    ap = argparse.ArgumentParser(prog="python3 -m bench.realscale_restart", description=__doc__)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--budget", type=float, default=600.0)
    ap.add_argument(
        "--tail", type=int, default=TAIL, help="events after the snapshot in the first case"
    )
    ap.add_argument("--workdir", default="/tmp/scorecast-realscale-restart")
    args = ap.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    comp = workdir / "competition.json"
    comp.write_text(json.dumps(realscale.competition(), ensure_ascii=False))
    print(
        json.dumps(run(comp, args.events, workdir, args.budget, args.tail), indent=1, default=float)
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
