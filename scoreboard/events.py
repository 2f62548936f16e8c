"""Events: everything that changes a competition, each with its own time and author.

The core never reads a clock: ``ts`` is set by whoever records the event
(the hub, at the moment it accepts it). Events travel as plain dicts (the
ledger's and the wire's form); ``event_from_dict`` validates them.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    layer: str = ""  # masked two-layer program: the layer signed off (program/layer_rule.py)


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
    layer: str = ""  # masked two-layer program: the layer locked (program/layer_rule.py)


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
    layer: str = ""  # masked two-layer program: the layer unlocked (program/layer_rule.py)


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


@dataclass(frozen=True)
class DrawMade:
    """The draw (抽签) of a program (scoreboard/draw.py): its inputs and the result they give.

    The hub derives the result; the core derives it again from ``seed_input`` and
    ``head_hash`` and refuses a recorded result that differs, so a replay verifies every draw.
    A later draw of the same program (a redraw) needs a ``reason``.
    """

    id: str
    program: str
    author: str
    ts: int
    seed_input: str  # the value entered at the draw (e.g. by the supervisor)
    head_seq: int  # the ledger position whose hash link seeded the draw
    head_hash: str
    stations: tuple[str, ...]  # competitor ids at workstation 1, 2, …
    order: tuple[str, ...]  # the marking order, competitor ids
    codes: tuple[str, ...]  # the second-layer code of each competitor, in ``stations`` order
    reason: str = ""
    kind: str = "draw"


@dataclass(frozen=True)
class Decrypted:
    """解密: the chief opens an anonymous program's codes, confirmed by a supervisor (whose
    credential the hub checked); from then on every channel shows names."""

    id: str
    program: str
    author: str
    supervisor: str
    ts: int
    # the gate it was checked at: "review" (the review finished); "panels" (every panel signed
    # off) is the rule before the lifecycle, kept so that ledgers recorded then replay alike
    gate: str = "panels"
    kind: str = "decrypt"


@dataclass(frozen=True)
class EntryMade:
    """双人录入: a data-entry operator types one mark of a judge's paper sheet. The mark enters
    the scoreboard once two operators' entries of it agree (``program/entries.py``)."""

    id: str
    program: str
    competitor: str
    aspect: str
    judge: str  # whose sheet it is
    value: str
    sheet: str  # the paper sheet's reference
    author: str  # the operator
    ts: int
    kind: str = "entry"
    # "chief": a mismatch is the chief's to resolve, an operator's retype of it is refused (the
    # hub records every entry so); "" (entries recorded before): an operator's retype replaced
    # their own entry and could clear it. Old ledgers replay as they were recorded.
    policy: str = ""


Event = (
    MarkSubmitted
    | MarkWithdrawn
    | SignedOff
    | Locked
    | Unlocked
    | VisibilityChanged
    | StatusChanged
    | DrawMade
    | Decrypted
    | EntryMade
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
    "draw": DrawMade,
    "decrypt": Decrypted,
    "entry": EntryMade,
    **LIFECYCLE_EVENTS,
}


_SHAPES: dict[type[Any], tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _shape(cls: type[Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A class's field names in declaration order, and those of them that hold sequences."""
    fields = cls.__dataclass_fields__
    seqs = tuple(n for n, f in fields.items() if str(f.type).startswith("tuple"))
    shape = _SHAPES[cls] = (tuple(fields), seqs)
    return shape


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event's dict form, as ``dataclasses.asdict`` gives it (same keys, order and values)
    without its generic deep copy, which was a tenth of the hub's time on the mark path: every
    field is a str, an int or a sequence of str, so only sequences are copied (as asdict does:
    a tuple stays the same tuple, a list becomes a new list)."""
    cls = type(event)
    names, seqs = _SHAPES.get(cls) or _shape(cls)
    out = {name: getattr(event, name) for name in names}
    for name in seqs:
        v = out[name]
        out[name] = type(v)(v)
    return out


# how ``event_from_dict`` checks a field: its name, its type (one of the three), required
STR, INT, STRINGS = 0, 1, 2
_SPECS: dict[type[Any], tuple[frozenset[str], tuple[tuple[str, int, bool], ...]]] = {}


def _spec(cls: type[Any]) -> tuple[frozenset[str], tuple[tuple[str, int, bool], ...]]:
    fields = cls.__dataclass_fields__
    want = {"int": INT, "tuple[str, ...]": STRINGS}
    spec = _SPECS[cls] = (
        frozenset(fields),
        tuple(
            (name, want.get(str(f.type), STR), f.default is f.default_factory)  # no default
            for name, f in fields.items()
        ),
    )
    return spec


def event_from_dict(data: Any) -> Event:
    """Build an event from its dict form, refusing unknown kinds, fields and wrong types. (A
    replay builds every event of the ledger with it: the checks of each class's fields are
    worked out once, ``_spec``.)"""
    if not isinstance(data, dict):
        raise InvalidValue("an event must be an object", "invalid_event")
    kind = data.get("kind")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise InvalidValue(
            f"unknown event kind {kind!r}; use one of {', '.join(EVENT_TYPES)}", "invalid_event"
        )
    names, spec = _SPECS.get(cls) or _spec(cls)
    if not names.issuperset(data):
        names_ = sorted(str(k) for k in set(data) - names)  # msgpack allows keys not strings
        raise InvalidValue(
            f"unknown field(s) {', '.join(names_)} in a {kind} event", "invalid_event"
        )
    args = {}
    for name, want, required in spec:
        if name not in data:
            if required:
                raise InvalidValue(f"a {kind} event needs the field {name!r}", "invalid_event")
            continue
        v = data[name]
        if want == STR:
            if not isinstance(v, str):
                if name == "value" and isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = repr(v) if isinstance(v, float) else str(v)
                else:
                    raise InvalidValue(
                        f"field {name!r} must be a string, found {type(v).__name__}",
                        "invalid_event",
                    )
        elif want == INT:
            if isinstance(v, bool) or not isinstance(v, int):
                raise InvalidValue(
                    f"field {name!r} must be an integer, found {type(v).__name__}",
                    "invalid_event",
                )
        else:
            v = _strings(kind, name, v)
        args[name] = v
    return cls(**args)  # type: ignore[no-any-return]


def _strings(kind: Any, name: str, v: Any) -> tuple[str, ...]:
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, str) for x in v):
        raise InvalidValue(
            f"field {name!r} of a {kind} event must be a list of strings", "invalid_event"
        )
    return tuple(v)
