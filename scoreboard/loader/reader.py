"""Typed reads from a competition file's tables, recording problems instead of raising."""

from __future__ import annotations

import builtins
import re
from fractions import Fraction
from typing import Any

from ..model import Name
from ..numbers import parse_number

MAX_PLACES = 9  # decimals printed; official sheets use 0–3


class Problems:
    """Every problem found in a file, each naming its field path and the fix.

    ``where`` holds, for each problem, the path of the item it is about when its own
    path does not say which (a duplicate id: ``programs[#2]``, the second program);
    ``locate`` follows either into the file's data."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.where: list[str | None] = []

    def add(self, path: str, message: str, at: str | None = None) -> None:
        self.items.append(f"{path} {message}" if path else message)
        self.where.append(at)


class Reader:
    """Typed reads from a dict, recording problems instead of raising."""

    def __init__(self, data: Any, path: str, problems: Problems) -> None:
        self.data = data if isinstance(data, dict) else {}
        self.path = path
        self.p = problems
        if not isinstance(data, dict):
            problems.add(path, f"expected a table of fields, found {type(data).__name__}")

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return key in self.data

    def str(self, key: str, default: str | None = None, required: bool = False) -> str:
        v = self.data.get(key)
        if v is None:
            if required:
                self.p.add(self.at(key), "is missing; add it")
            return default or ""
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)
        if not isinstance(v, str) or not v.strip():
            self.p.add(self.at(key), f"must be a non-empty string, found {v!r}")
            return default or ""
        return v.strip()

    def name(self, key: builtins.str = "name", fallback: builtins.str = "") -> Name:
        v = self.data.get(key)
        if v is None:
            return {"zh": fallback, "en": fallback}
        if isinstance(v, str):
            return {"zh": v, "en": v}
        if isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) and v:
            zh = v.get("zh") or v.get("en") or next(iter(v.values()))
            en = v.get("en") or zh
            return {**v, "zh": zh, "en": en}
        self.p.add(self.at(key), 'must be a string or {zh = "...", en = "..."}')
        return {"zh": fallback, "en": fallback}

    def num(
        self, key: builtins.str, default: Fraction | None = None, required: bool = False
    ) -> Fraction | None:
        v = self.data.get(key)
        if v is None:
            if required:
                self.p.add(self.at(key), 'is missing; write a number like "20.00"')
            return default
        try:
            return parse_number(v)
        except ValueError as e:
            self.p.add(self.at(key), str(e))
            return default

    def int(
        self, key: builtins.str, default: int, low: int | None = None, high: int | None = None
    ) -> int:
        v = self.data.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            self.p.add(self.at(key), f"must be a whole number, found {v!r}")
            return default
        if low is not None and v < low:
            self.p.add(self.at(key), f"must be at least {low}, found {v}")
            return default
        if high is not None and v > high:
            self.p.add(self.at(key), f"must be at most {high}, found {v}")
            return default
        return v

    def bool(self, key: builtins.str, default: bool) -> bool:
        v = self.data.get(key, default)
        if not isinstance(v, bool):
            self.p.add(self.at(key), f"must be true or false, found {v!r}")
            return default
        return v

    def list(self, key: builtins.str) -> list[Any]:
        v = self.data.get(key)
        if v is None:
            return []
        if not isinstance(v, list):
            self.p.add(self.at(key), f"must be a list, found {type(v).__name__}")
            return []
        return v

    def strs(self, key: builtins.str) -> tuple[builtins.str, ...] | None:
        v = self.data.get(key)
        if v is None:
            return None
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            self.p.add(self.at(key), 'must be a list of strings, like ["A", "B"]')
            return None
        return tuple(v)

    def choice(self, key: builtins.str, enum_type: Any, default: Any) -> Any:
        v = self.data.get(key)
        if v is None:
            return default
        try:
            return enum_type(v)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum_type)
            self.p.add(self.at(key), f"is {v!r}; use one of {allowed}")
            return default

    def unknown(self, allowed: set[builtins.str]) -> None:
        for k in self.data:
            if k not in allowed:
                self.p.add(
                    self.at(k), f"is not a known field; allowed here: {', '.join(sorted(allowed))}"
                )

    def numbers(self, key: builtins.str) -> builtins.list[Fraction]:
        """A list of numbers; each bad item is reported and left out."""
        out: builtins.list[Fraction] = []
        for i, x in enumerate(self.list(key)):
            try:
                out.append(parse_number(x))
            except ValueError as e:
                self.p.add(f"{self.at(key)}[{i}]", str(e))
        return out

    def counts(self, key: builtins.str) -> builtins.list[builtins.int]:
        """A list of whole numbers of at least 0; each bad item is reported and left out."""
        out: builtins.list[builtins.int] = []
        for i, x in enumerate(self.list(key)):
            if isinstance(x, bool) or not isinstance(x, builtins.int) or x < 0:
                self.p.add(
                    f"{self.at(key)}[{i}]", f"must be a whole number of at least 0, found {x!r}"
                )
            else:
                out.append(x)
        return out


def item_id(item: Any, key: str) -> str | None:
    """The id an item of a list is named by (its ``id``, ``bib`` or ``code``), if it has one."""
    ident = item.get(key) if isinstance(item, dict) else None
    if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
        return str(ident).strip()
    return None


def indexed(
    items: list[Any],
    path: str,
    key: str,
    problems: Problems,
    seen: dict[str, str] | None = None,
) -> list[tuple[str, Any]]:
    """Pair each item with its path, named by its id: ``programs[welding]`` (an item
    without an id by its place: ``programs[#2]``, the second). A later item whose id is
    taken is reported once and left out (its fields are not read: the id's problems would
    only repeat). ``seen`` maps the ids taken so far to where (shared by lists whose ids
    are unique together, as aspects across a program's criteria)."""
    seen = {} if seen is None else seen
    here: dict[str, int] = {}
    out = []
    for i, item in enumerate(items):
        ident = item_id(item, key)
        if ident is None:
            out.append((f"{path}[#{i + 1}]", item))
            continue
        p = f"{path}[{ident}]"
        if ident in seen:
            where = (
                f"items #{here[ident] + 1} and #{i + 1}" if ident in here else f"also {seen[ident]}"
            )
            problems.add(
                p,
                f"{key} {ident!r} is used twice ({where}); ids must be unique",
                f"{path}[#{i + 1}]",
            )
            continue
        seen[ident] = p
        here[ident] = i
        out.append((p, item))
    return out


_SEGMENT = re.compile(r"\.?([^.\[\]]+)|\[([^\]]*)\]")
ID_KEYS = ("id", "bib", "code")


def locate(data: Any, path: str) -> tuple[str | int, ...]:
    """The keys that lead to ``path`` (as problems name it) in the file's data, as far as
    they can be followed: ``programs[cook].places`` → ``("programs", 0, "places")``."""
    keys: list[str | int] = []
    node = data
    for m in _SEGMENT.finditer(path.split(" ", 1)[0]):
        name, ref = m[1], m[2]
        if name is not None:
            if not isinstance(node, dict) or name not in node:
                break
            keys.append(name)
            node = node[name]
            continue
        if not isinstance(node, list):
            break
        i = _item_index(node, ref)
        if i is None:
            break
        keys.append(i)
        node = node[i]
    return tuple(keys)


def _item_index(items: list[Any], ref: str) -> int | None:
    if ref.startswith("#") and ref[1:].isdigit():
        i = int(ref[1:]) - 1
        return i if 0 <= i < len(items) else None
    for i, item in enumerate(items):
        if any(item_id(item, k) == ref for k in ID_KEYS):
            return i
    has_ids = any(item_id(item, k) is not None for item in items for k in ID_KEYS)
    if not has_ids and ref.isdigit() and int(ref) < len(items):  # a list without ids: awards[0]
        return int(ref)
    return None
