"""Fill the generated templates as an organizer would: openpyxl, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from server.cli import main
from server.workbooks import competitors, marking_scheme, templates

SCHEME_ROWS: list[dict[str, Any]] = [
    {"sub_criterion": "A1", "sub_criterion_name": "Work organisation", "max": "3.00"},
    {"type": "M", "aspect": "Wears protective equipment", "max": 1, "extra": "goggles, gloves"},
    {"type": "J", "aspect": "Workplace kept tidy", "max": 2},
    {"score": 0, "extra": "below industry standard"},
    {"score": 1, "extra": "meets industry standard"},
    {"score": 2, "extra": "exceeds it in some respects"},
    {"score": 3, "extra": "excellent"},
    {"sub_criterion": "B1", "sub_criterion_name": "Weld quality", "max": "7.5"},
    {"type": "M", "aspect": "Root penetration", "max": 2.5, "requirement": "1-2 mm"},
    {"type": "J", "aspect": "Visual appearance", "max": 5},
    {"score": 0, "extra": "poor"},
    {"score": 1, "extra": "acceptable"},
    {"score": 2, "extra": "good"},
    {"score": 3, "extra": "excellent"},
]
IDS = {f"{i}": f"21020219900101{1000 + i}" for i in range(101, 107)}
PEOPLE: list[dict[str, Any]] = [
    {
        "bib": int(bib),  # typed as a number, as spreadsheets do
        "name_zh": f"选手{bib}",
        "name_en": f"Player {bib}",
        "delegation": ["DL", "沈阳", "Anshan"][i % 3],
        "workplace": "大连市技师学院",
        "national_id": IDS[bib],
        "talent_consent": ["是", "否"][i % 2],
    }
    for i, bib in enumerate(IDS)
]
DELEGATIONS = [("SY", "沈阳", "Shenyang"), ("DL", "大连", "Dalian"), ("AS", "鞍山", "Anshan")]


def fill(template: Path, out: Path, columns: Any, rows: list[dict[str, Any]]) -> Path:
    """The template with its example rows replaced by these rows."""
    book = openpyxl.load_workbook(template)
    ws = book.worksheets[0]
    ws.delete_rows(2, ws.max_row)
    keys = [c.key for c in columns]
    for row in rows:
        ws.append([row.get(k) for k in keys])
    book.save(out)
    return out


def write_delegations(path: Path) -> Path:
    path.write_text(
        "code,name_zh,name_en\n" + "".join(f"{c},{z},{e}\n" for c, z, e in DELEGATIONS),
        encoding="utf-8",
    )
    return path


def build(tmp: Path, into: Path, people: list[dict[str, Any]] | None = None) -> None:
    """Templates → filled scheme and competitor workbooks → a competition file."""
    templates.write_templates(tmp / "blank")
    scheme = fill(
        tmp / "blank" / "marking-scheme.xlsx",
        tmp / "scheme.xlsx",
        marking_scheme.COLUMNS,
        SCHEME_ROWS,
    )
    comps = fill(
        tmp / "blank" / "competitors.xlsx",
        tmp / "people.xlsx",
        competitors.COLUMNS,
        people or PEOPLE,
    )
    args = ["--into", str(into)]
    assert (
        main(["import", "scheme", str(scheme), *args, "--program", "weld", "--name-en", "Welding"])
        == 0
    )
    assert main(["import", "delegations", str(write_delegations(tmp / "d.csv")), *args]) == 0
    assert main(["import", "competitors", str(comps), *args, "--program", "weld"]) == 0
