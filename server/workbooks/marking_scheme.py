"""A WorldSkills-style Marking Scheme workbook → one program's ``criteria``.

The sheet is read top to bottom, as WorldSkills writes it:

- a row with a **sub-criterion ID** (A1, A2, B1…) opens a criterion of ours (its name, and its
  max mark when given: the aspects must then add up to it);
- a row with an **aspect type** adds an aspect to it: ``M`` (measurement) becomes a
  ``measurement`` aspect (full mark or nothing), ``J`` (judgement) a ``judgement`` aspect marked
  0–3 by a panel (WorldSkills: three judges, scores more than 1 apart are re-marked);
- the rows under a judgement aspect with a **judgement score** 0, 1, 2, 3 give what each score
  means; every judgement aspect needs all four.

The extra aspect description and the requirement (nominal size) become the aspect's
``description``. Aspect ids are the sub-criterion's id and the aspect's number (A1.1, A1.2…)
unless the sheet has an aspect-ID column.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from scoreboard.numbers import fmt, parse_number

from .document import find_program
from .problems import Problem, WorkbookError
from .sheet import Column, RowReader, Table

EXTRA = "Extra Aspect Description (Meas or Judg) OR Judgement Score Description (Judg only)"
COLUMNS = (
    Column("sub_criterion", "子标准编号", "Sub Criteria ID", True, "A1", ("sub criterion id", "sub criteria")),
    Column("sub_criterion_name", "子标准名称", "Sub Criteria Name or Description", False,
           "工作组织与管理", ("sub criterion name", "sub criterion name or description")),
    Column("type", "类型", "Aspect Type M = Meas J = Judg", True, "J", ("aspect type", "type")),
    Column("aspect", "评分项", "Aspect - Description", True, "工位整洁有序",
           ("aspect", "aspect description")),
    Column("aspect_id", "评分项编号", "Aspect ID", False, "", ()),
    Column("score", "评判分", "Judg Score", False, "", ("judgement score", "score")),
    Column("extra", "补充说明或评判分描述", EXTRA, False, "工具按类摆放", ("extra aspect description",)),
    Column("requirement", "要求或标称尺寸", "Requirement or Nominal Size (Meas Only)", False, "",
           ("requirement", "nominal size")),
    Column("wsos", "职业标准章节", "WSOS Section", False, "1", ("wsss section", "wsess section", "wsos")),
    Column("max", "分值", "Max Mark", True, "2.00", ("max", "mark", "配分")),
)  # fmt: skip
TYPES = {"m": "measurement", "measurement": "measurement", "测量": "measurement",
         "客观": "measurement", "j": "judgement", "judgement": "judgement",
         "judgment": "judgement", "评价": "judgement", "主观": "judgement"}  # fmt: skip
SCALE = 3  # WorldSkills judgement scores 0–3


@dataclass
class _Aspect:
    row: int
    data: dict[str, Any]
    scores: dict[int, str] = field(default_factory=dict)


@dataclass
class _Criterion:
    row: int
    data: dict[str, Any]
    aspects: list[_Aspect] = field(default_factory=list)
    broken: bool = False  # a row of it has a problem: its sum would only repeat that problem


@dataclass
class Options:
    panel: int = 3  # judges per judgement aspect
    tolerance: str = "1"  # WorldSkills: scores differing by more than 1 are re-marked


def _open_criterion(r: RowReader, seen: dict[str, int]) -> _Criterion | None:
    cid = r.text("sub_criterion") or ""
    if cid in seen:
        r.error("sub_criterion", f"{cid} is also on row {seen[cid]}; give it one row")
    seen.setdefault(cid, r.row)
    data: dict[str, Any] = {"id": cid, "name": r.text("sub_criterion_name") or cid}
    if r.raw("type") is None and (mx := r.number("max")) is not None:
        data["max"] = mx
    return _Criterion(r.row, data)


def _aspect(r: RowReader, crit: _Criterion, opts: Options) -> _Aspect | None:
    raw_type = r.text("type") or ""
    kind = TYPES.get(raw_type.casefold())
    if kind is None:
        r.error(
            "type", f"{raw_type!r} is not an aspect type; write M (measurement) or J (judgement)"
        )
        return None
    name = r.text("aspect")
    if name is None:
        r.error("aspect", "has no aspect description; say what is marked")
    mx = r.number("max")
    if mx is None and r.raw("max") is None:
        r.error("max", "has no max mark; write the aspect's marks, like 1.50")
    elif mx is not None and parse_number(mx) <= 0:
        r.error("max", f"{mx} is not a mark; the max mark must be more than 0")
    aid = r.text("aspect_id") or f"{crit.data['id']}.{len(crit.aspects) + 1}"
    data: dict[str, Any] = {"id": aid, "name": name or aid, "type": kind, "max": mx}
    if kind == "judgement":
        data["panel"] = opts.panel
        data["agreement"] = {"tolerance": opts.tolerance, "action": "hold"}
    text = [t for t in (r.text("extra"), r.text("requirement")) if t]
    if text:
        data["description"] = "\n".join(text)
    return _Aspect(r.row, data)


def _score(r: RowReader, aspect: _Aspect | None) -> None:
    if aspect is None or aspect.data["type"] != "judgement":
        r.error("score", "is a judgement score but not under a judgement (J) aspect; move it there")
        return
    v = r.raw("score")
    score = _whole(v)
    if score is None or not 0 <= score <= SCALE:
        r.error("score", f"{v!r} is not a judgement score; write 0, 1, 2 or 3")
        return
    if score in aspect.scores:
        r.error("score", f"score {score} of {aspect.data['id']} is given twice; keep one")
    text = r.text("extra")
    if text is None:
        r.error("extra", f"has no description of score {score}; say what a {score} means")
    aspect.scores[score] = text or ""


def _whole(v: Any) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str) and v.strip().isdigit():
        return int(v)
    return None


def _rows(table: Table, problems: list[Problem], opts: Options) -> list[_Criterion]:
    criteria: list[_Criterion] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        r = RowReader(table, number, cells, problems)
        before = len(problems)
        if r.raw("sub_criterion") is not None:
            c = _open_criterion(r, seen)
            if c is not None:
                criteria.append(c)
        last = criteria[-1] if criteria else None
        if r.raw("type") is not None:
            if last is None:
                r.error("sub_criterion", "this aspect has no sub-criterion; write its ID above")
            elif (a := _aspect(r, last, opts)) is not None:
                last.aspects.append(a)
        elif r.raw("score") is not None:
            _score(r, last.aspects[-1] if last and last.aspects else None)
        elif r.raw("aspect") is not None:
            r.error("type", "this aspect has no type; write M (measurement) or J (judgement)")
        if len(problems) > before and criteria:
            criteria[-1].broken = True
    return criteria


def _check(table: Table, criteria: list[_Criterion], problems: list[Problem]) -> None:
    def add(row: int, key: str, message: str) -> None:
        problems.append(table.problem(row, key, message))

    ids: dict[str, int] = {}
    id_column = "aspect_id" if table.has("aspect_id") else "aspect"
    for c in criteria:
        cid = c.data["id"]
        if not c.aspects:
            add(c.row, "sub_criterion", f"{cid} has no aspects; add M or J rows under it")
        for a in c.aspects:
            aid = a.data["id"]
            if aid in ids:
                add(a.row, id_column, f"aspect id {aid} is also on row {ids[aid]}; make it unique")
            ids.setdefault(aid, a.row)
            missing = [str(s) for s in range(SCALE + 1) if s not in a.scores]
            if a.data["type"] == "judgement" and missing:
                add(
                    a.row,
                    "score",
                    f"judgement aspect {aid} has no description of score {', '.join(missing)}; "
                    "add a row under it per score 0–3 with the score in this column and its "
                    f"description in {EXTRA!r}",
                )
        maxima = [a.data["max"] for a in c.aspects]
        if "max" not in c.data or not maxima or None in maxima or c.broken:
            continue  # a missing or bad max is reported on its own row
        total = sum((parse_number(m) for m in maxima), Fraction(0))
        if total != parse_number(c.data["max"]):
            add(
                c.row,
                "max",
                f"the aspects of {cid} add up to {fmt(total, 2)}, not {c.data['max']}; "
                "correct a max mark",
            )


def convert(table: Table, opts: Options | None = None) -> list[dict[str, Any]]:
    """The sheet's criteria in the competition-file format, with their aspects."""
    problems: list[Problem] = []
    criteria = _rows(table, problems, opts or Options())
    if not criteria and not problems:
        problems.append(
            table.problem(
                table.header_row, "sub_criterion", "no sub-criteria found; write A1, B1… in it"
            )
        )
    _check(table, criteria, problems)
    if problems:
        raise WorkbookError(problems)
    out = []
    for c in criteria:
        aspects = []
        for a in c.aspects:
            if a.data["type"] == "judgement":
                a.data["descriptions"] = [a.scores[s] for s in range(SCALE + 1)]
            aspects.append(a.data)
        out.append({**c.data, "aspects": aspects})
    return out


def merge(
    doc: dict[str, Any], program: str, criteria: list[dict[str, Any]], name: Any = None
) -> dict[str, Any]:
    """A copy of the document whose program has these criteria (the program is added if new)."""
    new = copy.deepcopy(doc)
    prog = find_program(new, program)
    if prog is None:
        prog = {"id": program, "name": name or program}
        new.setdefault("programs", []).append(prog)
    elif name:
        prog["name"] = name
    prog["criteria"] = criteria
    return new
