"""Saving snapshots off the event loop (issue 17): a forked child pickles the board.

The board is pickled by a child process forked at the moment the snapshot stands for, so it sees
the board exactly as of that seq (copy-on-write) while the hub carries on: the loop pays only the
fork (milliseconds), never the pickling (seconds at the real size), and commits never wait for a
snapshot. The hub then stores the child's bytes through the ledger in a task of its own.

The hub's heap is not frozen for the fork (``gc.freeze()`` would exempt every object alive at a
snapshot, viewers' connections too, from the cycle collector, and measured here it kept closed
connections' garbage: +6 MB per 400 connections opened and closed, against none without). The
child disables its collector, so only the hub's own collections copy pages while it runs. The
hub freezes once, after a restore, before any connection exists (``Hub._restore``): its full
collections then skip the board as it was at start (a full pass over the real-size board was a
0.3–1.3 s stall), and ``server/gc_policy.py`` freezes the survivors of each full collection,
unfreezing for a whole-heap sweep every ``gc_sweep`` seconds. Without ``os.fork`` (not POSIX) the board is pickled on the loop, as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import pickle
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

from scoreboard import Scoreboard

from . import snapshots
from .logs import log

CHILD_NICE = 19


def yield_to_the_hub() -> None:
    """In the child: run after the hub, not beside it. A fork inherits the hub's CPU affinity and
    priority: pinned to one core (as the benchmarks pin it), the child's second of pickling took
    half of that core and the hub stalled (250 ms loop stalls and ack p99 0.4-0.5 s right after the
    10,000th event of the real-scale run). Lowest priority, and any core."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, 0, CHILD_NICE)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setaffinity(0, range(os.cpu_count() or 1))


class Child:
    """A board being pickled by a forked child into a temporary file."""

    def __init__(self, board: Scoreboard) -> None:
        fd, name = tempfile.mkstemp(prefix="scorecast-snapshot-")
        self.path = Path(name)
        self.started = time.perf_counter()
        self.pid = os.fork()
        if self.pid == 0:  # the child: pickle, write, and leave without running any cleanup
            code = 1
            try:
                gc.disable()
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                yield_to_the_hub()
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(board, f, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(fd)
        self.fork_ms = round((time.perf_counter() - self.started) * 1000, 1)

    async def result(self, timeout: float | None = None) -> bytes | None:
        """The pickled board, or None (logged) when the child failed or took over ``timeout``."""
        try:
            waited = asyncio.to_thread(os.waitpid, self.pid, 0)
            _, status = await asyncio.wait_for(waited, timeout)
            if os.waitstatus_to_exitcode(status) != 0:
                log("hub.snapshot_failed", error=f"the child exited with status {status}")
                return None
            return await asyncio.to_thread(self.path.read_bytes)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            await asyncio.to_thread(os.waitpid, self.pid, 0)
            log("hub.snapshot_abandoned", reason=f"not written within {timeout} s")
            return None
        finally:
            self.path.unlink(missing_ok=True)


class Snapshotter:
    """When and how the hub saves snapshots: every ``every`` events, one at a time."""

    def __init__(self, hub: Any, every: int) -> None:
        self.hub = hub
        self.every = every
        self.seq = 0  # the seq of the last snapshot saved or restored
        self.task: asyncio.Task[None] | None = None

    def due(self) -> bool:
        return int(self.hub.applied) - self.seq >= self.every

    async def if_due(self) -> None:
        """Start a snapshot of the board as it is now if one is due and none is being saved.
        The caller makes sure the board holds only durable events at this point."""
        if self.due() and (self.task is None or self.task.done()):
            self.task = asyncio.create_task(self.save(), name="snapshot")

    async def at_stop(self, timeout: float) -> None:
        """The hub is stopping: the running snapshot, then one of the end, within ``timeout``."""
        deadline = time.monotonic() + timeout
        if self.task is not None and not self.task.done():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(self.task), timeout)
        if self.hub.applied > self.seq:
            await self.save(max(0.1, deadline - time.monotonic()))

    async def save(self, timeout: float | None = None) -> None:
        hub = self.hub
        # the board as of seq, and the competition it is on (an amendment may come before the
        # child is done): taken before anything awaits
        seq, tag = hub.applied, hub.tag
        child: Child | None = None
        try:
            if hasattr(os, "fork"):
                child = Child(hub.board)
                raw = None
            else:
                raw = snapshots.pickled(hub.board)
            head = hub.links.prev if hub.links is not None else await hub.ledger.hash_at(seq)
            if child is not None:
                raw = await child.result(timeout)
            if raw is None or not head:  # no link known here yet: the snapshot could not be checked
                return
            await hub.ledger.save_snapshot(seq, tag, snapshots.dump(raw, head))
            self.seq = max(self.seq, seq)
            log(
                "hub.snapshot_saved",
                seq=seq,
                bytes=len(raw),
                fork_ms=child.fork_ms if child is not None else None,
                seconds=round(time.perf_counter() - child.started, 3) if child else None,
            )
        except Exception as e:  # noqa: BLE001 — e.g. Redis is down; a snapshot only speeds up restarts
            log("hub.snapshot_failed", error=repr(e))
