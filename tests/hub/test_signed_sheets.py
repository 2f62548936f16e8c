"""The signed sheets (issue 15): 评分表 per judge and 成绩汇总表 as A4 PDFs with Chinese fonts
embedded; an anonymous program prints codes until decryption. The PNGs go to
tests/artifacts/exports/ to be looked at."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from server.cli import main
from tests.anonymity_kit import BIBS, anonymous_competition, appears, draw
from tests.hubkit import HubProcess, judge, mark

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "exports"


def poppler(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: run ./scripts/install.sh (it installs poppler-utils)")
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


async def sheets(hub: HubProcess, out: Path) -> int:
    return await asyncio.to_thread(
        main,
        ["export", "sheets", "--competition", str(hub.competition_path), "--store", hub.store,
         "--out", str(out), "--program", "weld", "--base-url", "https://results.example.org"],
    )  # fmt: skip


def check_pdf(path: Path, name: str) -> str:
    info = poppler("pdfinfo", str(path))
    assert "595.276 x 841.89 pts (A4)" in info or "595.28 x 841.89 pts (A4)" in info, info
    fonts = poppler("pdffonts", str(path))
    assert "CJK" in fonts and all(
        line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip()
    ), fonts  # every font embedded
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    poppler("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / name))
    return poppler("pdftotext", "-layout", str(path), "-")


async def test_sheets_of_a_program_with_names(hub: HubProcess, tmp_path: Path) -> None:
    j1 = await judge(hub, "weld-j1")
    for i in (1, 2, 3):
        assert (await mark(j1, f"a{i}", "weld", f"weld-{i}", "B1", f"{5 + i}"))["type"] == "ack"
    await j1.send({"type": "signoff", "id": "s1", "program": "weld", "competitor": "weld-1"})
    await j1.recv_until(lambda f: f.get("id") == "s1")
    assert await sheets(hub, tmp_path) == 0
    text = check_pdf(tmp_path / "sheets" / "weld" / "评分表-weld-j1.pdf", "sheet-judge")
    assert "评分表" in text and "选手1" in text and "8.5" not in text
    line = next(t for t in text.splitlines() if "选手1" in t)
    assert "6" in line and "20" in line  # the mark and the sign-off's date (20xx-…)
    assert "裁判签字" in text and "裁判长签字" in text
    text = check_pdf(tmp_path / "sheets" / "weld" / "成绩汇总表.pdf", "sheet-summary")
    head = httpx.get(f"{hub.http}/api/v1/ledger/head").json()
    assert "成绩汇总表" in text and "选手3" in text and "监督" in text and "裁判长" in text
    flat = "".join(text.split())
    assert head["hash"][:40] in flat and "https://results.example.org/programs/weld" in flat
    assert text.index("选手3") < text.index("选手1")  # by rank: 8 > 6


async def test_an_anonymous_program_prints_codes_until_decryption(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", anonymous_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        station = f"{d['rows'][0]['workstation']:02d}"
        j1 = await judge(hub, "weld-j1")
        await j1.send({"type": "mark", "id": "m", "program": "weld", "competitor": station,
                       "aspect": "A1", "value": "2"})  # fmt: skip
        assert (await j1.recv_until(lambda f: f.get("id") == "m"))["type"] == "ack"
        second = d["rows"][0]["code"]  # the same competitor's B1, under the second code
        k1 = await judge(hub, "weld-k1")
        await k1.send({"type": "mark", "id": "k", "program": "weld", "competitor": second,
                       "aspect": "B1", "value": "7.5"})  # fmt: skip
        assert (await k1.recv_until(lambda f: f.get("id") == "k"))["type"] == "ack"
        assert await sheets(hub, tmp_path) == 0
    finally:
        hub.stop()
    text = check_pdf(tmp_path / "sheets" / "weld" / "评分表-weld-j1.pdf", "sheet-judge-anonymous")
    assert station in text
    text += check_pdf(tmp_path / "sheets" / "weld" / "成绩汇总表.pdf", "sheet-summary-anonymous")
    assert "未解密" in text
    # two layers: one table per layer, so no line pairs the workstation with the second code
    # or its B1 mark, and nothing joins the layers (no total, rank or award)
    summary = check_pdf(tmp_path / "sheets" / "weld" / "成绩汇总表.pdf", "sheet-summary-anonymous")
    (on_station,) = [ln for ln in summary.splitlines() if ln.strip().startswith(station)]
    (on_code,) = [ln for ln in summary.splitlines() if second in ln]
    assert "7.50" in on_code and "7.50" not in on_station and second not in on_station
    assert "Rank" not in summary and "奖项" not in summary and "Award" not in summary
    for bib in BIBS:
        # as a token of its own: bib 703 inside the ledger head hash printed on the sheet
        # (…d50816a05c703ac3a…) is no leak (a false failure seen in a full run)
        assert not appears(bib, text) and f"焊工{bib}" not in text


async def test_a_chief_who_marks_both_layers_gets_a_sheet_per_layer(tmp_path: Path) -> None:
    """The chief is assigned the whole program: a B1 mark typed under the second code must not
    print on the workstation number's line of the chief's sheet (that pairs the two codes)."""
    hub = HubProcess(tmp_path / "hub", anonymous_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        station, second = f"{d['rows'][0]['workstation']:02d}", d["rows"][0]["code"]
        chief = await judge(hub, "weld-chief")
        await chief.send({"type": "mark", "id": "c", "program": "weld", "competitor": second,
                          "aspect": "B1", "value": "8.5"})  # fmt: skip
        assert (await chief.recv_until(lambda f: f.get("id") == "c"))["type"] == "ack"
        assert await sheets(hub, tmp_path) == 0
    finally:
        hub.stop()
    out = tmp_path / "sheets" / "weld"
    on_site = check_pdf(out / "评分表-weld-chief.pdf", "sheet-chief-anonymous")
    (line,) = [ln for ln in on_site.splitlines() if ln.strip().startswith(station)]
    assert "8.5" not in line and "B1" not in on_site
    assert not [ln for ln in on_site.splitlines() if ln.strip().startswith(second)]
    later = check_pdf(out / "评分表-weld-chief-code.pdf", "sheet-chief-anonymous-code")
    (line,) = [ln for ln in later.splitlines() if ln.strip().startswith(second)]
    assert "8.5" in line
    assert not [ln for ln in later.splitlines() if ln.strip().startswith(station)]
