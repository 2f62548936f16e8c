"""What can go wrong on the judge side, as one exception tree::

    JudgeClientError
    ├── Refused          the hub refused a mark for good (``code``, ``message``); it stays in
    │                    the outbox's record as refused and is not sent again
    │   └── AuthFailed   the credential was refused; nothing can be sent with it
    ├── OutboxMismatch   the outbox holds marks of another judge; use that judge's credential
    ├── InvalidEntry     what was typed does not fit the marking scheme (checked before queuing)
    ├── UnknownMark      no frame with that id is in the outbox (also a ``KeyError``)
    ├── NotDrained       frames still queued when ``drain`` timed out (also a ``TimeoutError``)
    └── ProtocolError    the hub answered the auth frame with something other than a welcome
                         (also a ``ConnectionError``: the client reconnects, it is not raised)

Transient trouble (the network, a restarting hub, ``unavailable``, ``rate_limited``) is never
raised: the mark stays in the outbox and is resent with the same id until the hub answers.
"""

from __future__ import annotations

# Error codes that mean "try again later": the mark is kept and resent with the same id.
TRANSIENT = frozenset({"unavailable", "rate_limited"})


class JudgeClientError(Exception):
    """Base of every error the judge client raises."""


class Refused(JudgeClientError):
    def __init__(self, code: str, message: str, mark_id: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.mark_id = mark_id


class AuthFailed(Refused):
    pass


class OutboxMismatch(JudgeClientError):
    pass


class InvalidEntry(JudgeClientError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnknownMark(JudgeClientError, KeyError):
    def __init__(self, mark_id: str) -> None:
        super().__init__(f"{mark_id} is not in the outbox")
        self.mark_id = mark_id

    def __str__(self) -> str:
        return str(self.args[0])  # KeyError would quote it


class NotDrained(JudgeClientError, TimeoutError):
    def __init__(self, pending: int, timeout: float | None) -> None:
        super().__init__(f"{pending} mark(s) still queued after {timeout}s")
        self.pending = pending


class ProtocolError(JudgeClientError, ConnectionError):
    pass
