"""Templates filled in → imported → a file that loads and runs a real hub; IDs stay private."""

from __future__ import annotations

import json
import tomllib
from fractions import Fraction
from pathlib import Path

import httpx
import openpyxl

from scoreboard import load_competition
from server.cli import main
from server.workbooks import competitors, judges, templates
from tests.hubkit import HubProcess, viewer
from tests.workbooks.kit import IDS, build, fill


def test_templates_have_zh_en_headers_and_an_example(tmp_path: Path) -> None:
    assert main(["template", "--out", str(tmp_path)]) == 0
    for name, columns in (
        ("competitors.xlsx", competitors.COLUMNS),
        ("judges.xlsx", judges.COLUMNS),
    ):
        ws = openpyxl.load_workbook(tmp_path / name).worksheets[0]
        header = [c.value for c in ws[1]]
        assert header[0] == columns[0].header + " *"  # required columns are starred
        assert all(" / " in str(h) for h in header)
        # one example competitor; a whole example panel of judges (a chief and four judges)
        # and the people of the lifecycle (a leader, a supervisor, a reviewer, an arbitrator)
        assert ws.max_row == (10 if name == "judges.xlsx" else 2) and ws.cell(2, 1).value
    scheme = openpyxl.load_workbook(tmp_path / "marking-scheme.xlsx").worksheets[0]
    assert scheme.max_row == len(templates.SCHEME_EXAMPLE) + 1
    # the blank templates import as they are: the example is a valid example
    into = tmp_path / "c.toml"
    assert (
        main(
            [
                "import",
                "scheme",
                str(tmp_path / "marking-scheme.xlsx"),
                "--into",
                str(into),
                "--program",
                "weld",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "import",
                "competitors",
                str(tmp_path / "competitors.xlsx"),
                "--into",
                str(into),
                "--program",
                "weld",
            ]
        )
        == 0
    )
    assert main(["import", "judges", str(tmp_path / "judges.xlsx"), "--into", str(into)]) == 0
    comp = load_competition(tomllib.loads(into.read_text()))
    assert (
        list(comp.judges)
        == ["c01", "j01", "j02", "j03", "j04", "lead-sy", "sup01", "rev01", "arb01"]
        and comp.programs["weld"].competitors["weld-101"].talent_consent
    )


def test_toml_file_holds_the_scheme_and_the_private_fields(tmp_path: Path) -> None:
    into = tmp_path / "comp.toml"
    build(tmp_path, into)
    data = tomllib.loads(into.read_text(encoding="utf-8"))
    prog = load_competition(data).programs["weld"]
    assert list(prog.criteria) == ["A1", "B1"] and prog.criteria["B1"].max == 7.5
    tidy = prog.aspects["A1.2"]
    assert tidy.type == "judgement" and tidy.panel == 3 and tidy.max == 2
    assert [d["en"] for d in tidy.descriptions] == [
        "below industry standard", "meets industry standard", "exceeds it in some respects", "excellent",
    ]  # fmt: skip
    assert prog.aspects["B1.1"].type == "measurement" and prog.aspects["B1.1"].description == {
        "zh": "1-2 mm",
        "en": "1-2 mm",
    }
    c = prog.competitors["weld-101"]
    assert (c.bib, c.delegation, c.national_id, c.workplace) == (
        "101",
        "DL",
        IDS["101"],
        "大连市技师学院",
    )
    assert [x.delegation for x in prog.competitors.values()][:3] == ["DL", "SY", "AS"]
    assert [x.talent_consent for x in prog.competitors.values()][:2] == [True, False]
    assert IDS["101"] not in repr(c)


async def test_imported_file_runs_a_hub_and_ids_never_go_public(tmp_path: Path) -> None:
    build(tmp_path, tmp_path / "hub" / "competition.json")
    hub = HubProcess(tmp_path / "hub").start()
    try:
        programs = httpx.get(f"{hub.http}/api/v1/programs").json()
        assert [p["id"] for p in programs] == ["weld"]
        people = httpx.get(f"{hub.http}/api/v1/programs/weld/competitors").json()
        assert [p["bib"] for p in people] == list(IDS)
        assert people[0]["name"] == {"zh": "选手101", "en": "Player 101"}
        public = [
            "/api/v1/competition", "/api/v1/programs", "/api/v1/programs/weld",
            "/api/v1/programs/weld/leaderboard", "/api/v1/programs/weld/competitors",
            "/api/v1/competitors/weld-101", "/api/v1/medals", "/", "/programs/weld",
            "/competitors/weld-101", "/delegations/DL", "/medals", "/display/program/weld",
            "/feeds/programs/weld.json", "/feeds/programs/weld.csv", "/feeds/programs/weld.xml",
        ]  # fmt: skip
        for path in public:
            r = httpx.get(f"{hub.http}{path}")
            assert r.status_code == 200, path
            for secret in IDS.values():
                assert secret not in r.text, path
        v = await viewer(hub, "program:weld")
        snapshot = json.dumps(await v.recv(), ensure_ascii=False)
        assert "选手101" in snapshot and not any(s in snapshot for s in IDS.values())
    finally:
        hub.stop()


def test_judges_workbook_assigns_programs_and_aspects(tmp_path: Path) -> None:
    into = tmp_path / "comp.json"
    build(tmp_path, into)
    rows = [
        {"id": "c1", "name_zh": "张三", "role": "裁判长", "program": "weld"},
        {"id": "j1", "name_zh": "李四", "name_en": "Li Si", "delegation": "沈阳", "program": "weld", "criteria": "A1、B1"},
        {"id": "j2", "delegation": "DL", "role": "judge", "program": "weld", "aspects": "A1.2; B1.2"},
        {"id": "j3", "delegation": "AS", "program": "weld"},  # a panel of 3 for everyone (COI)
    ]  # fmt: skip
    book = fill(tmp_path / "blank" / "judges.xlsx", tmp_path / "j.xlsx", judges.COLUMNS, rows)
    assert main(["import", "judges", str(book), "--into", str(into)]) == 0
    comp = load_competition(json.loads(into.read_text()))
    assert comp.judges["c1"].role == "chief" and comp.judges["j1"].delegation == "SY"
    assert comp.judges["j1"].assignments[0].criteria == frozenset({"A1", "B1"})
    assert comp.judges["j2"].assignments[0].aspects == frozenset({"A1.2", "B1.2"})


def test_a_worldskills_cis_sheet_as_exported(tmp_path: Path) -> None:
    """Title rows above the header, headers over several lines, English only, extra columns."""
    book = openpyxl.Workbook()
    ws = book.worksheets[0]
    ws.title = "CIS Marking Scheme Import"
    ws.append(["WSC2019 09 IT Software Solutions for Business"])
    ws.append([])
    ws.append(["Criterion", "Sub Criterion\nID", "Sub Criterion\nName or Description", "Aspect\nType\nM = Meas\nJ = Judg",
               "Aspect - Description", "Judg\nScore", "Extra Aspect Description (Meas or Judg)\nOR\nJudgement Score Description (Judg only)",
               "Requirement or Nominal\nSize (Meas Only)", "WSSS Section", "Day of Marking", "Max\nMark"])  # fmt: skip
    ws.append(
        [
            "A",
            "A1",
            "Session 1 - Correct delivery of all tasks",
            None,
            None,
            None,
            None,
            None,
            None,
            1,
        ]
    )
    ws.append(
        [
            None,
            None,
            None,
            "M",
            "Proper time and work management",
            None,
            None,
            "All tasks delivered",
            1,
            None,
            0.4,
        ]
    )
    ws.append(
        [None, None, None, "J", "Code readability", None, "Naming and layout", None, 5, None, 0.6]
    )
    for score, text in enumerate(["Unreadable", "Readable", "Consistent", "Exemplary"]):
        ws.append([None, None, None, None, None, score, text])
    book.save(tmp_path / "cis.xlsx")
    into = tmp_path / "cis.json"
    assert (
        main(
            ["import", "scheme", str(tmp_path / "cis.xlsx"), "--into", str(into), "--program", "it"]
        )
        == 0
    )
    prog = load_competition(json.loads(into.read_text())).programs["it"]
    assert prog.aspects["A1.1"].max == Fraction("0.4") and prog.aspects["A1.1"].description == {
        "zh": "All tasks delivered",
        "en": "All tasks delivered",
    }
    assert (
        prog.aspects["A1.2"].type == "judgement"
        and prog.aspects["A1.2"].descriptions[3]["en"] == "Exemplary"
    )
    assert prog.criteria["A1"].name["en"] == "Session 1 - Correct delivery of all tasks"
