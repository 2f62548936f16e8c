"""What differs between two competition definitions, and which recorded events a change breaks.

The ledger holds the competition it scores (issue 13). Before a hub starts on a ledger with a
different file, or before an amendment is recorded, these two functions say in words what
changed and which accepted events would no longer hold::

    diff(old, new)                  → [Change("programs[weld].competitors[weld-07]", "removed"), …]
    invalidated(old, new, events)   → [Invalidated(seq, event, "unknown_competitor", "…"), …]

Both are pure: they compare loaded models and replay events on fresh scoreboards.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .board import Scoreboard
from .errors import EventRefused
from .events import Event
from .model import Competition


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class Change:
    path: str  # programs[weld].competitors[weld-07].name
    kind: ChangeKind
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        if self.kind is ChangeKind.CHANGED:
            return f"{self.path}: {self.before} → {self.after}"
        return f"{self.path} {self.kind}"


@dataclass(frozen=True)
class Invalidated:
    seq: int
    event: Event
    code: str
    message: str

    def __str__(self) -> str:
        return f"seq {self.seq} ({self.event.kind} {self.event.id!r}): {self.code}: {self.message}"


HIDDEN = "(hidden)"

# Collections whose entries are diffed one by one, by id, under their own name.
KEYED = {"programs", "competitors", "judges", "delegations", "aspects", "criteria"}


def _number(value: Fraction) -> str:
    """A fraction as the decimal a file would hold (``1/2`` → ``0.5``), exactly, or ``n/d``."""
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d != 1:
        return str(value)
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"


def _show(value: Any) -> str:
    if isinstance(value, Fraction):
        return _number(value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(map(str, value))) + "]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            "{"
            + ", ".join(
                f"{f.name}={_show(getattr(value, f.name))}" for f in dataclasses.fields(value)
            )
            + "}"
        )
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in sorted(value.items())) + "}"
    return str(value)


def _diff_keyed(path: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    out: list[Change] = []
    for key in old.keys() - new.keys():
        out.append(Change(f"{path}[{key}]", ChangeKind.REMOVED))
    for key in new.keys() - old.keys():
        out.append(Change(f"{path}[{key}]", ChangeKind.ADDED))
    for key in old.keys() & new.keys():
        out += _diff_value(f"{path}[{key}]", old[key], new[key])
    return out


def _diff_value(path: str, old: Any, new: Any) -> list[Change]:
    if old == new:
        return []
    if dataclasses.is_dataclass(old) and type(old) is type(new):
        out: list[Change] = []
        for f in dataclasses.fields(old):
            a, b = getattr(old, f.name), getattr(new, f.name)
            if not f.repr:  # a private field (a national ID): say that it changed, not to what
                if a != b:
                    out.append(Change(f"{path}.{f.name}", ChangeKind.CHANGED, HIDDEN, HIDDEN))
                continue
            if f.name in KEYED and isinstance(a, Mapping):
                out += _diff_keyed(f"{path}.{f.name}", a, b)
            else:
                out += _diff_value(f"{path}.{f.name}", a, b)
        return out
    return [Change(path, ChangeKind.CHANGED, _show(old), _show(new))]


def diff(old: Competition, new: Competition) -> list[Change]:
    """Every difference between two loaded competitions, in a stable order (by path)."""
    out: list[Change] = []
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if f.name in KEYED:
            out += _diff_keyed(f.name, a, b)
        else:
            out += _diff_value(f.name, a, b)
    return sorted(out, key=lambda c: (c.path, c.kind))


def invalidated(
    old: Competition, new: Competition, events: Iterable[tuple[int, Event]]
) -> list[Invalidated]:
    """The events ``old`` accepts that ``new`` refuses, replaying both in ledger order.

    An event refused under both (a mark on a locked sheet, say) was never part of the result
    and is not listed; an event that only ``new`` accepts is not a loss either.
    """
    before, after = Scoreboard(old), Scoreboard(new)
    out: list[Invalidated] = []
    for seq, event in events:
        try:
            before.apply(event)
        except EventRefused:
            continue
        try:
            after.apply(event)
        except EventRefused as e:
            out.append(Invalidated(seq, event, e.code, e.message))
    return out
