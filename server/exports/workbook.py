"""The official results as an XLSX workbook (openpyxl): a sheet per program, the medal and
points table, and the record (the ledger head the results were read at)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .record_index import Replayed
from .results import MedalLine, Sheet
from .words import HEADERS, award_name, both

BOLD = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
FIRST_DATA_ROW = 5  # rows 1-3: the program, its state, the record; row 4: the header


def number(text: str) -> Decimal | str:
    """A printed value as a number the spreadsheet can add up (text when it is not one)."""
    if not text:
        return ""
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def number_format(text: str) -> str:
    places = len(text.split(".")[1]) if "." in text else 0
    return "0." + "0" * places if places else "0"


def header(key: str) -> str:
    zh, en = HEADERS[key]
    return f"{zh}\n{en}"


def sheet_title(pid: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", "-", pid)[:31]
    base, n = title, 2
    while title.lower() in taken:
        title = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        n += 1
    taken.add(title.lower())
    return title


def columns(s: Sheet) -> list[tuple[str, str]]:
    """(key, header) of each column of a program's sheet."""
    cols = [(k, header(k)) for k in ("rank", "bib", "name_zh", "name_en")]
    if s.program.team:
        cols.append(("members", header("members")))
    cols += [("delegation", header("delegation")), ("delegation_name", header("delegation_name"))]
    cols += [(f"criterion:{cid}", f"{cid} {both(name, chr(10))}") for cid, name in s.criteria]
    cols += [(f"component:{kid}", f"{kid} {both(name, chr(10))}") for kid, name in s.components]
    cols.append(("total", header("total")))
    if s.standardised:
        cols.append(("standardised", header("standardised")))
    cols += [(k, header(k)) for k in ("award", "titles", "status")]
    return cols


def cell(s: Sheet, line: Any, key: str) -> Any:
    kind, _, ident = key.partition(":")
    if kind == "criterion":
        return number(line.criteria.get(ident, ""))
    if kind == "component":
        return number(line.components.get(ident, ""))
    simple = {
        "rank": line.rank if line.rank is not None else "",
        "bib": line.bib,
        "name_zh": line.name.get("zh", ""),
        "name_en": line.name.get("en", ""),
        "members": "、".join(m.get("zh", "") for m in line.members),
        "delegation": line.delegation,
        "delegation_name": line.delegation_name.get("zh", ""),
        "total": number(line.total),
        "standardised": number(line.standardised),
        "award": both(line.award_name),
        "titles": " ".join(both(award_name(t)) for t in line.titles),
        "status": line.status_words[0] + (" (临时 provisional)" if line.provisional else ""),
    }
    return simple[key]


def write_program(ws: Worksheet, s: Sheet, rec: Replayed) -> None:
    ws.append([both(s.program.name)])
    ws["A1"].font = Font(bold=True, size=14)
    where = " · ".join(x for x in (both(s.venue) if s.venue else "", " ".join(s.days)) if x)
    ws.append([" / ".join(s.state_words) + (f" · {where}" if where else "")])
    off = s.official
    ws.append(
        [
            f"公布事件 published at seq {off.seq} · hash {off.hash or '-'}"
            + (f" · 公布后更正 corrected at seq {off.corrected_at[-1]}" if off.corrected else "")
            if off
            else f"账本 ledger head seq {rec.head[0]} · hash {rec.head[1]}"
        ]
    )
    cols = columns(s)
    ws.append([h for _, h in cols])
    for i, _ in enumerate(cols, start=1):
        c = ws.cell(4, i)
        c.font, c.fill, c.alignment = BOLD, HEAD_FILL, WRAP
    ws.row_dimensions[4].height = 45
    for line in s.lines:
        ws.append([cell(s, line, k) for k, _ in cols])
        r = ws.max_row
        for i, (k, _) in enumerate(cols, start=1):
            text = line.total if k == "total" else line.standardised if k == "standardised" else ""
            if k.startswith(("criterion:", "component:")):
                kind, _, ident = k.partition(":")
                text = (line.criteria if kind == "criterion" else line.components).get(ident, "")
            if text:
                ws.cell(r, i).number_format = number_format(text)
    for i, (k, _) in enumerate(cols, start=1):
        width = {"name_en": 24, "delegation_name": 14, "award": 16, "titles": 16}.get(k, 10)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 5)


def write_medals(ws: Worksheet, lines: list[MedalLine], names: list[str]) -> None:
    ws.append(
        [
            "奖牌榜与团体总分 Medal table and points (final results; programs in 公示 not counted yet)"
        ]
    )
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        ["名次\nRank", "代表队\nDelegation", "名称\nName"]
        + [both(award_name(n), "\n") for n in names]
        + ["合计\nTotal", "积分\nPoints"]
    )
    for i in range(1, len(names) + 6):
        c = ws.cell(2, i)
        c.font, c.fill, c.alignment = BOLD, HEAD_FILL, WRAP
    for m in lines:
        ws.append(
            [m.rank if m.rank is not None else "", m.delegation, both(m.name)]
            + [m.medals.get(n, 0) for n in names]
            + [m.total, m.points]
        )
    ws.column_dimensions["C"].width = 28


def write(path: Path, rec: Replayed, sheets: list[Sheet], medals: list[MedalLine]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    taken: set[str] = set()
    for s in sheets:
        write_program(book.create_sheet(sheet_title(s.program.id, taken)), s, rec)
    names = list(medals[0].medals) if medals else []
    write_medals(book.create_sheet(sheet_title("medals", taken)), medals, names)
    info = book.create_sheet(sheet_title("record", taken))
    for row in (
        ["比赛 Competition", both(rec.competition.name)],
        ["账本头 Ledger head seq", rec.head[0]],
        ["哈希 Ledger head hash", rec.head[1]],
        ["核验 Verify", "scorecast verify --store URL  ·  GET /api/v1/ledger/head"],
    ):
        info.append(row)
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 24, 70
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
