"""Hub restart with a 1M-event ledger (issue 3: back up in under 10 s): ``scorecast serve`` start → /healthz.

    python3 -m bench.restart_bench                  # 1,000,000 events
    python3 -m bench.restart_bench --events 200000  # quicker

The ledger is written directly with the SQLite ledger (``SQLiteLedger``, its
schema and msgpack bodies; 10,000 events a transaction): valid marks of a
competition of 10 live programs of 40 competitors (10 judges, 20 aspects a
program), every judge re-marking every aspect over and over. Then the hub is
started on it, and timed from the process start until ``GET /healthz``
answers, in these cases:

* **empty ledger**: the start-up floor (imports, uvicorn, the board);
* **no snapshot, a prefix** of ``prefix`` events: the replay rate;
* **no snapshot, the whole ledger**: bounded by ``--bound`` seconds; when it is
  not up by then it is stopped and the time is extrapolated from the replay rate;
* **snapshot ``tail`` events before the end** (a crash between two
  snapshots): the snapshot is loaded and the last ``tail`` events replayed;
* **snapshot at the end** (the one the hub saves on a clean shutdown).

The first snapshot is not made by replaying all the events (at the scoring
core's rate that alone takes longer than the whole bench): the state of a
ledger is the latest mark of each (judge, competitor, aspect), so the board
is built from those marks, which gives the same marks and results and a
snapshot of the same size as a full replay (only version counters differ),
and saved with the hub's own tag. The hub then replays the tail on it and,
stopped cleanly, saves the snapshot at the end itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import msgpack

from .common import (
    DRIVER_NICE,
    SERVER_NICE,
    client_cpus,
    free_port,
    prioritize,
    server_cpus,
    spawn,
    stop,
    wait_http,
)
from .workload import COMPETITORS, JUDGES, Marks, competition, program_id

PROGRAMS = 10
PY = sys.executable


def say(*parts: Any) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def events(n: int, programs: int = PROGRAMS) -> Any:
    """(key, event) pairs as the hub writes them: judges mark round the programs, again and again."""
    marks = Marks()
    ts = 1_780_000_000_000
    for i in range(n):
        j = i % JUDGES + 1
        program = program_id((i // JUDGES) % programs)
        f = marks.next(j, program)
        body = {k: v for k, v in f.items() if k != "type"}
        body.update(kind="mark", judge=f"J{j}", device="bench", ts=ts + i)
        yield f"J{j}:{f['id']}", body


def build_ledger(path: Path, n: int, prefix_path: Path | None, prefix: int) -> dict[str, Any]:
    """Write ``n`` events with the SQLite ledger's schema (and the first ``prefix`` to a second file)."""
    from server.chain import GENESIS, link
    from server.ledger.sqlite import SQLiteLedger

    started = time.perf_counter()

    async def create(p: Path) -> None:
        ledger = SQLiteLedger(f"sqlite:///{p}")
        await ledger.open()
        await ledger.close()

    for p in (path, prefix_path):
        if p is not None:
            asyncio.run(create(p))
    dbs = [sqlite3.connect(path, isolation_level=None)]
    if prefix_path is not None:
        dbs.append(sqlite3.connect(prefix_path, isolation_level=None))
    batch: list[tuple[int, str, str, bytes, str]] = []
    written = 0

    def flush(rows: list[tuple[int, str, str, bytes, str]], upto: int) -> None:
        for i, db in enumerate(dbs):
            if i == 1:
                rows = rows[: max(0, prefix - (upto - len(rows)))]
                if not rows:
                    continue
            db.execute("BEGIN IMMEDIATE")
            db.executemany(
                "INSERT INTO events (seq, key, kind, body, hash) VALUES (?, ?, ?, ?, ?)", rows
            )
            db.execute("COMMIT")

    prev = GENESIS  # each event's hash link, as the SQLite ledger computes it (server/chain.py)
    for key, body in events(n):
        raw = msgpack.packb(body)
        written += 1
        prev = link(prev, written, key, raw)
        batch.append((written, key, body["kind"], raw, prev))
        if len(batch) == 10_000:
            flush(batch, written)
            batch = []
    if batch:
        flush(batch, written)
    for db in dbs:
        db.close()
    return {"events": n, "seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


def equivalent_board(competition_path: Path, n: int) -> tuple[bytes, str, dict[str, Any]]:
    """The board after the first ``n`` events, built from the latest mark of each key; and the hub's tag."""
    from scoreboard import Scoreboard, event_from_dict
    from server import competition_file, snapshots
    from server.config import Settings

    started = time.perf_counter()
    data, comp = competition_file.load(str(competition_path))
    latest: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for _key, body in events(n):
        latest[body["judge"], body["program"], body["competitor"], body["aspect"]] = body
    board = Scoreboard(comp, Settings().history)
    for body in sorted(latest.values(), key=lambda b: b["ts"]):
        board.apply(event_from_dict(body))
    blob = snapshots.pickled(board)  # save_snapshot adds the header and the ledger hash
    return (
        blob,
        snapshots.competition_tag(data),
        {
            "marks_applied": len(latest),
            "seconds": time.perf_counter() - started,
            "snapshot_bytes": len(blob),
        },
    )


def save_snapshot(ledger_path: Path, seq: int, tag: str, raw: bytes) -> None:
    """Store the pickled board ``raw`` as the hub's snapshot at ``seq``: its header and the
    ledger's hash link at that seq, which the hub checks before it uses the snapshot."""
    from server import snapshots

    db = sqlite3.connect(ledger_path, isolation_level=None)
    (head,) = db.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
    blob = snapshots.dump(raw, head)
    db.execute("DELETE FROM snapshots")
    db.execute("INSERT INTO snapshots (tag, seq, body) VALUES (?, ?, ?)", (tag, seq, blob))
    db.close()


def snapshot_seq(ledger_path: Path) -> int | None:
    db = sqlite3.connect(ledger_path)
    row = db.execute("SELECT MAX(seq) FROM snapshots").fetchone()
    db.close()
    return None if row is None or row[0] is None else int(row[0])


def start_hub(
    workdir: Path, competition_path: Path, ledger: Path, tag: str, bound: float
) -> tuple[subprocess.Popen[bytes], float | None]:
    """Start ``scorecast serve``; the seconds until /healthz answers (None: not within ``bound``)."""
    port = free_port()
    cmd = [
        PY,
        "-m",
        "server.cli",
        "serve",
        "--competition",
        str(competition_path),
        "--store",
        f"sqlite:///{ledger}",
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
    ]
    started = time.monotonic()
    proc = spawn(cmd, server_cpus(), workdir / f"hub-{tag}.log", nice=SERVER_NICE)
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", bound, proc)
    except TimeoutError:
        return proc, None
    return proc, time.monotonic() - started


def restored_line(workdir: Path, tag: str) -> dict[str, Any]:
    """The hub's own ``hub.restored`` log line: seq, snapshot seq, events replayed, seconds."""
    try:
        for line in (workdir / f"hub-{tag}.log").read_text().splitlines():
            if '"hub.restored"' in line:
                return json.loads(line)  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    return {}


def timed_start(
    workdir: Path,
    competition_path: Path,
    ledger: Path,
    tag: str,
    bound: float,
    clean_stop: bool = True,
) -> dict[str, Any]:
    proc, secs = start_hub(workdir, competition_path, ledger, tag, bound)
    out: dict[str, Any] = {"seconds": secs, "up": secs is not None}
    if secs is not None:
        out["restored"] = {
            k: v
            for k, v in restored_line(workdir, tag).items()
            if k not in ("ts", "level", "event")
        }
    stopped = time.monotonic()
    if secs is not None and clean_stop:
        stop(proc, signal.SIGTERM, timeout=120)  # a clean stop saves a snapshot at the end
        out["stop_seconds"] = time.monotonic() - stopped
    else:
        stop(proc, signal.SIGKILL)
    state = f"up in {secs:.2f} s" if secs is not None else f"not up within {bound:.0f} s"
    say(f"  restart {tag}: {state} {out.get('restored', '')}")
    return out


def run(
    n: int,
    workdir: Path,
    quick: bool = False,
    tail: int | None = None,
    prefix: int | None = None,
    bound: float | None = None,
) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    tail = tail if tail is not None else (1000 if quick else 5000)
    prefix = prefix if prefix is not None else (2000 if quick else 10000)
    bound = bound if bound is not None else (20.0 if quick else 60.0)
    comp_path = workdir / "competition.json"
    comp_path.write_text(json.dumps(competition(PROGRAMS), ensure_ascii=False))
    ledger = workdir / "ledger.db"
    small = workdir / "prefix.db"
    empty = workdir / "empty.db"
    say(f"restart bench: {n:,} events, {PROGRAMS} programs of {COMPETITORS}")
    out: dict[str, Any] = {
        "events": n,
        "programs": PROGRAMS,
        "competitors": PROGRAMS * COMPETITORS,
        "tail": tail,
        "prefix": prefix,
        "bound_s": bound,
        "target_s": 10.0,
    }
    try:
        out["build"] = build_ledger(ledger, n, small, prefix)
        say(
            f"  ledger written: {n:,} events in {out['build']['seconds']:.1f} s, {out['build']['bytes'] / 2**20:.0f} MB"
        )
        out["empty"] = timed_start(workdir, comp_path, empty, "empty", 60)
        out["prefix_no_snapshot"] = timed_start(
            workdir, comp_path, small, "prefix", max(bound, 120), clean_stop=False
        )
        base = out["empty"]["seconds"] or 0.0
        pre = out["prefix_no_snapshot"]["seconds"]
        rate = prefix / (pre - base) if pre and pre > base else None
        out["replay_events_per_s"] = rate
        out["full_no_snapshot"] = timed_start(
            workdir, comp_path, ledger, "full-no-snapshot", bound, clean_stop=False
        )
        if rate:
            out["full_no_snapshot"]["extrapolated_s"] = base + n / rate
        blob, tag, info = equivalent_board(comp_path, n - tail)
        out["snapshot_built"] = info
        save_snapshot(ledger, n - tail, tag, blob)
        say(
            f"  snapshot at {n - tail:,}: {info['snapshot_bytes'] / 2**20:.1f} MB from {info['marks_applied']:,} "
            f"latest marks in {info['seconds']:.1f} s"
        )
        out["snapshot_tail"] = timed_start(
            workdir, comp_path, ledger, "snapshot-tail", max(bound, 120)
        )
        out["snapshot_after_stop"] = snapshot_seq(ledger)
        out["snapshot_head"] = timed_start(
            workdir, comp_path, ledger, "snapshot-head", max(bound, 120)
        )
        tail_s = out["snapshot_tail"]["seconds"]
        head_s = out["snapshot_head"]["seconds"]
        if tail_s and head_s and tail_s > head_s:
            per_event = (tail_s - head_s) / tail
            out["tail_replay_events_per_s"] = 1 / per_event
            out["snapshot_every_for_target"] = int(max(0.0, 10.0 - head_s) / per_event)
    finally:
        for p in (ledger, small, empty):
            for suffix in ("", "-wal", "-shm"):
                Path(str(p) + suffix).unlink(missing_ok=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(
        prog="python3 -m bench.restart_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument(
        "--tail", type=int, default=None, help="events after the first snapshot (default 5,000)"
    )
    ap.add_argument(
        "--prefix", type=int, default=None, help="events of the replay-rate ledger (default 10,000)"
    )
    ap.add_argument(
        "--bound", type=float, default=None, help="seconds to wait for a start without snapshot"
    )
    ap.add_argument("--workdir", default="/tmp/scorecast-restart-bench")
    ap.add_argument("--out", default=None, help="write the figures as JSON here")
    args = ap.parse_args()
    try:
        os.sched_setaffinity(0, client_cpus())
    except OSError:
        pass
    prioritize(DRIVER_NICE)
    res = run(args.events, Path(args.workdir), tail=args.tail, prefix=args.prefix, bound=args.bound)
    text = json.dumps(res, indent=1, default=float)
    if args.out:
        Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
