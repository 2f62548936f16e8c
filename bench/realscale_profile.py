"""Where the hub's time goes: py-spy samples it (``--nonblocking``: the hub is never paused); the
main thread's samples (the event loop; idle waits are not sampled) are summed by stage, and by
function, inclusive and self."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import client_cpus, spawn

IDLE, IDLE_FRAME = "waiting in epoll (idle)", "EpollSelector.select"
# Each busy sample of the hub's main thread goes to the stage of its innermost frame that names
# one (the first match in this order, frame by frame from the leaf up); the rest is "other".
STAGES = [
    (IDLE, (IDLE_FRAME,)),
    ("hand-off to the ledger's thread", ("concurrent/futures",)),
    # board/tallies.py keeps both event by event since issue 11's speed work
    ("overall best (Scoreboard.overall_best)", ("overall_best", "_note_best", "BestTracker")),
    ("medal table", ("_count_medals", "medal_table", "MedalTally")),
    ("encoding (json, msgpack)", ("server/codec.py", "server/frame_json.py", "json/", "msgpack")),
    ("socket writes (transport.write; loopback delivery)", ("_SelectorSocketTransport.write",)),
    ("scoring core (scoreboard/)", ("scoreboard/",)),
    ("fan-out (server/fanout.py)", ("server/fanout.py",)),
    ("WebSocket protocol (uvicorn, websockets)", ("uvicorn/", "websockets/")),
    ("judge endpoint (server/ws_judge.py)", ("server/ws_judge.py",)),
    ("live endpoint (server/ws_live.py)", ("server/ws_live.py",)),
    ("hub and ledger calls (server/)", ("server/",)),
    ("Starlette", ("starlette/",)),
    ("event loop (select, callbacks)", ("asyncio/", "selectors.py")),
]


def stage_of(frames: list[str]) -> str:
    for f in reversed(frames):
        for stage, keys in STAGES:
            if any(k in f for k in keys):
                return stage
    return "other"


LINE = re.compile(r":\d+\)$")


class Profiler:
    def __init__(self, workdir: Path, pid: int, rate: int = 67) -> None:
        self.out = workdir / "hub-profile.txt"
        self.log = workdir / "py-spy.log"
        self.pid = pid
        self.rate = rate
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # the venv's bin need not be on PATH (``.venv/bin/python -m bench.realscale_run``)
        exe = shutil.which("py-spy") or shutil.which(
            "py-spy", path=str(Path(sys.executable).parent)
        )
        if exe is None:
            return
        cmd = [exe, "record", "--pid", str(self.pid), "--rate", str(self.rate), "--nonblocking"]
        cmd += ["--format", "raw", "--output", str(self.out), "--threads"]
        self.proc = spawn(cmd, client_cpus(), self.log)
        self.started = time.monotonic()

    def stop(self) -> dict[str, Any]:
        if self.proc is None:
            return {"error": "py-spy is not installed (pip install py-spy)"}
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.proc = None
        try:
            return summarise(self.out.read_text(), self.rate, time.monotonic() - self.started)
        except OSError as e:
            return {"error": f"no profile: {e}"}

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc = None


def summarise(raw: str, rate: int, seconds: float, top: int = 15) -> dict[str, Any]:
    total = 0
    main = 0
    inclusive: dict[str, int] = {}
    leaf: dict[str, int] = {}
    stages: dict[str, int] = {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [LINE.sub(")", f) for f in stack.split(";")]
        total += n
        if "MainThread" not in frames[0]:
            continue  # the ledger's thread: its fsync waits are not the loop's time
        main += n
        stage = stage_of(frames)
        stages[stage] = stages.get(stage, 0) + n
        if stage == IDLE:
            continue
        for f in set(frames[1:]):
            inclusive[f] = inclusive.get(f, 0) + n
        leaf[frames[-1]] = leaf.get(frames[-1], 0) + n

    idle = stages.pop(IDLE, 0)
    busy = max(1, main - idle)

    def share(d: dict[str, int]) -> list[list[Any]]:
        # frames on (nearly) every busy stack (the loop, uvicorn's run) say nothing
        items = sorted(((k, n) for k, n in d.items() if n < 0.9 * busy), key=lambda kv: -kv[1])
        return [[name, round(100 * n / busy, 1)] for name, n in items[:top]]

    return {
        "rate_hz": rate,
        "seconds": seconds,
        "main_thread_busy_samples": busy,
        "main_thread_idle_samples": idle,
        "samples": total,
        "main_thread_samples": main,
        "stages_pct": dict(
            sorted(
                ((k, round(100 * v / busy, 1)) for k, v in stages.items()),
                key=lambda kv: -kv[1],
            )
        ),
        "inclusive_pct": share(inclusive),
        "self_pct": share(leaf),
    }
