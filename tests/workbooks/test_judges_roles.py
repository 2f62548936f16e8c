"""The judges workbook with the people of the way to official results (issue 14): a leader (领队)
per delegation, a supervisor (监督), an arbitrator (仲裁) and a reviewer (复核) have rows with no
program; judges and chiefs still need one. Two leaders of one delegation, a leader without a
delegation or with a program are refused with the row, the column and the fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scoreboard import load_competition
from scoreboard.kinds import Role
from server.cli import main
from server.workbooks import judges
from tests.workbooks.kit import build, fill

PANEL: list[dict[str, Any]] = [
    {"id": "c1", "role": "裁判长", "program": "weld"},
    {"id": "j1", "delegation": "SY", "program": "weld"},
    {"id": "j2", "delegation": "DL", "program": "weld"},
    {"id": "j3", "delegation": "AS", "program": "weld"},
]
PEOPLE: list[dict[str, Any]] = [
    {"id": "lead-sy", "name_zh": "沈阳领队", "role": "领队", "delegation": "沈阳"},
    {"id": "lead-dl", "role": "leader", "delegation": "DL"},
    {"id": "sup", "name_zh": "监督员", "role": "监督"},
    {"id": "arb", "role": "仲裁"},
    {"id": "rev", "role": "复核"},
    {"id": "rev-weld", "role": "reviewer", "program": "weld"},
]


@pytest.fixture
def into(tmp_path: Path) -> Path:
    path = tmp_path / "comp.json"
    build(tmp_path, path)
    return path


def book(tmp: Path, rows: list[dict[str, Any]]) -> str:
    return str(fill(tmp / "blank" / "judges.xlsx", tmp / "j.xlsx", judges.COLUMNS, rows))


def test_rows_for_the_roles_that_mark_no_program(into: Path, tmp_path: Path) -> None:
    assert main(["import", "judges", book(tmp_path, PANEL + PEOPLE), "--into", str(into)]) == 0
    comp = load_competition(json.loads(into.read_text()))
    roles = {j.id: (j.role, j.delegation, [a.program for a in j.assignments]) for j in comp.judges.values()}  # fmt: skip
    assert roles["lead-sy"] == (Role.LEADER, "SY", [])
    assert roles["lead-dl"] == (Role.LEADER, "DL", [])
    assert roles["sup"] == (Role.SUPERVISOR, None, [])
    assert roles["arb"] == (Role.ARBITRATOR, None, [])
    assert roles["rev"] == (Role.REVIEWER, None, [])  # reviews every program
    assert roles["rev-weld"] == (Role.REVIEWER, None, ["weld"])  # reviews weld only
    assert roles["c1"][0] is Role.CHIEF and roles["j1"][2] == ["weld"]


def refused(into: Path, path: str, capsys: pytest.CaptureFixture[str]) -> str:
    before = into.read_bytes()
    capsys.readouterr()
    assert main(["import", "judges", path, "--into", str(into)]) == 1
    assert into.read_bytes() == before
    return capsys.readouterr().err


def test_two_leaders_of_one_delegation_are_refused_with_both_rows(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = PANEL + [
        {"id": "lead-sy", "role": "领队", "delegation": "SY"},
        {"id": "lead-sy2", "role": "领队", "delegation": "沈阳"},
    ]
    err = refused(into, book(tmp_path, rows), capsys)
    assert (
        "row 7, column D (代表队 / Delegation): delegation SY has a leader already (lead-sy, "
        "row 6); a delegation has one leader credential (领队): keep one"
    ) in err
    assert "Traceback" not in err


def test_a_leader_needs_a_delegation_and_no_program_and_a_judge_a_program(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = PANEL + [
        {"id": "lead-x", "role": "领队"},
        {"id": "lead-dl", "role": "领队", "delegation": "DL", "program": "weld"},
        {"id": "j9", "delegation": "SY"},
    ]
    err = refused(into, book(tmp_path, rows), capsys)
    assert (
        "row 6, column D (代表队 / Delegation): lead-x is a leader (领队) with no delegation" in err
    )
    assert (
        "row 7, column F (项目 / Program): lead-dl is a leader (领队): a leader marks no program"
        in err
    )
    assert "row 8, column F (项目 / Program): judge j9 has no program" in err


def test_the_template_shows_the_roles_and_imports_as_it_is(tmp_path: Path) -> None:
    blank, into = tmp_path / "blank", tmp_path / "comp.json"
    assert main(["template", "--out", str(blank)]) == 0
    for kind, name in (("scheme", "marking-scheme.xlsx"), ("competitors", "competitors.xlsx")):
        args = ["import", kind, str(blank / name), "--into", str(into), "--program", "weld"]
        assert main(args) == 0
    assert main(["import", "judges", str(blank / "judges.xlsx"), "--into", str(into)]) == 0
    comp = load_competition(json.loads(into.read_text()))
    roles = {j.role for j in comp.judges.values()}
    assert {Role.LEADER, Role.SUPERVISOR, Role.ARBITRATOR, Role.REVIEWER} <= roles
    leaders = [j for j in comp.judges.values() if j.role is Role.LEADER]
    assert leaders and all(j.delegation and not j.assignments for j in leaders)
