"""Bad workbooks: each problem names the sheet, row and column and says the fix; nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.cli import main
from server.workbooks import competitors, judges, marking_scheme
from tests.workbooks.kit import PEOPLE, SCHEME_ROWS, build, fill

SHEET = "sheet '选手 Competitors'"


@pytest.fixture
def into(tmp_path: Path) -> Path:
    path = tmp_path / "comp.toml"
    build(tmp_path, path)
    return path


def refused(into: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run the import; it must fail, leave the file as it was and leave no temporary file."""
    before = into.read_bytes() if into.exists() else None
    capsys.readouterr()
    assert main([*argv, "--into", str(into)]) == 1
    after = into.read_bytes() if into.exists() else None
    assert after == before
    assert [p.name for p in into.parent.iterdir() if p.name.endswith(".tmp")] == []
    return capsys.readouterr().err


def people(tmp: Path, rows: list[dict[str, Any]], columns: Any = competitors.COLUMNS) -> str:
    return str(fill(tmp / "blank" / "competitors.xlsx", tmp / "bad.xlsx", columns, rows))


def scheme(tmp: Path, rows: list[dict[str, Any]]) -> str:
    return str(
        fill(tmp / "blank" / "marking-scheme.xlsx", tmp / "bad.xlsx", marking_scheme.COLUMNS, rows)
    )


def test_missing_column(into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cols = tuple(c for c in competitors.COLUMNS if c.key != "delegation")
    book = fill(
        tmp_path / "blank" / "competitors.xlsx", tmp_path / "bad.xlsx", competitors.COLUMNS, PEOPLE
    )
    import openpyxl

    wb = openpyxl.load_workbook(book)
    wb.worksheets[0].delete_cols(4)  # the delegation column
    wb.save(book)
    assert cols  # the sheet now lacks 代表队 / Delegation
    err = refused(into, ["import", "competitors", str(book), "--program", "weld"], capsys)
    assert (
        f"bad.xlsx, {SHEET}, row 1: no column '代表队 / Delegation'; add a column headed 代表队 / Delegation"
        in err
    )


def test_unknown_delegation(into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(PEOPLE[0]), {**PEOPLE[1], "delegation": "XX"}]
    err = refused(
        into,
        ["import", "competitors", people(tmp_path, rows), "--program", "weld", "--drop-missing"],
        capsys,
    )
    assert (
        f"bad.xlsx, {SHEET}, row 3, column D (代表队 / Delegation): 'XX' is not a delegation; use one of AS, DL, SY"
        in err
    )


def test_duplicate_bib(into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [*PEOPLE, {**PEOPLE[2], "name_zh": "另一人"}]
    err = refused(
        into, ["import", "competitors", people(tmp_path, rows), "--program", "weld"], capsys
    )
    assert (
        f"bad.xlsx, {SHEET}, row 8, column A (选手号 / Bib): bib 103 is also on row 4; give each competitor their own bib"
        in err
    )


def test_id_typed_as_a_number(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [*PEOPLE[:5], {**PEOPLE[5], "national_id": 210202199001011106}]
    err = refused(
        into, ["import", "competitors", people(tmp_path, rows), "--program", "weld"], capsys
    )
    assert (
        "row 7, column F (身份证号 / National ID): is a number" in err
        and "format the column as text" in err
    )


def test_dropping_competitors_needs_the_flag(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["import", "competitors", people(tmp_path, PEOPLE[:4]), "--program", "weld"]
    err = refused(into, argv, capsys)
    assert (
        "2 competitor(s) of weld are in the file but not in the workbook and would be dropped: bibs 105, 106"
        in err
    )
    assert "--drop-missing" in err
    assert main([*argv, "--into", str(into), "--drop-missing"]) == 0
    assert "competitors 0 added, 4 updated, 2 dropped" in capsys.readouterr().out


def test_judgement_aspect_without_descriptions(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = SCHEME_ROWS[:-2]  # B1.2 without the descriptions of 2 and 3
    err = refused(into, ["import", "scheme", scheme(tmp_path, rows), "--program", "weld"], capsys)
    assert (
        "bad.xlsx, sheet '评分标准 Marking Scheme', row 11, column F (评判分 / Judg Score): judgement aspect B1.2 has no description of score 2, 3"
        in err
    )


def test_bad_numbers_and_types(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [dict(r) for r in SCHEME_ROWS]
    rows[1]["max"] = "one"
    rows[8]["type"] = "X"
    rows[4]["score"] = 7
    err = refused(into, ["import", "scheme", scheme(tmp_path, rows), "--program", "weld"], capsys)
    assert (
        "row 3, column J (分值 / Max Mark): 'one' is not a number; write a number like 2.5" in err
    )
    assert (
        "row 10, column C (类型 / Aspect Type M = Meas J = Judg): 'X' is not an aspect type; write M (measurement) or J (judgement)"
        in err
    )
    assert (
        "row 6, column F (评判分 / Judg Score): 7 is not a judgement score; write 0, 1, 2 or 3"
        in err
    )


def test_maxima_must_add_up(into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(r) for r in SCHEME_ROWS]
    rows[0]["max"] = "4.00"
    err = refused(into, ["import", "scheme", scheme(tmp_path, rows), "--program", "weld"], capsys)
    assert (
        "row 2, column J (分值 / Max Mark): the aspects of A1 add up to 3.00, not 4.00; correct a max mark"
        in err
    )


def test_a_result_that_would_not_load_is_not_written(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a judge marks criterion A1; a new scheme without A1 would leave that assignment dangling
    judge = [{"id": "j1", "program": "weld", "criteria": "A1"}]
    judge += [{"id": f"j{n}", "program": "weld"} for n in (2, 3, 4)]  # full panels
    book = fill(tmp_path / "blank" / "judges.xlsx", tmp_path / "j.xlsx", judges.COLUMNS, judge)
    assert main(["import", "judges", str(book), "--into", str(into)]) == 0
    rows = [
        {**r, "sub_criterion": "C1"} if r.get("sub_criterion") == "A1" else r for r in SCHEME_ROWS
    ]
    err = refused(into, ["import", "scheme", scheme(tmp_path, rows), "--program", "weld"], capsys)
    assert (
        "comp.toml: would not load after the import: judges[j1].assignments[0].criteria 'A1' is not a criterion of weld"
        in err
    )


def test_duplicate_sub_criterion(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [dict(r) for r in SCHEME_ROWS]
    rows[0]["sub_criterion"] = "B1"  # B1 twice
    err = refused(into, ["import", "scheme", scheme(tmp_path, rows), "--program", "weld"], capsys)
    assert (
        "row 9, column A (子标准编号 / Sub Criteria ID): B1 is also on row 2; give it one row"
        in err
    )


def test_competitors_need_the_program(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(
        into, ["import", "competitors", people(tmp_path, PEOPLE), "--program", "cook"], capsys
    )
    assert (
        "'cook' is not a program of the file (programs: weld); import its marking scheme first"
        in err
    )


def test_csv_competitors_utf8_and_gbk(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    head = "选手号,姓名,Name (en),代表队,工作单位,身份证号,同意推荐就业\n"
    body = "".join(
        f"{p['bib']},{p['name_zh']},{p['name_en']},{p['delegation']},单位,{p['national_id']},{p['talent_consent']}\n"
        for p in PEOPLE
    )
    for encoding in ("utf-8-sig", "gb18030"):
        path = tmp_path / f"people-{encoding}.csv"
        path.write_text(head + body.replace("选手106", "王强"), encoding=encoding)
        capsys.readouterr()
        assert (
            main(["import", "competitors", str(path), "--into", str(into), "--program", "weld"])
            == 0
        )
        assert "0 added, 6 updated, 0 dropped" in capsys.readouterr().out
        assert 'name = { zh = "王强", en = "Player 106" }' in into.read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(head + "101,李明,,ZZ,,,也许\n", encoding="utf-8")
    err = refused(
        into, ["import", "competitors", str(bad), "--program", "weld", "--drop-missing"], capsys
    )
    assert "bad.csv, row 2, column D (代表队 / Delegation): 'ZZ' is not a delegation" in err
    assert (
        "bad.csv, row 2, column G (同意推荐就业 / Talent listing consent): '也许' is not yes or no"
        in err
    )
