"""The delegations (cities, teams): code and zh/en names, e.g. ../shared/data/delegations.csv.

Merged by code: a code in the workbook is added or renamed; the file's other delegations stay
(a competitor or judge may belong to them).
"""

from __future__ import annotations

import copy
from typing import Any

from .problems import Problem, WorkbookError
from .sheet import Column, RowReader, Table

COLUMNS = (
    Column("code", "代码", "Code", True, "DL", ("代表队代码", "delegation code")),
    Column("name_zh", "名称", "Name (zh)", False, "大连", ("中文名称", "name_zh")),
    Column("name_en", "英文名称", "Name (en)", False, "Dalian", ("name_en",)),
)


def convert(table: Table) -> list[dict[str, Any]]:
    problems: list[Problem] = []
    out: dict[str, dict[str, Any]] = {}
    for number, cells in table.rows:
        r = RowReader(table, number, cells, problems)
        code = r.text("code")
        if code is None:
            r.error("code", "has no code; give every delegation a short code, like DL")
            continue
        if code in out:
            r.error("code", f"{code} is given twice; keep one row per delegation")
        zh, en = r.text("name_zh"), r.text("name_en")
        row: dict[str, Any] = {"code": code}
        if zh or en:
            row["name"] = {"zh": zh, "en": en} if zh and en else zh or en
        out[code] = row
    if problems:
        raise WorkbookError(problems)
    return list(out.values())


def merge(doc: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    current = {str(d.get("code")): d for d in new.get("delegations") or []}
    for row in rows:
        current[row["code"]] = {**current.get(row["code"], {}), **row}
    new["delegations"] = list(current.values())
    return new
