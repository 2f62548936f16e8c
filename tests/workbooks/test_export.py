"""``scorecast export results``: the XLSX reopens with openpyxl and its totals equal the API's;
the PDF holds the text (pdftotext), embeds its CJK font, is A4 and renders (pdftoppm; the PNGs
go to tests/artifacts/exports/ to be looked at)."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from server.cli import main
from server.exports.workbook import FIRST_DATA_ROW
from tests.hubkit import HubProcess
from tests.workbooks.conftest import api, export

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "exports"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run ./scripts/install.sh (it installs poppler-utils)")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def sheet_rows(ws: object) -> list[dict[str, object]]:
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    # a column by its English header (the header's last line), a criterion by its id too
    head = [str(h).split("\n")[-1] for h in rows[FIRST_DATA_ROW - 2]]
    ids = [str(h).split(" ")[0] for h in rows[FIRST_DATA_ROW - 2]]
    return [
        {**dict(zip(head, r, strict=True)), **{f"#{i}": v for i, v in zip(ids, r, strict=True)}}
        for r in rows[FIRST_DATA_ROW - 1 :]
    ]


def test_the_workbook_reopens_and_its_totals_equal_the_api(
    record: HubProcess, tmp_path: Path
) -> None:
    assert export(record, tmp_path, "results") == 0
    book = openpyxl.load_workbook(tmp_path / "results.xlsx")
    assert book.sheetnames == ["weld", "cook", "cnc", "robot", "medals", "record"]
    for pid in ("weld", "robot"):  # live and published: the public sees the same totals
        board = api(record, f"/api/v1/programs/{pid}/leaderboard")
        want = {r["competitor"]["bib"]: r for r in board["rows"]}  # type: ignore[index]
        got = sheet_rows(book[pid])
        assert [str(r["Bib"]) for r in got] == [  # the board's order
            want_row["competitor"]["bib"]
            for want_row in board["rows"]  # type: ignore[index]
        ]
        for r in got:
            w = want[str(r["Bib"])]
            assert (r["Total"] is None and w["total"] is None) or Decimal(
                str(r["Total"])
            ) == Decimal(w["total"])
            assert (r["Rank"] or None) == w["rank"]
            for cid, value in w["criteria"].items():
                assert Decimal(str(r[f"#{cid}"])) == Decimal(value)
            if pid == "weld":  # standardised: the same score as the board's
                want_std = w.get("standardised")
                assert (r["Standardised"] is None and want_std is None) or Decimal(
                    str(r["Standardised"])
                ) == Decimal(want_std), (r, want_std)
        assert isinstance(got[0]["Total"], (int, float, Decimal))  # numbers, not text
    weld = api(record, "/api/v1/programs/weld/leaderboard")["rows"]  # type: ignore[index]
    assert any(r.get("standardised") for r in weld)
    robot = sheet_rows(book["robot"])
    published = api(record, "/api/v1/programs/robot/leaderboard")["rows"]  # type: ignore[index]
    awards = {r["competitor"]["bib"]: r.get("award") for r in published}
    assert [str(r["Bib"]) for r in robot if r["Award"]] == [b for b, a in awards.items() if a]
    assert str(book["robot"]["A2"].value).startswith("已公布")
    # the hidden program: the organizer's sheet has the results the public does not see
    cook = sheet_rows(book["cook"])
    assert all(r["Total"] is not None for r in cook)
    assert str(book["cook"]["A2"].value).startswith("成绩未公开")
    medals = {
        m["delegation"]: m["total"]
        for m in api(record, "/api/v1/medals")["medals"]  # type: ignore[index]
    }
    api_medals = api(record, "/api/v1/medals")["medals"]
    assert all((m["rank"] is None) == (m["total"] == 0) for m in api_medals)  # nothing: no rank
    rows = list(book["medals"].iter_rows(min_row=3, values_only=True))
    assert {r[1]: r[-2] for r in rows} == medals
    assert [r[0] for r in rows if r[-2]] == sorted(r[0] for r in rows if r[-2])  # ranked first
    assert all(r[0] in (None, "") for r in rows if not r[-2])  # no rank without a medal
    head = api(record, "/api/v1/ledger/head")
    info = {r[0]: r[1] for r in book["record"].iter_rows(values_only=True)}
    assert info["哈希 Ledger head hash"] == head["hash"]  # type: ignore[index]
    assert info["账本头 Ledger head seq"] == head["seq"]  # type: ignore[index]


def test_the_pdf_is_a4_holds_the_text_and_embeds_its_chinese_font(
    record: HubProcess, tmp_path: Path
) -> None:
    assert export(record, tmp_path, "results") == 0
    path = tmp_path / "results.pdf"
    info = poppler("pdfinfo", str(path))
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+", info), info
    text = poppler("pdftotext", str(path), "-")
    head = api(record, "/api/v1/ledger/head")
    assert head["hash"] in text.replace("\n", "")  # type: ignore[index]
    for words in (
        "焊接",
        "Welding",
        "成绩单",
        "Result sheet",
        "已公布：正式成绩",
        "Published: official",
    ):
        assert words in text, words
    robot = api(record, "/api/v1/programs/robot/leaderboard")["rows"]  # type: ignore[index]
    flat = re.sub(r"\s+", "", text)  # a long name wraps in its cell
    for r in robot:
        assert r["competitor"]["name"]["zh"] in flat and r["total"] in flat
    fonts = poppler("pdffonts", str(path))
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes " in line for line in cjk), fonts  # embedded, as a subset
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    poppler("pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / "results"))
    assert len(list(ARTIFACTS.glob("results-*.png"))) >= 4  # a page per program at least


def test_one_program_and_a_wrong_program(record: HubProcess, tmp_path: Path) -> None:
    assert export(record, tmp_path, "results", "--program", "robot") == 0
    book = openpyxl.load_workbook(tmp_path / "results-robot.xlsx")
    assert book.sheetnames == ["robot", "medals", "record"]
    with pytest.raises(SystemExit, match="not a program"):
        export(record, tmp_path, "results", "--program", "nope")


def test_a_store_without_a_record_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="does not exist: give the hub's --store"):
        main(["export", "--store", f"sqlite:///{tmp_path / 'nothing.db'}", "--out", str(tmp_path)])
    assert not (tmp_path / "nothing.db").exists() and not list(tmp_path.glob("*.xlsx"))


def test_nothing_of_the_pdf_runs_into_the_side_margins(record: HubProcess, tmp_path: Path) -> None:
    """A4 fit: every page's ink lies within print.css's 14 mm side margins (the signature lines
    were 3 x 50 mm with 2 x 20 mm between them, 190 mm on a 182 mm wide page: the last ran 8 mm
    into the right margin)."""
    from PIL import Image, ImageOps

    assert export(record, tmp_path, "results") == 0
    dpi = 100
    poppler("pdftoppm", "-png", "-r", str(dpi), str(tmp_path / "results.pdf"), str(tmp_path / "p"))
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 4
    for png in pages:
        ink = ImageOps.invert(Image.open(png).convert("L")).point(lambda v: 255 if v > 60 else 0)
        left, _, right, _ = ink.getbbox() or (0, 0, 0, 0)
        mm = 25.4 / dpi
        assert left * mm >= 14 - 0.5 and right * mm <= 210 - 14 + 0.5, (png.name, left, right)


def test_the_result_sheet_s_short_headers_stay_on_one_line(
    record: HubProcess, tmp_path: Path
) -> None:
    """The narrow columns' headers wrapped inside the word ("参赛/号", "标准/分"): each short header
    is on one line of every program's sheet (pdftotext -layout keeps the lines as printed)."""
    assert export(record, tmp_path, "results") == 0
    pages = poppler("pdftotext", "-layout", str(tmp_path / "results.pdf"), "-").split("\f")
    sheets = [p for p in pages if "Result sheet" in p]
    assert len(sheets) >= 4
    for page in sheets:
        for header in ("名次", "参赛号", "总分", "奖项"):
            assert header in page, (header, page[:1500])
    # the standardised score's column: weld has one (event_competition), its header whole
    # a short criterion name is whole too (weld's and robot's "B 工艺与安全")
    assert all("B 工艺与安全" in p for p in sheets if "Process" in p), sheets[0][:1500]
    std = [p for p in sheets if "Std." in p]
    assert std and all("标准分" in p for p in std), std[0][:1500]
