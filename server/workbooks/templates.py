"""The blank workbooks organizers fill in: a zh/en header row and a filled example."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import competitors, judges, marking_scheme
from .sheet import Column

if TYPE_CHECKING:
    from openpyxl import Workbook

SCHEME_EXAMPLE: list[dict[str, Any]] = [
    {"sub_criterion": "A1", "sub_criterion_name": "工作组织与管理 Work organisation", "max": "3.00"},
    {"type": "M", "aspect": "穿戴防护用品 Wears protective equipment", "max": "1.00",
     "extra": "护目镜、手套、工作服 goggles, gloves, overalls", "wsos": "1"},
    {"type": "J", "aspect": "工位整洁有序 Workplace kept tidy", "max": "2.00", "wsos": "1"},
    {"score": 0, "extra": "低于行业标准 Below industry standard"},
    {"score": 1, "extra": "达到行业标准 Meets industry standard"},
    {"score": 2, "extra": "达到并在某些方面超过行业标准 Meets and in some respects exceeds it"},
    {"score": 3, "extra": "全面超过行业标准，表现优异 Excellent in every respect"},
]  # fmt: skip
KINDS = ("competitors", "judges", "scheme")
FILE_NAMES = {
    "competitors": "competitors.xlsx",
    "judges": "judges.xlsx",
    "scheme": "marking-scheme.xlsx",
}


def _sheet(
    title: str, columns: tuple[Column, ...], rows: list[dict[str, Any]], text_keys: set[str]
) -> Workbook:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.worksheets[0]
    ws.title = title
    ws.append([c.header + (" *" if c.required else "") for c in columns])
    for row in rows:
        ws.append([row.get(c.key) for c in columns])
    for j, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        dim = ws.column_dimensions[get_column_letter(j)]
        dim.width = max(14, min(40, len(c.header) + 4))
        if c.key in text_keys:  # IDs and bibs stay text: 18 digits do not fit a number
            dim.number_format = "@"
            for i in range(2, len(rows) + 2):
                ws.cell(row=i, column=j).number_format = "@"
    ws.freeze_panes = "A2"
    return book


def competitors_workbook() -> Workbook:
    example = {c.key: c.example for c in competitors.COLUMNS}
    return _sheet("选手 Competitors", competitors.COLUMNS, [example], {"bib", "national_id"})


def judges_workbook() -> Workbook:
    """The example is a whole panel: a chief and three judges of three delegations, so that a
    judgement aspect's panel of 3 can be filled for every competitor under conflict of
    interest (a file with fewer would be refused: it could never be marked); then a leader
    (领队), a supervisor, a reviewer and an arbitrator, who mark no program."""
    example = {c.key: c.example for c in judges.COLUMNS}
    whole = {**example, "criteria": "", "aspects": ""}
    none = {**whole, "program": "", "delegation": ""}
    rows = [
        {**whole, "id": "c01", "name_zh": "赵强", "name_en": "Zhao Qiang", "role": "裁判长", "delegation": ""},
        example,
        {**whole, "id": "j02", "name_zh": "刘洋", "name_en": "Liu Yang", "delegation": "DL"},
        {**whole, "id": "j03", "name_zh": "陈静", "name_en": "Chen Jing", "delegation": "AS"},
        {**whole, "id": "j04", "name_zh": "杨帆", "name_en": "Yang Fan", "delegation": "FS"},
        # the way to official results (issue 14): no program; one leader per delegation
        {**none, "id": "lead-sy", "name_zh": "孙丽", "name_en": "Sun Li", "role": "领队", "delegation": "SY"},
        {**none, "id": "sup01", "name_zh": "周明", "name_en": "Zhou Ming", "role": "监督"},
        {**none, "id": "rev01", "name_zh": "吴刚", "name_en": "Wu Gang", "role": "复核"},
        {**none, "id": "arb01", "name_zh": "郑华", "name_en": "Zheng Hua", "role": "仲裁"},
    ]  # fmt: skip
    return _sheet("裁判 Judges", judges.COLUMNS, rows, {"id"})


def scheme_workbook() -> Workbook:
    return _sheet("评分标准 Marking Scheme", marking_scheme.COLUMNS, SCHEME_EXAMPLE, set())


BUILDERS = {
    "competitors": competitors_workbook,
    "judges": judges_workbook,
    "scheme": scheme_workbook,
}


def write_templates(
    directory: Path, kinds: tuple[str, ...] = KINDS, force: bool = False
) -> list[Path]:
    """Write the blank workbooks into the folder; an existing file is kept unless ``force``."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / FILE_NAMES[k] for k in kinds]
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing)
        raise FileExistsError(f"{names} already in {directory}; pass --force to overwrite")
    for kind, path in zip(kinds, paths, strict=True):
        BUILDERS[kind]().save(path)
    return paths
