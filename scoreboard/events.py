"""Events: everything that changes a competition, each with its own time and author.

The core never reads a clock: ``ts`` is set by whoever records the event
(the hub, at the moment it accepts it). Events travel as plain dicts (the
ledger's and the wire's form); ``event_from_dict`` validates them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .errors import InvalidValue
from .lifecycle.events import LIFECYCLE_EVENTS, LifecycleEvent


@dataclass(frozen=True)
class MarkSubmitted:
    """A judge's mark; a later mark by the same judge, competitor and aspect replaces it."""

    id: str  # the client's mark id: the idempotency key
    program: str
    competitor: str
    aspect: str
    judge: str
    value: str  # as entered: "2", "8.5", "pass", "95.12"
    ts: int  # milliseconds since the epoch
    device: str = ""
    kind: str = "mark"


@dataclass(frozen=True)
class MarkWithdrawn:
    id: str
    program: str
    competitor: str
    aspect: str
    judge: str
    ts: int
    device: str = ""
    kind: str = "withdraw"


@dataclass(frozen=True)
class SignedOff:
    """A judge signs off their marks for a competitor; they can no longer change them."""

    id: str
    program: str
    competitor: str
    judge: str
    ts: int
    kind: str = "signoff"


@dataclass(frozen=True)
class Locked:
    """The chief locks a competitor's marks (one criterion, or all when ``criterion`` is empty)."""

    id: str
    program: str
    competitor: str
    author: str
    ts: int
    criterion: str = ""
    reason: str = ""
    kind: str = "lock"


@dataclass(frozen=True)
class Unlocked:
    id: str
    program: str
    competitor: str
    author: str
    ts: int
    reason: str
    criterion: str = ""
    kind: str = "unlock"


@dataclass(frozen=True)
class VisibilityChanged:
    id: str
    program: str
    visibility: str
    author: str
    ts: int
    kind: str = "visibility"


@dataclass(frozen=True)
class StatusChanged:
    id: str
    program: str
    competitor: str
    status: str
    author: str
    ts: int
    reason: str = ""
    kind: str = "status"


Event = (
    MarkSubmitted
    | MarkWithdrawn
    | SignedOff
    | Locked
    | Unlocked
    | VisibilityChanged
    | StatusChanged
    | LifecycleEvent
)

EVENT_TYPES: dict[str, type[Any]] = {
    "mark": MarkSubmitted,
    "withdraw": MarkWithdrawn,
    "signoff": SignedOff,
    "lock": Locked,
    "unlock": Unlocked,
    "visibility": VisibilityChanged,
    "status": StatusChanged,
    **LIFECYCLE_EVENTS,
}


def event_to_dict(event: Event) -> dict[str, Any]:
    return asdict(event)


def event_from_dict(data: Any) -> Event:
    """Build an event from its dict form, refusing unknown kinds, fields and wrong types."""
    if not isinstance(data, dict):
        raise InvalidValue("an event must be an object", "invalid_event")
    kind = data.get("kind")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise InvalidValue(
            f"unknown event kind {kind!r}; use one of {', '.join(EVENT_TYPES)}", "invalid_event"
        )
    fields = cls.__dataclass_fields__
    unknown = set(data) - set(fields)
    if unknown:
        names = sorted(str(k) for k in unknown)  # msgpack allows keys that are not strings
        raise InvalidValue(
            f"unknown field(s) {', '.join(names)} in a {kind} event", "invalid_event"
        )
    args = {}
    for name, f in fields.items():
        if name not in data:
            if f.default is f.default_factory:  # no default: required
                raise InvalidValue(f"a {kind} event needs the field {name!r}", "invalid_event")
            continue
        v = data[name]
        want = int if f.type == "int" else str
        if want is int and (isinstance(v, bool) or not isinstance(v, int)):
            raise InvalidValue(
                f"field {name!r} must be an integer, found {type(v).__name__}", "invalid_event"
            )
        if want is str and not isinstance(v, str):
            if name == "value" and isinstance(v, (int, float)) and not isinstance(v, bool):
                v = repr(v) if isinstance(v, float) else str(v)
            else:
                raise InvalidValue(
                    f"field {name!r} must be a string, found {type(v).__name__}", "invalid_event"
                )
        args[name] = v
    return cls(**args)  # type: ignore[no-any-return]
