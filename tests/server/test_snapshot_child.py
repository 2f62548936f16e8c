"""The snapshot child (server/snapshotter.py) runs after the hub, not beside it.

A real fork: the object pickled reports, from inside the child, the child's priority and the
cores it may run on. Pinned to one core and at the hub's priority (what a fork inherits), the
child's pickling took half the hub's core and the hub stalled right after each snapshot.
"""

from __future__ import annotations

import os
import pickle
from typing import Any

import pytest

from server.snapshotter import CHILD_NICE, Child


class Probe:
    """Pickled as what the pickling process sees of itself: (niceness, allowed cores)."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, ((os.getpriority(os.PRIO_PROCESS, 0), sorted(os.sched_getaffinity(0))),))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the child is forked")
async def test_the_snapshot_child_yields_the_hubs_core() -> None:
    cores = sorted(os.sched_getaffinity(0))
    everything = list(range(os.cpu_count() or 1))
    os.sched_setaffinity(0, {cores[0]})  # the hub pinned to one core, as the benchmarks pin it
    try:
        child = Child(Probe())  # type: ignore[arg-type]
        raw = await child.result(30)
    finally:
        os.sched_setaffinity(0, cores)
    assert raw is not None
    nice, allowed = pickle.loads(raw)
    assert nice == CHILD_NICE  # the lowest priority: it runs when the hub does not
    assert allowed == everything  # and on any core, not only on the hub's
    assert os.getpriority(os.PRIO_PROCESS, 0) != CHILD_NICE  # the hub's own priority unchanged
