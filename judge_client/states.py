"""The closed sets of the judge side, as enums whose values are the strings on the wire.

``ClientState`` is what ``JudgeClient.state`` (and ``on_state``) reports::

    idle → connecting → online ⇄ offline → closed
                     └→ refused            (the credential or the outbox was refused for good)

``EntryState`` is where one queued frame is in the outbox; ``FrameType`` names the frames
the client sends and the answers it reads.
"""

from __future__ import annotations

from enum import StrEnum


class ClientState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"
    CLOSED = "closed"
    REFUSED = "refused"


class EntryState(StrEnum):
    PENDING = "pending"
    ACKED = "acked"
    REFUSED = "refused"


class FrameType(StrEnum):
    # sent by the judge
    AUTH = "auth"
    MARK = "mark"
    WITHDRAW = "withdraw"
    SIGNOFF = "signoff"
    LOCK = "lock"
    UNLOCK = "unlock"
    VISIBILITY = "visibility"
    # sent by the hub
    WELCOME = "welcome"
    ACK = "ack"
    ERROR = "error"


class Subprotocol(StrEnum):
    """The WebSocket subprotocol the client asks for: the frames' encoding."""

    JSON = "scorecast.json"
    MSGPACK = "scorecast.msgpack"
