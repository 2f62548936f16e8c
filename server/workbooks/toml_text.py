"""Write a competition document as TOML (tomllib reads only).

Tables hold their plain fields first, written inline (`name = { zh = "…", en = "…" }`), then
their lists of tables as `[[programs]]`, `[[programs.criteria]]`, … headers, in the shape of
docs/competition-format.md. Comments of a hand-written file are not kept.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def dumps(doc: dict[str, Any]) -> str:
    lines: list[str] = []
    _table(doc, [], lines)
    return "\n".join(lines).lstrip("\n") + "\n"


def _is_table_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _table(table: dict[str, Any], path: list[str], lines: list[str]) -> None:
    for k, v in table.items():
        if v is None or _is_table_list(v):
            continue
        lines.append(f"{_key(k)} = {_value(v)}")
    for k, v in table.items():
        if not _is_table_list(v):
            continue
        for item in v:
            header = ".".join(_key(p) for p in [*path, k])
            lines.extend(["", f"[[{header}]]"])
            _table(item, [*path, k], lines)


def _key(k: str) -> str:
    return k if BARE_KEY.match(k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        # a JSON string is a valid TOML basic string (same escapes, \uXXXX for control characters)
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, datetime | date | time):
        return v.isoformat()
    if isinstance(v, dict):
        inner = ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items() if x is not None)
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    return json.dumps(str(v), ensure_ascii=False)
