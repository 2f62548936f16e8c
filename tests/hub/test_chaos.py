"""A small sample of the chaos bench (``python3 -m bench.chaos --quick``) in the suite.

Real hubs SIGKILLed, a real Redis SIGKILLed, a real full disk (a tmpfs), fuzzed frames: every
acknowledged mark is in the ledger once at its seq, the board equals a replay, no traceback.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench import chaos_faults
from bench.chaos import Sizes, fuzz_phase, marking_phase

pytestmark = pytest.mark.slow
SIZES = Sizes.quick()


def can_mount_tmpfs(tmp: Path) -> bool:
    tmp.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(tmp)], check=False)
    subprocess.run(["umount", str(tmp)], check=False, capture_output=True)
    return done.returncode == 0


async def test_hub_sigkills_while_judges_mark(tmp_path: Path) -> None:
    phase = await marking_phase(
        "hub-sigkill", tmp_path, SIZES, chaos_faults.sqlite_hub, chaos_faults.kill_hub(2)
    )
    assert phase.ok, phase
    assert phase.acked == SIZES.judges * SIZES.marks_per_judge
    assert phase.extra["kills_while_marking"] >= 1, phase


@pytest.mark.redis
async def test_redis_sigkill_while_judges_mark(tmp_path: Path) -> None:
    phase = await marking_phase(
        "redis-sigkill", tmp_path, SIZES, chaos_faults.redis_hub, chaos_faults.kill_redis(1)
    )
    assert phase.ok, phase
    assert phase.acked == SIZES.judges * SIZES.marks_per_judge


async def test_a_full_disk_while_judges_mark(tmp_path: Path) -> None:
    if not can_mount_tmpfs(tmp_path / "probe"):
        pytest.fail("this test fills a tmpfs of its own: it must run as root (CI does)")
    phase = await marking_phase(
        "disk-full", tmp_path, SIZES, chaos_faults.tmpfs_hub, chaos_faults.fill_disk()
    )
    assert phase.ok, phase
    assert phase.extra["healthz_while_full"] == 503, phase


async def test_fuzzed_frames_get_a_code_or_a_clean_close(tmp_path: Path) -> None:
    phase = await fuzz_phase(tmp_path, 600)
    assert phase.ok, phase
    assert phase.extra["no_answer"] == 0 and phase.tracebacks == 0, phase
    assert phase.extra["errors_with_code"] > 400, phase
