"""server.gc_policy: full collections freeze what survives; a sweep collects the frozen garbage."""

from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from server.gc_policy import GcPolicy


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def cycle() -> tuple[Node, weakref.ref[Node]]:
    a, b = Node(), Node()
    a.other, b.other = b, a  # cyclic: only the cycle collector frees it
    return a, weakref.ref(a)


@pytest.fixture
def policy() -> GcPolicy:
    return GcPolicy(sweep=3600.0)


async def test_a_full_collection_freezes_its_survivors_and_a_sweep_frees_their_garbage(
    policy: GcPolicy,
) -> None:
    gc.unfreeze()
    policy.start()
    try:
        held, ref = cycle()
        gc.collect()  # a full collection: the survivors (the cycle too) are frozen after it
        assert gc.get_freeze_count() > 0
        del held
        gc.collect()
        # frozen, so the collector does not see it: the cost the sweep bounds
        assert ref() is not None
        policy.sweep_now()
        assert ref() is None  # unfrozen, collected, and the rest frozen again
        assert gc.get_freeze_count() > 0 and policy.sweeps == 1
        # garbage of objects that were never frozen goes at once, as without the policy
        young = cycle()[1]
        gc.collect()
        assert young() is None
    finally:
        await policy.stop()
        gc.unfreeze()
    assert policy._callback not in gc.callbacks


async def test_the_sweep_runs_on_its_interval_and_zero_turns_the_policy_off() -> None:
    gc.unfreeze()
    ticking = GcPolicy(sweep=0.05)
    ticking.start()
    try:
        for _ in range(200):
            if ticking.sweeps >= 2:
                break
            await asyncio.sleep(0.02)
        assert ticking.sweeps >= 2
    finally:
        await ticking.stop()
        gc.unfreeze()
    off = GcPolicy(sweep=0)
    off.start()
    assert off._callback not in gc.callbacks and off._task is None
    held, ref = cycle()
    gc.collect()
    assert gc.get_freeze_count() == 0
    del held
    gc.collect()
    assert ref() is None
    await off.stop()
