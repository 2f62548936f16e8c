"""The hub's side of the lifecycle (issue 14): the frames' extra fields, and the clock.

- ``prepare``: a ``stage`` frame entering review gets the draw's seed (random, chosen here)
  and the ledger head it is drawn against, both recorded in the event so anyone can draw the
  review set again; the old publish (``visibility`` = ``published``) is refused with
  ``use_lifecycle``, naming the verbs that replace it (old ledgers still replay it as final).
- ``Clock``: every ``tick`` seconds, a program whose 公示 has ended with no appeal open gets
  its ``final`` event, recorded by the hub (author ``hub``, the idempotency key
  ``hub:final-<program>``: several hubs record it once). The core stays clock-free.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from typing import Any

from scoreboard import EventRefused
from scoreboard.lifecycle import HUB
from scoreboard.lifecycle.events import Finalised
from scoreboard.model import Lifecycle

from .errors import FrameError, LedgerUnavailable
from .hub import Hub, now_ms
from .logs import log

USE_LIFECYCLE = (
    "publishing is the lifecycle now: the chief enters review ({'type': 'stage', 'stage': "
    "'review'}; scorecast lifecycle review), then 公示 (stage 'publication'; scorecast "
    "lifecycle publish); the hub makes the results final when the objection window closes "
    "with no appeal open"
)


async def prepare(hub: Hub, frame: dict[str, Any]) -> dict[str, Any]:
    """The frame as the event records it; raises ``FrameError`` for the old publish."""
    kind = frame["type"]
    if kind == "visibility" and frame.get("visibility") == "published":
        raise FrameError("use_lifecycle", USE_LIFECYCLE, frame.get("id"))
    if kind == "stage" and frame.get("stage") == Lifecycle.REVIEW:
        _, head = await hub.head()
        return {**frame, "seed": secrets.token_hex(16), "head": head}
    return frame


class Clock:
    """Records ``final`` for each program whose 公示 window has closed with no appeal open."""

    def __init__(self, hub: Hub, tick: float = 1.0) -> None:
        self.hub = hub
        self.tick = tick
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="lifecycle-clock")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def due(self, now: int) -> list[str]:
        """The programs whose results become final at ``now``."""
        out = []
        for pid, state in self.hub.board.programs.items():
            lc = state.lifecycle
            if lc.stage is Lifecycle.PUBLICATION and lc.ends is not None and lc.ends <= now:
                if not lc.open_appeals():
                    out.append(pid)
        return out

    async def close_due(self) -> list[str]:
        """Make final what is due now; the programs made final."""
        done = []
        for pid in self.due(now_ms()):
            event = Finalised(f"final-{pid}", pid, now_ms())
            try:
                seq, _ = await self.hub.submit(HUB, event)
            except (EventRefused, LedgerUnavailable) as e:  # another hub did it, or retry later
                log("lifecycle.final_deferred", program=pid, error=str(e))
                continue
            log("lifecycle.final", program=pid, seq=seq)
            done.append(pid)
        return done

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.tick)
            try:
                await self.close_due()
            except Exception as e:  # noqa: BLE001 — the clock must keep going
                log("lifecycle.clock_failed", error=repr(e))
