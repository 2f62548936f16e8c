"""One sheet of a workbook (XLSX) or a CSV file as a table of rows, found by its headers.

Reading is the only I/O here (``read_table``); ``Table`` and ``RowReader`` are plain
data and checks, so the converters that use them are pure.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scoreboard.numbers import parse_number

from .problems import Problem, WorkbookError

HEADER_SEARCH_ROWS = 30  # WorldSkills sheets have title rows above the header
TRUE_WORDS = {"yes", "y", "true", "1", "是", "同意", "✓", "√"}
FALSE_WORDS = {"no", "n", "false", "0", "否", "不同意"}


@dataclass(frozen=True)
class Column:
    """A column the importer reads: its key, its zh/en header, and other headers it accepts."""

    key: str
    zh: str
    en: str
    required: bool = False
    example: Any = ""
    aliases: tuple[str, ...] = ()

    @property
    def header(self) -> str:
        return f"{self.zh} / {self.en}"

    def matches(self, cell: Any) -> bool:
        if cell is None:
            return False
        names = {_norm(x) for x in (self.key, self.zh, self.en, self.header, *self.aliases)}
        text = _norm(str(cell))
        parts = {_norm(p) for p in text.replace("\n", "/").split("/")}
        return text in names or bool(parts & names)


def _norm(text: str) -> str:
    """Headers compare without case, extra spaces or the template's required mark (*)."""
    return " ".join(text.replace("*", " ").split()).casefold()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Table:
    workbook: str
    sheet: str | None  # None for a CSV file
    header_row: int
    columns: dict[str, int]  # column key → 0-based index
    spec: tuple[Column, ...]
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)

    def problem(self, row: int | None, key: str | None, message: str) -> Problem:
        column = None
        if key is not None:
            col = next(c for c in self.spec if c.key == key)
            where = column_letter(self.columns[key]) if key in self.columns else "?"
            column = f"{where} ({col.header})"
        return Problem(self.workbook, self.sheet, row, column, message)

    def has(self, key: str) -> bool:
        return key in self.columns


class RowReader:
    """Typed reads of one row's cells; problems are collected, not raised."""

    def __init__(self, table: Table, number: int, cells: Sequence[Any], problems: list[Problem]):
        self.table, self.row, self.cells, self.problems = table, number, cells, problems

    def raw(self, key: str) -> Any:
        i = self.table.columns.get(key)
        if i is None or i >= len(self.cells):
            return None
        v = self.cells[i]
        if isinstance(v, str):
            v = v.strip()
        return None if v == "" else v

    def error(self, key: str | None, message: str) -> None:
        self.problems.append(self.table.problem(self.row, key, message))

    def text(self, key: str) -> str | None:
        v = self.raw(key)
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        if isinstance(v, datetime | date):
            return v.isoformat()
        return str(v)

    def number(self, key: str) -> str | None:
        """A number as exact text ("2.5"); Excel's binary floats are read by their shortest form."""
        v = self.raw(key)
        if v is None:
            return None
        if isinstance(v, bool):
            self.error(key, f"{v!r} is not a number; write a number like 2.5")
            return None
        if isinstance(v, int | float):
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        try:
            parse_number(str(v))
        except ValueError:
            self.error(key, f"{v!r} is not a number; write a number like 2.5")
            return None
        return str(v)

    def boolean(self, key: str) -> bool | None:
        v = self.raw(key)
        if v is None:
            return None
        if isinstance(v, bool):
            return v
        word = _norm(self.text(key) or "")
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(key, f"{v!r} is not yes or no; write 是 or 否 (yes or no)")
        return None

    def items(self, key: str) -> list[str] | None:
        """A list written in one cell: "A1, A2" (commas, semicolons, 、 or new lines)."""
        text = self.text(key)
        if text is None:
            return None
        for sep in ("，", "；", ";", "、", "\n"):
            text = text.replace(sep, ",")
        return [x.strip() for x in text.split(",") if x.strip()]


def find_header(
    workbook: str, sheet: str | None, grid: list[tuple[Any, ...]], spec: tuple[Column, ...]
) -> Table:
    """The table under the header row (the row among the first ones matching most columns)."""
    best, best_row = 0, 0
    for i, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        hits = sum(any(c.matches(x) for x in cells) for c in spec)
        if hits > best:
            best, best_row = hits, i
    header = grid[best_row] if grid else ()
    columns: dict[str, int] = {}
    for c in spec:
        for j, x in enumerate(header):
            if c.matches(x) and j not in columns.values():
                columns[c.key] = j
                break
    table = Table(workbook, sheet, best_row + 1, columns, spec)
    missing = [c for c in spec if c.required and c.key not in columns]
    if missing:
        raise WorkbookError(
            [
                table.problem(
                    best_row + 1, None, f"no column {c.header!r}; add a column headed {c.header}"
                )
                for c in missing
            ]
        )
    table.rows = [
        (n, cells)
        for n, cells in enumerate(grid[best_row + 1 :], start=best_row + 2)
        if any(x is not None and str(x).strip() for x in cells)
    ]
    return table


def read_table(path: Path, spec: tuple[Column, ...], sheet: str | None = None) -> Table:
    """Read an .xlsx sheet (the named one, else the first whose headers match) or a .csv file."""
    if path.suffix.lower() == ".csv":
        return find_header(path.name, None, _csv_grid(path), spec)
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookError(
            [Problem(path.name, None, None, None, "is not .xlsx or .csv; save it as one of them")]
        )
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as e:
        raise WorkbookError(
            [Problem(path.name, None, None, None, f"cannot be read ({e}); save it again as .xlsx")]
        ) from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise WorkbookError(
                [Problem(path.name, sheet, None, None, f"no such sheet; the sheets are {names}")]
            )
        candidates = [sheet] if sheet is not None else names
        errors: list[Problem] = []
        for name in candidates:
            try:
                return find_header(
                    path.name, name, _grid(book[name].iter_rows(values_only=True)), spec
                )
            except WorkbookError as e:
                errors = errors or e.problems
        raise WorkbookError(errors)
    finally:
        book.close()


def _grid(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in rows]


def _csv_grid(path: Path) -> list[tuple[Any, ...]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel in Chinese saves CSV as GBK
        text = raw.decode("gb18030")
    return [tuple(r) for r in csv.reader(io.StringIO(text))]
