"""Wire codec: JSON text frames by default, msgpack binary frames on request.

Clients ask for msgpack with the WebSocket subprotocol ``scorecast.msgpack``
(JSON is ``scorecast.json`` or no subprotocol). Every decoded frame is
checked here: an object, a known ``type``, known fields of the right type.

This module owns the *frame*'s shape (wire error codes: ``unknown_type``,
``missing_field``, ``wrong_type``…); ``scoreboard.event_from_dict`` owns the
*event*'s (the ledger's form), including turning a numeric ``value`` into the
string it is kept as.
"""

from __future__ import annotations

import json
from typing import Any

import msgpack

from .errors import FrameError

PROTOCOL_VERSION = 1
MSGPACK = "scorecast.msgpack"
JSON = "scorecast.json"
SUBPROTOCOLS = (MSGPACK, JSON)

__all__ = ["FrameError", "check", "decode", "encode_json", "encode_msgpack"]


# one encoder (json.dumps with options makes one a call); frames are trees made by the hub, so
# no cycle check (a cycle would raise RecursionError instead of ValueError): 16-20 % less time
ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def encode_json(frame: dict[str, Any]) -> str:
    return ENCODER.encode(frame)


def encode_msgpack(frame: dict[str, Any]) -> bytes:
    return msgpack.packb(frame, use_bin_type=True)  # type: ignore[no-any-return]


def decode(data: str | bytes) -> dict[str, Any]:
    try:
        if isinstance(data, bytes):
            frame = msgpack.unpackb(data, raw=False, strict_map_key=True)
        else:
            frame = json.loads(data)
    except (ValueError, msgpack.UnpackException, msgpack.ExtraData, TypeError, RecursionError):
        kind = "msgpack" if isinstance(data, bytes) else "JSON"
        raise FrameError(
            "malformed", f"the frame is not valid {kind}; send one {kind} object per frame"
        ) from None
    if not isinstance(frame, dict):
        raise FrameError("malformed", 'a frame must be an object like {"type": ...}')
    for k, v in frame.items():
        if not isinstance(k, str):
            raise FrameError("malformed", "field names must be strings")
        if not storable(k) or (isinstance(v, str) and not storable(v)):
            raise FrameError(
                "invalid_text", "a string in the frame is not valid Unicode (a lone surrogate?)"
            )
    if not isinstance(frame.get("type"), str):
        raise FrameError(
            "malformed", 'a frame needs a string field "type"', safe_ref(frame.get("id"))
        )
    return frame


def storable(s: str) -> bool:
    """Text that UTF-8 (the wire, the ledger) can hold: no lone surrogates."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def safe_ref(v: Any) -> Any:
    """An ``id`` that may be echoed back on either codec, else None."""
    if isinstance(v, str):
        return v
    if isinstance(v, int) and not isinstance(v, bool) and -(2**63) <= v < 2**64:
        return v
    return None


# type -> (required fields, optional fields); every field is a string unless listed in INTS
JUDGE_FRAMES: dict[str, tuple[set[str], set[str]]] = {
    "auth": ({"token"}, {"device", "id", "protocol"}),
    "mark": ({"id", "program", "competitor", "aspect", "value"}, set()),
    "withdraw": ({"id", "program", "competitor", "aspect"}, set()),
    "signoff": ({"id", "program", "competitor"}, set()),
    "lock": ({"id", "program", "competitor"}, {"criterion", "reason"}),
    "unlock": ({"id", "program", "competitor", "reason"}, {"criterion"}),
    "visibility": ({"id", "program", "visibility"}, set()),
    "status": ({"id", "program", "competitor", "status"}, {"reason"}),
    "entry": ({"id", "program", "competitor", "aspect", "judge", "value", "sheet"}, set()),
    # the lifecycle (issue 14; docs/protocol.md): the chief, supervisor, reviewer, leader,
    # arbitrator; the hub adds the review draw's seed and head, and records final itself
    "stage": ({"id", "program", "stage"}, {"reason"}),
    "override": ({"id", "program", "gate", "reason"}, set()),
    "override_confirm": ({"id", "program", "gate"}, set()),
    "reviewed": ({"id", "program", "competitor"}, set()),
    "correct": ({"id", "program", "competitor", "aspect", "judge", "value", "reason"}, {"appeal"}),
    "appeal": ({"id", "program", "competitor", "text"}, {"aspect"}),
    "ruling": ({"id", "program", "appeal", "ruling", "reason"}, set()),
    "ping": (set(), {"id"}),
}
LIVE_FRAMES: dict[str, tuple[set[str], set[str]]] = {
    # ``features``: what the client applies beyond protocol version 1's delta (``ranks``)
    "subscribe": ({"channel"}, {"version", "token", "id", "features"}),
    "unsubscribe": ({"channel"}, {"id"}),
    "auth": ({"token"}, {"id"}),
    "ping": (set(), {"id"}),
}
INTS = {"version", "protocol"}
LISTS = {"features"}  # lists of short strings


def check(frame: dict[str, Any], table: dict[str, tuple[set[str], set[str]]]) -> dict[str, Any]:
    kind = frame["type"]
    ref = safe_ref(frame.get("id"))
    spec = table.get(kind)
    if spec is None:
        raise FrameError(
            "unknown_type", f"unknown message type {kind!r}; use one of {', '.join(table)}", ref
        )
    required, optional = spec
    fields = set(frame) - {"type"}
    missing = required - fields
    if missing:
        raise FrameError(
            "missing_field", f"a {kind} message needs {', '.join(sorted(missing))}", ref
        )
    unknown = fields - required - optional
    if unknown:
        raise FrameError(
            "unknown_field",
            f"unknown field(s) {', '.join(sorted(unknown))} in a {kind} message",
            ref,
        )
    for name in fields:
        v = frame[name]
        if name in INTS:
            if isinstance(v, bool) or not isinstance(v, int):
                raise FrameError("wrong_type", f"field {name!r} must be an integer", ref)
        elif name in LISTS:
            if (
                not isinstance(v, list)
                or len(v) > 16
                or not all(isinstance(x, str) and len(x) <= 64 for x in v)
            ):
                raise FrameError(
                    "wrong_type", f'field {name!r} must be a list of strings, e.g. ["ranks"]', ref
                )
        elif name == "value" and isinstance(v, int | float) and not isinstance(v, bool):
            pass  # a number as entered: the event owns its coercion (scoreboard/events.py)
        elif not isinstance(v, str):
            raise FrameError(
                "wrong_type", f"field {name!r} must be a string, found {type(v).__name__}", ref
            )
        elif len(v) > 512:
            raise FrameError("wrong_type", f"field {name!r} is longer than 512 characters", ref)
    return frame
