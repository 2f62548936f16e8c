"""The real-scale bench's own arithmetic: loop stalls between scrapes, score-to-screen matched
through the ledger's versions, and the profile's stages (bench/realscale_*.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np  # the bench extras: ./scripts/install.sh installs them
import pytest

from bench.realscale_analysis import ViewerRecords
from bench.realscale_metrics import stalls
from bench.realscale_profile import summarise

B = "scorecast_loop_lag_seconds_bucket"


def scrape(counts: dict[str, float], top: float) -> dict[str, float]:
    m = {f'{B}{{le="{le}"}}': n for le, n in counts.items()}
    return {**m, "scorecast_loop_lag_max_seconds": top}


def test_stalls_between_two_scrapes() -> None:
    before = scrape({"0.01": 10, "0.05": 10, "0.1": 10, "+Inf": 10}, 0.3)
    # 20 more wake-ups: 15 on time, 4 between 10 and 50 ms, 1 between 50 and 100 ms
    after = scrape({"0.01": 25, "0.05": 29, "0.1": 30, "+Inf": 30}, 0.3)
    s = stalls(before, after)
    assert s["wakeups"] == 20
    assert s["later"] == {">10ms": 5, ">50ms": 1, ">100ms": 0}
    assert s == {**s, "longest_ms": 100.0, "exact": False}  # no new record: the bucket's bound
    s = stalls(before, scrape({"0.01": 25, "0.05": 29, "0.1": 29, "+Inf": 30}, 0.42))
    assert s["longest_ms"] == 420.0 and s["exact"]  # a new record is this phase's own


def test_score_to_screen_is_matched_per_channel_version(tmp_path: Path) -> None:
    # viewer 0 watches program:a, viewer 1 the overview; seq 1 changed both, seq 2 only a
    versions = {1: {"program:a": 5, "overview": 3}, 2: {"program:a": 6}}
    sent = {1: 100.0, 2: 100.5}
    path = tmp_path / "v.npz"
    np.savez(
        path,
        conn=np.array([0, 1, 0], dtype=np.int32),
        version=np.array([5, 3, 7], dtype=np.int64),  # viewer 0 skipped 6: a snapshot at 7
        ts=np.array([100.010, 100.020, 100.530]),
        last=np.array([7, 3], dtype=np.int64),
        codes=np.array([0, 0], dtype=np.int32),
    )
    r = ViewerRecords([path], [["program:a", "overview"]]).score_to_screen(sent, versions)
    assert r["deliveries"] == 3 and r["never_shown"] == 0
    assert r["by_channel"]["program"]["max_ms"] == pytest.approx(30.0)  # seq 2 shown by the 7
    assert r["by_channel"]["overview"]["p50_ms"] == pytest.approx(20.0)
    assert r["last_screen"]["max_ms"] == pytest.approx(30.0)


def test_profile_stages_take_the_innermost_frame() -> None:
    raw = "\n".join(
        [
            "thread (1): MainThread;run (asyncio/base_events.py:1);select (x);"
            "EpollSelector.select (selectors.py:9) 50",
            "thread (1): MainThread;run (asyncio/base_events.py:1);apply (scoreboard/board.py:2);"
            "Scoreboard.overall_best (scoreboard/board.py:3);__lt__ (fractions.py:4) 30",
            "thread (1): MainThread;run (asyncio/base_events.py:1);apply (scoreboard/board.py:2) 10",
            "thread (2): ledger_0;_append (server/ledger/sqlite.py:5) 99",
        ]
    )
    s = summarise(raw, rate=100, seconds=1.0)
    assert s["main_thread_idle_samples"] == 50 and s["main_thread_busy_samples"] == 40
    assert s["stages_pct"] == {
        "overall best (Scoreboard.overall_best)": 75.0,
        "scoring core (scoreboard/)": 25.0,
    }


PINNED = """
import json, os, subprocess, sys
from bench.common import client_cpus, pin, server_cpus
pin(0, client_cpus())  # as bench.realscale_run's main does first
show = "import json, os; print(json.dumps(sorted(os.sched_getaffinity(0))))"
hub = subprocess.run([sys.executable, "-c", show], capture_output=True, text=True, check=True,
                     preexec_fn=lambda: os.sched_setaffinity(0, server_cpus()))  # as Hub.start
print(json.dumps([sorted(os.sched_getaffinity(0)), json.loads(hub.stdout)]))
"""


def test_the_hub_is_pinned_apart_from_the_orchestrator_that_pinned_itself() -> None:
    """The orchestrator pins itself to the client cores, then starts the hub on the server core:
    they stay apart (they were one core: hub and load shared it while the other idled)."""
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: nothing to keep apart")
    env = {k: v for k, v in os.environ.items() if k not in ("BENCH_CPUS", "BENCH_PIN")}
    out = subprocess.run([sys.executable, "-c", PINNED], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    orchestrator, hub = json.loads(out.stdout)
    assert not set(orchestrator) & set(hub), f"orchestrator on {orchestrator}, hub on {hub}"
