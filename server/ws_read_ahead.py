"""A WebSocket connection's read-ahead, bounded by bytes as well as by messages (issue 17, sixth pass).

``server/ws_live.py``'s protocol keeps reading a connection until ``QUEUE_PAUSE`` (32) of its
messages wait for the app, so that a judge's window of marks costs no pause and resume of reading
a frame. A message may be as large as ``MAX_WS_MESSAGE`` (1 MiB; its text is decoded, so the
queue holds it as a ``str``): a stalled connection whose app takes nothing could hold 32 such
messages, tens of MiB a connection. Here the hub also stops reading once ``READ_AHEAD_BYTES`` of
a connection's messages wait (counted as the memory their payloads take: a text's characters
take 1, 2 or 4 bytes each, ``sys.getsizeof``), and reading resumes as
uvicorn resumes it, when the app has taken every queued message. Nothing is dropped: a paused
connection's bytes wait in the kernel's socket buffer, then TCP holds the sender.
"""

from __future__ import annotations

from sys import getsizeof
from typing import Any

READ_AHEAD_BYTES = 1 << 20  # a connection's queued messages, in bytes, before the hub stops reading
BIG = 32 << 10  # a message this large has the queue's bytes counted (32 smaller ones are < 1 MiB)


def queued_bytes(queue: Any) -> int:
    """The bytes the messages in ``queue`` (uvicorn's receive queue) take: a text by its memory, not
    its characters (an emoji is one character and 4 bytes: counted by characters, 4 MiB of them
    passed for 1 MiB)."""
    items: Any = getattr(queue, "_items", None)  # server/ws_live.py's LightQueue
    if items is None:
        items = getattr(queue, "_queue", ())  # asyncio.Queue
    total = 0
    for m in items:
        data = m.get("bytes")
        if data is not None:
            total += len(data)
        elif (text := m.get("text")) is not None:
            total += getsizeof(text)
    return total


def bounded(base: Any) -> Any:
    """``base`` (the hub's WebSocket protocol class) that also pauses past ``READ_AHEAD_BYTES``.

    Only a large message (``BIG``) has the queue counted: a judge's marks, small, cost one
    ``len`` each. Queued bytes stay under ``READ_AHEAD_BYTES`` + one message + 32 small ones.
    Anything but a class (uvicorn's ``"auto"`` where the hub's protocol is unavailable) is given
    back as it is: uvicorn's own protocol pauses after every message."""
    if not isinstance(base, type):
        return base

    class HubWebSocketProtocol(base):  # type: ignore[misc]
        # the same name as the base: tests and tools find the hub's connections by it
        byte_pauses = 0  # times reading was paused for bytes: for the tests

        def send_receive_event_to_app(self) -> None:
            frames = self.frames
            big = len(frames) != 1 or len(frames[0]) >= BIG
            super().send_receive_event_to_app()
            paused = bool(getattr(self, "read_paused", False))
            # past its close the hub keeps reading for the peer's close (uvicorn discards what
            # comes): the queue's bytes may never be taken then, and must not pause reading
            if (
                big
                and not paused
                and not self.close_sent
                and queued_bytes(self.queue) >= READ_AHEAD_BYTES
            ):
                self.read_paused = True  # resumed by uvicorn once the app has taken every message
                self.transport.pause_reading()
                self.byte_pauses += 1

    HubWebSocketProtocol.__qualname__ = base.__qualname__
    return HubWebSocketProtocol
