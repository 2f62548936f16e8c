"""Shorter full collections: what survives one is frozen, and the whole heap is swept now and then.

CPython's full collection walks every tracked object that is not frozen, and it runs each time the
heap has grown by a quarter since the last one: at the real scale (issue 17) those passes were
the hub's longest stalls, 175-600 ms on a contended core (``server/gc_monitor.py`` tells them
apart). After each full collection the survivors are frozen (``gc.freeze()``), so the next one
walks only what was allocated since: measured at the real scale, full passes of 71-94 ms
instead of 186-600 ms (``bench/README.md``, "Issue 17, third pass").

What that costs: an object that was alive at a freeze and later becomes cyclic garbage (a viewer's
closed connection: protocol, parser and session refer to each other) is not collected while it
stays frozen; objects freed by reference counting (most of the board's, every delta) go as
usual. So every ``sweep`` seconds the hub unfreezes, collects the whole heap once (one pass of
the old length) and freezes again: garbage from connections closed in between is collected at
the next sweep, never kept longer. A sweep is itself one pass of the old length, so it is rare
(an hour by default): a closed viewer breaks its own cycles (``server/ws_live.py``), and little
waits for it. ``sweep = 0`` leaves Python's collector as it is.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any


class GcPolicy:
    def __init__(self, sweep: float) -> None:
        self.sweep = sweep
        self.sweeps = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self.sweep <= 0:
            return
        if self._callback not in gc.callbacks:
            gc.callbacks.append(self._callback)
        self._task = asyncio.get_running_loop().create_task(self._run(), name="gc-sweep")

    async def stop(self) -> None:
        if self._callback in gc.callbacks:
            gc.callbacks.remove(self._callback)
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        # the collection is over (callbacks run after it): its survivors are long-lived
        if phase == "stop" and info.get("generation") == 2:
            gc.freeze()

    def sweep_now(self) -> int:
        """Collect the whole heap, frozen objects too, then freeze again: what was collected."""
        gc.unfreeze()
        collected = gc.collect()  # the callback freezes the survivors
        if self._callback not in gc.callbacks:
            gc.freeze()
        self.sweeps += 1
        return collected

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.sweep)
            self.sweep_now()
