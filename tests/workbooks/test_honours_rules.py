"""The sample's honours rules as the issue states them, on the sample's own programs: 技术能手
for the top 5 of an individual program and the top 3 of a team program, promotion to 技师 for
优胜奖 and better (medals, Medallion, 一/二/三等奖), age and status (tag) eligibility.

test_honours_talent.py exports the candidates of a published individual program through a hub;
here each rule is checked at its edges, the team rank included (no published program of that
hub is a team program)."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import openpyxl
import pytest

from scoreboard import load_competition
from scoreboard.model import Competition
from server.exports.honours import Candidate, eligibility, matches, write
from server.exports.results import Line


@pytest.fixture(scope="module")
def sample() -> Competition:
    text = (files("scoreboard") / "samples" / "provincial2026.toml").read_text(encoding="utf-8")
    return load_competition(tomllib.loads(text))


def line(rank: int | None, award: str | None = None) -> Line:
    return Line(
        cid="x",
        rank=rank,
        bib="1",
        name={"zh": "甲", "en": "A"},
        members=[],
        delegation="DL",
        delegation_name={"zh": "大连", "en": "Dalian"},
        criteria={},
        components={},
        total="0",
        standardised="",
        award=award,
        titles=[],
        status="ok",
        provisional=False,
        guest=False,
    )


def test_the_expert_title_goes_to_the_top_5_or_the_top_3_teams(sample: Competition) -> None:
    expert = next(r for r in sample.plan.honours if r.id == "expert")
    solo, team = sample.programs["welding"], sample.programs["mechatronics"]
    assert not solo.team and team.team
    assert [r for r in range(1, 8) if matches(expert, solo, line(r))] == [1, 2, 3, 4, 5]
    assert [r for r in range(1, 8) if matches(expert, team, line(r))] == [1, 2, 3]
    assert matches(expert, solo, line(None)) is None  # no rank (a guest, not marked)


def test_promotion_to_technician_for_an_award_and_better(sample: Competition) -> None:
    rule = next(r for r in sample.plan.honours if r.kind == "promotion")
    prog = sample.programs["welding"]
    for award in ("gold", "silver", "bronze", "medallion", "一等奖", "二等奖", "三等奖"):
        assert matches(rule, prog, line(9, award)), award
    assert matches(rule, prog, line(9)) is None and matches(rule, prog, line(1)) is None


def test_eligibility_by_year_of_birth_and_tags(sample: Competition) -> None:
    expert = next(r for r in sample.plan.honours if r.id == "expert")
    rule = replace(expert, born_from=1986, tags=("employee",))
    who = next(iter(sample.programs["welding"].competitors.values()))
    assert eligibility(rule, replace(who, born=1986, tags=("employee",))) == (True, "")
    ok, why = eligibility(rule, replace(who, born=1985, tags=("employee",)))
    assert not ok and "1985 < 1986" in why
    ok, why = eligibility(rule, replace(who, born=None, tags=("employee",)))
    assert not ok and "unknown" in why
    ok, why = eligibility(rule, replace(who, born=1990, tags=()))
    assert not ok and "employee" in why


def test_a_team_candidate_is_listed_with_its_members(sample: Competition, tmp_path: Path) -> None:
    """The title goes to each person of a top-3 team: the approver sees who they are (the row
    named the team alone before)."""
    expert = next(r for r in sample.plan.honours if r.id == "expert")
    team = sample.programs["mechatronics"]
    cid, entry = next(iter(team.competitors.items()))
    assert entry.members
    members = [dict(m) for m in entry.members]
    row = replace(line(1), cid=cid, name=dict(entry.name), members=members)
    found = [Candidate(expert, team, row, "名次 rank 1 ≤ 3", True, "")]
    ws = openpyxl.load_workbook(write(tmp_path / "honours.xlsx", found, []))["honours"]
    name = str(ws.cell(2, 6).value)
    assert entry.name["zh"] in name
    assert all(m["zh"] in name and m["en"] in name for m in members), name
