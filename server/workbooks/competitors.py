"""Competitor lists (as the delegations send them) → a program's ``competitors``.

The workbook is the program's whole list: a bib already in the file is updated (the columns the
workbook has replace those fields; others, such as ``status`` or ``multipliers``, are kept), a
new bib is added, and a competitor in the file but not in the workbook would be dropped — which
the import refuses unless asked (``drop_missing``), naming who would go.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .document import delegation_codes, find_program
from .problems import ImportRefused, Problem, WorkbookError
from .sheet import Column, RowReader, Table

COLUMNS = (
    Column("bib", "选手号", "Bib", True, "101", ("参赛号", "参赛证号", "number", "bib number")),
    Column("name_zh", "姓名", "Name (zh)", False, "李明", ("中文姓名", "name")),
    Column("name_en", "英文名", "Name (en)", False, "Li Ming", ("english name", "拼音")),
    Column("delegation", "代表队", "Delegation", True, "DL", ("代表团", "城市", "city")),
    Column("workplace", "工作单位", "Workplace", False, "大连市技师学院", ("单位", "employer")),
    Column("national_id", "身份证号", "National ID", False, "210202XXXXXXXXXXXX", ("id number",)),
    Column("talent_consent", "同意推荐就业", "Talent listing consent", False, "是", ("consent",)),
    Column("tags", "标签", "Tags", False, "employee"),
)
# the optional columns and the competitor field each fills
FIELDS = {"workplace": "workplace", "national_id": "national_id", "tags": "tags"}


@dataclass
class Change:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.dropped)} dropped"


def _name(zh: str | None, en: str | None) -> str | dict[str, str] | None:
    if zh and en:
        return {"zh": zh, "en": en}
    return zh or en


def _row(r: RowReader, codes: dict[str, str]) -> dict[str, Any] | None:
    bib = r.text("bib")
    if bib is None:
        r.error("bib", "has no bib; give every competitor a bib (start number)")
        return None
    out: dict[str, Any] = {"bib": bib}
    name = _name(r.text("name_zh"), r.text("name_en"))
    if name is None:
        r.error("name_zh", "has no name; write the name in 姓名 / Name (zh) or Name (en)")
    out["name"] = name
    deleg = r.text("delegation")
    if deleg is None:
        r.error("delegation", "is empty; write the delegation's code, like DL")
    elif codes and deleg.casefold() not in codes:
        known = ", ".join(sorted(set(codes.values())))
        r.error("delegation", f"{deleg!r} is not a delegation; use one of {known}")
    else:
        out["delegation"] = codes.get(deleg.casefold(), deleg)
    if isinstance(r.raw("national_id"), int | float):
        r.error(
            "national_id",
            "is a number, so a spreadsheet may have lost its last digits; format the column "
            "as text and type the ID again",
        )
    for key, fld in FIELDS.items():
        if r.table.has(key):
            out[fld] = r.items(key) if key == "tags" else r.text(key)
    if r.table.has("talent_consent"):
        out["talent_consent"] = bool(r.boolean("talent_consent"))
    return out


def convert(table: Table, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The competitors of a sheet, checked: bibs unique, delegations known, names present."""
    problems: list[Problem] = []
    codes = delegation_codes(doc)
    seen: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for number, cells in table.rows:
        r = RowReader(table, number, cells, problems)
        comp = _row(r, codes)
        if comp is None:
            continue
        if comp["bib"] in seen:
            r.error(
                "bib",
                f"bib {comp['bib']} is also on row {seen[comp['bib']]}; "
                "give each competitor their own bib",
            )
        seen.setdefault(comp["bib"], number)
        out.append(comp)
    if problems:
        raise WorkbookError(problems)
    if not out:
        raise WorkbookError([table.problem(table.header_row, None, "has no competitors")])
    return out


def merge(
    doc: dict[str, Any],
    program: str,
    rows: list[dict[str, Any]],
    drop_missing: bool,
    source: str = "the workbook",
) -> tuple[dict[str, Any], Change]:
    """A copy of the document with the program's competitors replaced by the sheet's."""
    new = copy.deepcopy(doc)
    prog = find_program(new, program)
    if prog is None:
        ids = ", ".join(str(p.get("id")) for p in new.get("programs") or [])
        raise ImportRefused(
            [
                Problem(
                    source,
                    None,
                    None,
                    None,
                    f"{program!r} is not a program of the file (programs: {ids or 'none'}); "
                    "import its marking scheme first (scorecast import scheme)",
                )
            ]
        )
    old = {str(c.get("bib")): c for c in prog.get("competitors") or []}
    change = Change()
    merged = []
    for row in rows:
        before = old.get(row["bib"])
        comp = {**before, **row} if before is not None else dict(row)
        for k in [k for k, v in comp.items() if v is None or v == []]:
            del comp[k]
        (change.updated if before is not None else change.added).append(row["bib"])
        merged.append(comp)
    change.dropped = [b for b in old if b not in {r["bib"] for r in rows}]
    if change.dropped and not drop_missing:
        raise ImportRefused(
            [
                Problem(
                    source,
                    None,
                    None,
                    None,
                    f"{len(change.dropped)} competitor(s) of {program} are in the file but not in "
                    f"the workbook and would be dropped: bibs {', '.join(change.dropped)}; add "
                    "them to the workbook, or import again with --drop-missing to remove them",
                )
            ]
        )
    prog["competitors"] = merged
    return new, change
