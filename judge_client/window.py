"""Which queued frames may go out now, and which frame an answer belongs to. No I/O.

The client sends in outbox order, one frame at a time per competitor (so a correction never
overtakes the mark it corrects, and a sign-off never overtakes a mark), up to ``size`` frames
in flight. A frame refused for a transient reason is held for a growing, jittered delay.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from .outbox import Entry
from .pacing import retry_delay


class Window:
    def __init__(self, size: int) -> None:
        self.size = size
        self.inflight: dict[str, float] = {}  # id → monotonic time it was sent
        # The hub answers a connection's frames one by one, in order; an answer without an id
        # (a rate-limited frame is refused before it is read) belongs to the oldest unanswered one.
        self.unanswered: deque[str] = deque()
        self.hold: dict[str, float] = {}  # id → monotonic time before which it waits
        self.retries: dict[str, int] = {}
        self.next_hold: float | None = None  # the earliest hold that kept a frame back

    def due(self, pending: Iterable[Entry], now: float) -> Iterator[Entry]:
        """The frames to send now, in order; call ``sent`` for each before taking the next."""
        busy: set[str] = set()
        self.next_hold = None
        for e in pending:
            if len(self.inflight) >= self.size:
                return
            if e.key in busy:
                continue  # an earlier frame on this competitor has no answer yet
            busy.add(e.key)
            if e.id in self.inflight:
                continue
            hold = self.hold.get(e.id, 0.0)
            if hold > now:
                self.next_hold = hold if self.next_hold is None else min(self.next_hold, hold)
                continue
            yield e

    def sent(self, mark_id: str, now: float) -> None:
        self.inflight[mark_id] = now
        self.unanswered.append(mark_id)

    def answered(self, ref: object) -> str | None:
        """The id of the frame an ack or error answers (``ref`` is the answer's ``id``)."""
        if ref is None and self.unanswered:
            ref = self.unanswered.popleft()
        elif isinstance(ref, str) and ref in self.unanswered:
            self.unanswered.remove(ref)
        return ref if isinstance(ref, str) else None

    def landed(self, mark_id: str) -> None:
        """The frame got its answer on this connection."""
        self.inflight.pop(mark_id, None)

    def settled(self, mark_id: str) -> None:
        """The frame is acked or refused for good: forget its retries."""
        self.hold.pop(mark_id, None)
        self.retries.pop(mark_id, None)

    def retry_later(self, mark_id: str, now: float) -> None:
        tries = self.retries[mark_id] = self.retries.get(mark_id, 0) + 1
        self.hold[mark_id] = now + retry_delay(tries)

    def disconnected(self) -> None:
        """Nothing is in flight on a new connection: everything unanswered goes out again."""
        self.inflight.clear()
        self.unanswered.clear()
