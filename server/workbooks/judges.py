"""Judge lists → the competition's ``judges``, one row per judge and program.

A judge who marks two programs has two rows with the same id (the name, delegation and role
may be left blank on the second). The workbook is the competition's whole list of judges: each
judge in it gets exactly the workbook's assignments; a judge in the file but not in the
workbook would be dropped, which is refused unless asked (``drop_missing``).

The people of the way to official results (issue 14) mark no program and have one row with
the program left blank: a delegation's leader (领队, with the delegation: one per delegation),
a supervisor (监督), an arbitrator (仲裁), a reviewer (复核). A supervisor, arbitrator or
reviewer given programs acts on those only; without, on every program. Judges and chiefs
need a program on every row.
"""

from __future__ import annotations

import copy
from typing import Any

from .competitors import Change
from .document import delegation_codes, find_program
from .problems import ImportRefused, Problem, WorkbookError
from .sheet import Column, RowReader, Table

COLUMNS = (
    Column("id", "裁判编号", "Judge ID", True, "j01", ("编号", "id", "judge")),
    Column("name_zh", "姓名", "Name (zh)", False, "王芳", ("中文姓名", "name")),
    Column("name_en", "英文名", "Name (en)", False, "Wang Fang", ("english name",)),
    Column("delegation", "代表队", "Delegation", False, "SY", ("代表团", "城市", "city")),
    Column("role", "角色", "Role", False, "裁判", ()),
    # required for judges and chiefs (a leader, supervisor, reviewer or arbitrator may leave it)
    Column("program", "项目", "Program", False, "weld", ("项目编号", "skill")),
    Column("criteria", "评分模块", "Criteria", False, "A1", ("子标准", "sub criteria")),
    Column("aspects", "评分项", "Aspects", False, "", ("aspect ids",)),
)
ROLES = {
    "judge": "judge",
    "expert": "judge",
    "裁判": "judge",
    "裁判员": "judge",
    "chief": "chief",
    "chief expert": "chief",
    "裁判长": "chief",
    "首席专家": "chief",
    # the people of the way to official results (issue 14)
    "supervisor": "supervisor",
    "监督": "supervisor",
    "监督员": "supervisor",
    "reviewer": "reviewer",
    "复核": "reviewer",
    "复核员": "reviewer",
    "leader": "leader",
    "领队": "leader",
    "arbitrator": "arbitrator",
    "仲裁": "arbitrator",
    "仲裁员": "arbitrator",
}


MARKS = ("judge", "chief")  # the roles that mark a program: a program on every row


def _assignment(r: RowReader, doc: dict[str, Any]) -> dict[str, Any] | None:
    pid = r.text("program")
    if pid is None:
        return None
    prog = find_program(doc, pid)
    if prog is None:
        ids = ", ".join(str(p.get("id")) for p in doc.get("programs") or [])
        r.error("program", f"{pid!r} is not a program of the file; use one of {ids}")
        return None
    out: dict[str, Any] = {"program": pid}
    crits = {str(c.get("id")): c for c in prog.get("criteria") or []}
    aspects = {str(a.get("id")) for c in crits.values() for a in c.get("aspects") or []}
    for key, known in (("criteria", set(crits)), ("aspects", aspects)):
        items = r.items(key)
        if not items:
            continue
        wrong = [x for x in items if x not in known]
        if wrong:
            r.error(key, f"{', '.join(wrong)} not in {pid}; use ids of {pid}: {', '.join(known)}")
        out[key] = items
    return out


def _person(r: RowReader, codes: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    zh, en = r.text("name_zh"), r.text("name_en")
    if zh or en:
        out["name"] = {"zh": zh, "en": en} if zh and en else zh or en
    deleg = r.text("delegation")
    if deleg is not None:
        if codes and deleg.casefold() not in codes:
            known = ", ".join(sorted(set(codes.values())))
            r.error("delegation", f"{deleg!r} is not a delegation; use one of {known}")
        else:
            out["delegation"] = codes.get(deleg.casefold(), deleg)
    role = r.text("role")
    if role is not None:
        if role.casefold() not in ROLES:
            r.error(
                "role",
                f"{role!r} is not a role; write 裁判 (judge), 裁判长 (chief), 监督 (supervisor), "
                "复核 (reviewer), 领队 (leader) or 仲裁 (arbitrator)",
            )
        else:
            out["role"] = ROLES[role.casefold()]
    return out


def convert(table: Table, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The judges of a sheet with their assignments, checked against the file's programs."""
    problems: list[Problem] = []
    codes = delegation_codes(doc)
    judges: dict[str, dict[str, Any]] = {}
    rows: dict[str, list[tuple[int, bool]]] = {}  # judge → (row, has a program) of each row
    for number, cells in table.rows:
        r = RowReader(table, number, cells, problems)
        jid = r.text("id")
        if jid is None:
            r.error("id", "has no judge id; give every judge an id (they sign in with it)")
            continue
        judge = judges.setdefault(jid, {"id": jid, "assignments": []})
        for k, v in _person(r, codes).items():
            if k in judge and judge[k] != v:
                r.error(None, f"judge {jid} has another {k} on an earlier row; make them agree")
            judge[k] = v
        a = _assignment(r, doc)
        rows.setdefault(jid, []).append((number, r.text("program") is not None))
        if a is not None:
            if any(x["program"] == a["program"] for x in judge["assignments"]):
                r.error("program", f"judge {jid} is already assigned to {a['program']}")
            judge["assignments"].append(a)
    _roles(table, judges, rows, problems)
    if problems:
        raise WorkbookError(problems)
    return list(judges.values())


def _roles(
    table: Table,
    judges: dict[str, dict[str, Any]],
    rows: dict[str, list[tuple[int, bool]]],
    problems: list[Problem],
) -> None:
    """What each role needs once all its rows are read: a judge or chief a program on every row,
    a leader (领队) a delegation, no program, and no second leader of that delegation."""
    leaders: dict[str, tuple[str, int]] = {}
    for jid, judge in judges.items():
        role = judge.get("role", "judge")
        first = rows[jid][0][0]
        if role in MARKS:
            for number, has_program in rows[jid]:
                if not has_program:
                    problems.append(
                        table.problem(
                            number,
                            "program",
                            f"judge {jid} has no program; a judge (裁判) or chief (裁判长) marks "
                            "a program: give its id (only 领队, 监督, 复核 and 仲裁 leave it blank)",
                        )
                    )
            continue
        if role != "leader":
            continue
        if judge["assignments"]:
            problems.append(
                table.problem(
                    first,
                    "program",
                    f"{jid} is a leader (领队): a leader marks no program; leave 项目 blank",
                )
            )
        deleg = judge.get("delegation")
        if deleg is None:
            problems.append(
                table.problem(
                    first,
                    "delegation",
                    f"{jid} is a leader (领队) with no delegation; give the delegation they "
                    "appeal for",
                )
            )
        elif deleg in leaders:
            other, row = leaders[deleg]
            problems.append(
                table.problem(
                    first,
                    "delegation",
                    f"delegation {deleg} has a leader already ({other}, row {row}); a delegation "
                    "has one leader credential (领队): keep one",
                )
            )
        else:
            leaders[deleg] = (jid, first)


def merge(
    doc: dict[str, Any], judges: list[dict[str, Any]], drop_missing: bool, source: str
) -> tuple[dict[str, Any], Change]:
    new = copy.deepcopy(doc)
    old = {str(j.get("id")): j for j in new.get("judges") or []}
    change = Change()
    for j in judges:
        (change.updated if j["id"] in old else change.added).append(j["id"])
    change.dropped = [i for i in old if i not in {j["id"] for j in judges}]
    if change.dropped and not drop_missing:
        raise ImportRefused(
            [
                Problem(
                    source,
                    None,
                    None,
                    None,
                    f"{len(change.dropped)} judge(s) are in the file but not in the workbook and "
                    f"would be dropped: {', '.join(change.dropped)}; add them to the workbook, "
                    "or import again with --drop-missing to remove them",
                )
            ]
        )
    new["judges"] = [{k: v for k, v in j.items() if v != []} for j in judges]
    return new, change
