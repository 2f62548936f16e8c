"""The competition file an import reads and writes: checked by the real loader, then written
atomically (a temporary file in the same folder, then a rename), so it is never half written and
never a file that would not load."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from scoreboard import CompetitionFileError, load_competition

from .problems import ImportRefused, Problem
from .toml_text import dumps as toml_dumps


def new_document(path: Path) -> dict[str, Any]:
    """The start of a new competition file: its id and name from the file name."""
    return {"format": 1, "id": path.stem, "name": path.stem, "programs": []}


def read_document(path: Path, create: bool = False) -> dict[str, Any]:
    if not path.exists():
        if create:
            return new_document(path)
        raise ImportRefused(
            [
                Problem(
                    path.name,
                    None,
                    None,
                    None,
                    "does not exist; import a marking scheme first (scorecast import scheme), "
                    "which creates it",
                )
            ]
        )
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise ImportRefused(
            [Problem(path.name, None, None, None, f"cannot be read: {e}")]
        ) from None
    if not isinstance(data, dict):
        raise ImportRefused([Problem(path.name, None, None, None, "must hold a table at the top")])
    return data


TOP_ORDER = ("format", "id", "name", "medal_points", "delegations", "programs", "judges")


def render(path: Path, doc: dict[str, Any]) -> str:
    rank = {k: i for i, k in enumerate(TOP_ORDER)}
    doc = dict(sorted(doc.items(), key=lambda kv: rank.get(kv[0], len(rank))))
    if path.suffix == ".json":
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return toml_dumps(doc)


def check(path: Path, text: str) -> None:
    """Parse the text as it will be written and load it with the scoring core."""
    data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    try:
        load_competition(data)
    except CompetitionFileError as e:
        raise ImportRefused(
            [
                Problem(path.name, None, None, None, f"would not load after the import: {p}")
                for p in e.problems
            ]
        ) from None


def write_document(path: Path, doc: dict[str, Any]) -> None:
    """Check, then replace the file in one rename; a failed check writes nothing."""
    text = render(path, doc)
    check(path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def find_program(doc: dict[str, Any], program: str) -> dict[str, Any] | None:
    for p in doc.get("programs") or []:
        if isinstance(p, dict) and str(p.get("id")) == program:
            return p
    return None


def delegation_codes(doc: dict[str, Any]) -> dict[str, str]:
    """Every way a delegation may be written (its code, zh and en names, any case) → its code."""
    out: dict[str, str] = {}
    for d in doc.get("delegations") or []:
        code = str(d.get("code"))
        name = d.get("name") or code
        names = name.values() if isinstance(name, dict) else [name]
        for n in (code, *names):
            out[str(n).casefold()] = code
    return out
