"""Read a competition file (TOML or JSON) and load it with the scoring core.

A file that is refused exits with every problem listed, each with its line in a TOML file
(``line 12: programs[cook].places must be at most 9, found 12``); a TOML syntax error says
what is wrong in words, with the parser's own text after it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from scoreboard import Competition, CompetitionFileError, load_competition
from scoreboard.loader import locate

from . import toml_lines
from .errors import CompetitionFileUnusable

SAMPLE = Path(__file__).resolve().parent.parent / "scoreboard" / "samples" / "provincial2026.toml"

# tomllib's messages, in words, for the errors the scanner does not find itself
_WORDS = {
    "Cannot overwrite a value": "a key is given twice, or a key and a table share a name",
    "Cannot declare": "a table is declared twice",
    "Unclosed array": "a list [ … ] is not closed with ]",
    "Unclosed inline table": "a table { … } is not closed with } on its line",
    "Invalid value": "a value is not text in quotes, a number, true/false, a list or a table",
    "Unterminated string": "a text in quotes is not closed",
    'Expected "\'"': "a text in quotes is not closed",
    "Illegal character": "an unexpected character (is a text in quotes not closed on its line?)",
    "Expected '=' after a key": "a key must be followed by = and a value",
    "Unescaped '\\'": "a backslash in double quotes starts an escape: write \\\\, or use single quotes",
}


def read(path: str | Path) -> dict[str, Any]:
    return _parse(Path(path), _text(Path(path)))


def load(path: str | Path | None) -> tuple[dict[str, Any], Competition]:
    """The file's data and the competition; a bad file raises ``CompetitionFileUnusable``
    with every problem listed."""
    p = Path(path or SAMPLE)
    text = _text(p)
    data = _parse(p, text)
    try:
        return data, load_competition(data)
    except CompetitionFileError as e:
        raise CompetitionFileUnusable(
            f"{p}: {describe(e, data, text if _is_toml(p) else None)}"
        ) from None


def describe(err: CompetitionFileError, data: Any, toml_text: str | None) -> str:
    """The error's text, each problem with its line when the file is TOML."""
    if toml_text is None:
        return str(err)
    where = toml_lines.lines(toml_text)
    listing = []
    for problem, at in zip(err.problems, err.where, strict=True):
        line = _line(where, locate(data, at or problem))
        listing.append(f"  - line {line}: {problem}" if line else f"  - {problem}")
    return f"the competition file has {len(err.problems)} problem(s):\n" + "\n".join(listing)


def _line(where: dict[toml_lines.Keys, int], keys: tuple[str | int, ...]) -> int | None:
    """The line of the deepest of ``keys`` that has one."""
    for n in range(len(keys), 0, -1):
        if keys[:n] in where:
            return where[keys[:n]]
    return None


def _is_toml(p: Path) -> bool:
    return p.suffix != ".json"


def _text(p: Path) -> str:
    try:
        return p.read_text(encoding="utf-8")
    except OSError as e:
        raise CompetitionFileUnusable(
            f"cannot read the competition file {p}: {e.strerror}; check the path"
        ) from None
    except UnicodeDecodeError:
        raise CompetitionFileUnusable(f"{p} is not UTF-8 text; save it as UTF-8") from None


def _parse(p: Path, text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text) if _is_toml(p) else json.loads(text)
    except json.JSONDecodeError as e:
        raise CompetitionFileUnusable(f"{p} is not valid JSON: line {e.lineno}: {e.msg}") from None
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise CompetitionFileUnusable(f"{p} is not valid TOML: {toml_error(text, e)}") from None
    if not isinstance(data, dict):
        raise CompetitionFileUnusable(f"{p} must hold a table of fields at the top")
    return data


def toml_error(text: str, e: Exception) -> str:
    """What is wrong, in words, with the line when it can be found; then the parser's text."""
    found = toml_lines.explain(text)
    if found is not None:
        return f"{found} (the parser says: {e})"
    words = next((w for k, w in _WORDS.items() if str(e).startswith(k)), None)
    return f"{words} (the parser says: {e})" if words else str(e)
