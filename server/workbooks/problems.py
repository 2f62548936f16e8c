"""What went wrong in a workbook, and where: workbook, sheet, row, column, and the fix.

::

    WorkbookError            the workbook cannot be imported; .problems lists every place
    └── ImportRefused        the import would lose data (competitors dropped) or the
                             result would not load; nothing was written
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    workbook: str
    sheet: str | None
    row: int | None
    column: str | None  # "C (代表队 / Delegation)"
    message: str

    def __str__(self) -> str:
        where = [self.workbook]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class WorkbookError(Exception):
    """Every problem found; the message lists them one a line."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s), nothing was written:\n{lines}")


class ImportRefused(WorkbookError):
    """The workbook reads, but importing it would drop data or give a file that does not load."""
