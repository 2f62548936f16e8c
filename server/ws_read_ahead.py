"""A WebSocket connection's read-ahead, bounded by bytes as well as by messages (issue 17, sixth pass).

``server/ws_live.py``'s protocol keeps reading a connection until ``QUEUE_PAUSE`` (32) of its
messages wait for the app, so that a judge's window of marks costs no pause and resume of reading
a frame. A message may be as large as ``MAX_WS_MESSAGE`` (1 MiB; its text is decoded, so the
queue holds it as a ``str``): a stalled connection whose app takes nothing could hold 32 such
messages, tens of MiB a connection. Here the hub also stops reading once ``READ_AHEAD_BYTES`` of
a connection's messages wait (counted on the wire: the frames' payloads), and reading resumes as
uvicorn resumes it, when the app has taken every queued message. Nothing is dropped: a paused
connection's bytes wait in the kernel's socket buffer, then TCP holds the sender.
"""

from __future__ import annotations

from typing import Any

READ_AHEAD_BYTES = 1 << 20  # a connection's queued messages, in bytes, before the hub stops reading


def bounded(base: Any) -> Any:
    """``base`` (the hub's WebSocket protocol class) that also pauses past ``READ_AHEAD_BYTES``.

    Anything but a class (uvicorn's ``"auto"`` where the hub's protocol is unavailable) is given
    back as it is: uvicorn's own protocol pauses after every message."""
    if not isinstance(base, type):
        return base

    class HubWebSocketProtocol(base):  # type: ignore[misc, valid-type]
        # the same name as the base: tests and tools find the hub's connections by it
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.ahead = 0  # bytes of the messages queued for the app
            self.byte_pauses = 0  # times reading was paused for bytes: for the tests

        def send_receive_event_to_app(self) -> None:
            size = sum(len(f) for f in self.frames)
            before = self.queue.qsize()
            super().send_receive_event_to_app()
            if self.queue.qsize() == before:
                return  # discarded (the app is past its close): nothing queued
            self.ahead += size
            if self.ahead >= READ_AHEAD_BYTES and not self.read_paused:
                self.read_paused = True
                self.transport.pause_reading()
                self.byte_pauses += 1

        async def receive(self) -> Any:
            message = await super().receive()
            if self.queue.empty():
                self.ahead = 0
            else:
                data = message.get("bytes") if message.get("bytes") is not None else message.get("text")
                self.ahead = max(0, self.ahead - len(data or b""))
            return message

    HubWebSocketProtocol.__qualname__ = base.__qualname__
    return HubWebSocketProtocol
