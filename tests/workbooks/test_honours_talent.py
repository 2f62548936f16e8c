"""Honours candidates and the talent list: ``scorecast export honours`` lists whom the file's
rules name, eligible or not and why; ``/talent`` and ``scorecast export talent`` list the
consenting award winners of official programs, and never anyone who did not consent."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import openpyxl

from tests.hubkit import HubProcess
from tests.workbooks.conftest import BORN, CONSENT, api, export, verify_path


def names(rows: list[dict[str, object]]) -> dict[str, str]:
    return {r["competitor"]["id"]: r["competitor"]["name"]["zh"] for r in rows}  # type: ignore[index]


def test_honours_candidates_follow_the_rules_and_say_who_is_not_eligible(
    record: HubProcess, tmp_path: Path
) -> None:
    assert export(record, tmp_path, "honours") == 0
    ws = openpyxl.load_workbook(tmp_path / "honours.xlsx")["honours"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    board = api(record, "/api/v1/programs/robot/leaderboard")["rows"]
    by_bib = {r["competitor"]["bib"]: r for r in board}
    expert = [r for r in rows if str(r[1]).startswith("辽宁省技术能手")]
    # the top 5 of the (individual) published program, every one of them, and nobody else
    assert sorted(str(r[4]) for r in expert) == sorted(
        b for b, r in by_bib.items() if r["rank"] is not None and r["rank"] <= 5
    )
    for r in expert:
        born = BORN.get(int(str(r[4])))
        eligible = born is not None and born >= 1986
        assert r[10] == ("是 yes" if eligible else "否 no"), r
        if born is None:
            assert "unknown" in str(r[11])
        elif not eligible:
            assert str(born) in str(r[11])
    promoted = [r for r in rows if str(r[1]).startswith("晋升技师")]
    assert sorted(str(r[4]) for r in promoted) == sorted(
        b for b, r in by_bib.items() if r.get("award")
    )
    # programs not official yet have no candidates, and are named as such
    assert {r[3] for r in rows} - {None} and all(str(r[0]).startswith("工业机器人") for r in rows)
    skipped = [
        r[0]
        for r in openpyxl.load_workbook(tmp_path / "honours.xlsx")["not-official"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert skipped == ["weld", "cook", "cnc"]


def test_talent_lists_consenting_winners_only(record: HubProcess, tmp_path: Path) -> None:
    verify_path(record, tmp_path, "robot", "robot-1")  # makes the codes (certificates)
    every = {}
    for pid in ("weld", "cook", "cnc", "robot"):
        every.update(names(api(record, f"/api/v1/programs/{pid}/leaderboard")["rows"]))
    robot = api(record, "/api/v1/programs/robot/leaderboard")["rows"]
    listed = {
        r["competitor"]["id"]
        for r in robot
        if r.get("award") and int(r["competitor"]["bib"]) in CONSENT
    }
    assert listed and len(listed) < 3  # one winner did not consent
    for lang in ("zh", "en"):
        html = httpx.get(f"{record.http}/talent?lang={lang}", timeout=10).text
        shown = set(re.findall(r'<li data-id="([^"]+)"', html))
        assert shown == listed
        listed_names = {every[c] for c in listed}
        for cid, name in every.items():
            if cid not in listed:  # nobody else, consenting or not, winner or not
                assert f'/competitors/{cid}"' not in html, cid
                if name not in listed_names:  # the test names repeat across programs
                    assert name not in html, cid
        assert html.count("/verify/") == len(listed)
        assert 'href="mailto:talent@example.org"' in html
    for cid in listed:
        page = httpx.get(
            f"{record.http}/verify/"
            + re.findall(
                rf'data-id="{cid}".*?href="/verify/([^"]+)"',
                httpx.get(f"{record.http}/talent", timeout=10).text,
                re.S,
            )[0],
            timeout=10,
        )
        assert page.status_code == 200 and every[cid] in page.text
    assert export(record, tmp_path, "talent", "--base-url", record.http) == 0
    rows = list(
        openpyxl.load_workbook(tmp_path / "talent.xlsx")["talent"].iter_rows(
            min_row=2, values_only=True
        )
    )
    people = [r for r in rows if r and r[0] and not str(r[0]).startswith("联系")]
    assert sorted(str(r[2]).split(" ")[0] for r in people) == sorted(every[c] for c in listed)
    for r in people:
        assert str(r[7]).startswith(f"{record.http}/verify/")
        assert httpx.get(str(r[7]), timeout=10).status_code == 200
