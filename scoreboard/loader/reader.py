"""Typed reads from a competition file's tables, recording problems instead of raising."""

from __future__ import annotations

import builtins
from fractions import Fraction
from typing import Any

from ..model import Name
from ..numbers import parse_number

MAX_PLACES = 9  # decimals printed; official sheets use 0–3


class Problems:
    """Every problem found in a file, each naming its field path and the fix."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.items.append(f"{path} {message}" if path else message)


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


def indexed(items: list[Any], path: str, key: str, problems: Problems) -> list[tuple[str, Any]]:
    """Pair each item with its path ``path[i]``, and report duplicate ids."""
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        p = f"{path}[{i}]"
        if isinstance(item, dict):
            ident = item.get(key)
            if isinstance(ident, (str, int)) and not isinstance(ident, bool):
                if str(ident) in seen:
                    problems.add(p, f"{key} {ident!r} is used twice; ids must be unique")
                seen.add(str(ident))
        out.append((p, item))
    return out
