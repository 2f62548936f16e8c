"""Read a competition file (TOML or JSON) and load it with the scoring core."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from scoreboard import Competition, CompetitionFileError, load_competition

from .errors import CompetitionFileUnusable

SAMPLE = Path(__file__).resolve().parent.parent / "scoreboard" / "samples" / "provincial2026.toml"


def read(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise CompetitionFileUnusable(
            f"cannot read the competition file {p}: {e.strerror}; check the path"
        ) from None
    try:
        if p.suffix == ".json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise CompetitionFileUnusable(
            f"{p} is not valid {'JSON' if p.suffix == '.json' else 'TOML'}: {e}"
        ) from None
    if not isinstance(data, dict):
        raise CompetitionFileUnusable(f"{p} must hold a table of fields at the top")
    return data


def load(path: str | Path | None) -> tuple[dict[str, Any], Competition]:
    """The file's data and the competition; a bad file raises ``CompetitionFileUnusable`` with every problem listed."""
    data = read(path or SAMPLE)
    try:
        return data, load_competition(data)
    except CompetitionFileError as e:
        raise CompetitionFileUnusable(f"{path or SAMPLE}: {e}") from None
