"""What the client puts on the socket and reads back: addresses, frame encoding, the ack."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import msgpack

from .states import Subprotocol

# The hub's judge protocol version, sent in the auth frame.
PROTOCOL = 1
# The largest frame the client accepts from the hub.
MAX_FRAME = 1 << 20


@dataclass(frozen=True)
class Ack:
    id: str
    seq: int
    duplicate: bool = False


def judge_url(hub: str) -> str:
    """``ws://host:port`` (or ``http://…``) → ``ws://host:port/ws/judge``."""
    parts = urlsplit(hub if "://" in hub else f"ws://{hub}")
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    path = parts.path if parts.path not in ("", "/") else "/ws/judge"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def http_url(hub: str) -> str:
    """The hub's HTTP base (for the marking scheme) from its WebSocket address."""
    parts = urlsplit(judge_url(hub))
    return urlunsplit(({"ws": "http", "wss": "https"}[parts.scheme], parts.netloc, "", "", ""))


def judge_of(token: str) -> str:
    """The judge id a credential (``<judge>.<secret>``) belongs to."""
    return token.rsplit(".", 1)[0] if "." in token else ""


def encode(frame: dict[str, Any], binary: bool) -> str | bytes:
    if binary:
        data: bytes = msgpack.packb(frame, use_bin_type=True)
        return data
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def decode(data: str | bytes) -> dict[str, Any]:
    """A frame from the hub; anything that is not an object reads as an empty frame."""
    frame = msgpack.unpackb(data, raw=False) if isinstance(data, bytes) else json.loads(data)
    return frame if isinstance(frame, dict) else {}


def subprotocol(binary: bool) -> Subprotocol:
    return Subprotocol.MSGPACK if binary else Subprotocol.JSON
