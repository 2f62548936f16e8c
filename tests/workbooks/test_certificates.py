"""Certificates and ``/verify/{code}``: each award winner of a published program gets an A4
landscape 获奖证书 whose QR code (decoded with zxing-cpp from the rendered page) opens the
verify page, which shows the result and the ledger event that published it; a wrong code, or
a code of a program that is not official, shows nothing; the codes survive a restart."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import zxingcpp
from PIL import Image

from server.cli import main
from server.exports.codes import ALPHABET, code
from tests.hubkit import HubProcess
from tests.workbooks.conftest import api, export, stored_secret
from tests.workbooks.test_export import ARTIFACTS, poppler


def certificates(hub: HubProcess, out: Path) -> dict[str, Path]:
    assert export(hub, out, "certificates", "--base-url", hub.http) == 0
    return {p.stem.split("-", 1)[1]: p for p in sorted((out / "certificates").rglob("*.pdf"))}


def publication(hub: HubProcess, tmp: Path, program: str) -> tuple[int, str]:
    """The seq and hash of the event that published ``program``, from scorecast export-ledger."""
    out = tmp / "ledger.jsonl"
    args = ["--competition", str(hub.competition_path), "--store", hub.store, "--out", str(out)]
    assert main(["export-ledger", *args]) == 0
    for line in out.read_text().splitlines():
        e = json.loads(line)
        if e["fields"].get("program") != program:
            continue
        # official: the hub's final event (issue 14), or an old ledger's publish
        if e["kind"] == "final" or (
            e["kind"] == "visibility" and e["fields"]["visibility"] == "published"
        ):
            found = (e["seq"], e["hash"])
    return found


def qr_text(pdf: Path) -> str:
    png = pdf.with_suffix("")
    poppler("pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(png))
    [barcode] = zxingcpp.read_barcodes(Image.open(f"{png}.png"))
    return str(barcode.text)


def test_every_winner_gets_a_certificate_whose_qr_opens_the_recorded_result(
    record: HubProcess, tmp_path: Path
) -> None:
    certs = certificates(record, tmp_path)
    board = api(record, "/api/v1/programs/robot/leaderboard")["rows"]
    winners = {r["competitor"]["id"]: r for r in board if r.get("award")}
    assert set(certs) == set(winners) and len(winners) == 3  # only robot is published
    seq, digest = publication(record, tmp_path, "robot")
    for cid, pdf in certs.items():
        row = winners[cid]
        info = poppler("pdfinfo", str(pdf))
        assert re.search(r"Page size:\s+841\.\d+ x 595\.\d+", info) and re.search(
            r"Pages:\s+1\n", info
        )
        text = poppler("pdftotext", str(pdf), "-")
        flat = re.sub(r"\s+", "", text)
        assert "获奖证书" in flat and "CertificateofAward" in flat
        assert row["competitor"]["name"]["zh"] in flat and row["competitor"]["name"]["en"] in text
        assert {"gold": "金牌", "silver": "银牌", "bronze": "铜牌"}[row["award"]] in text
        [printed] = set(re.findall(rf"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}", text))
        url = qr_text(pdf)
        assert url == f"{record.http}/verify/{printed}"
        page = httpx.get(url, timeout=10)
        assert page.status_code == 200, page.text[:300]
        html = page.text
        assert row["competitor"]["name"]["zh"] in html and f"seq {seq}" in html
        assert digest in html and "最终成绩" in html
        assert re.search(rf'data-verify="rank">{row["rank"]}<', html)
        assert re.search(r'data-verify="award">(金牌|银牌|铜牌)<', html)
    (ARTIFACTS / "certificate.png").parent.mkdir(parents=True, exist_ok=True)
    first = next(iter(certs.values()))
    Image.open(f"{first.with_suffix('')}.png").save(ARTIFACTS / "certificate.png")


def test_a_wrong_code_or_an_unofficial_result_shows_nothing(
    record: HubProcess, tmp_path: Path
) -> None:
    certs = certificates(record, tmp_path)
    key = stored_secret(record)
    names = [
        r["competitor"]["name"]["zh"]
        for pid in ("weld", "cook", "cnc", "robot")
        for r in api(record, f"/api/v1/programs/{pid}/leaderboard")["rows"]
    ]
    real = code(key, "test2026", "robot", next(iter(certs)))
    wrong = real[:-1] + ("0" if real[-1] != "0" else "1")
    hidden = code(key, "test2026", "cook", "cook-1")  # a real code of a hidden program
    no_award = code(key, "test2026", "robot", "robot-7")
    assert not api(record, "/api/v1/competitors/robot-7")["row"].get("award")
    pages = set()
    for bad in (wrong, hidden, no_award, "nonsense", "0" * 12, real + "0"):
        page = httpx.get(f"{record.http}/verify/{bad}", timeout=10)
        assert page.status_code == 404
        assert not any(n in page.text for n in names)
        assert "robot" not in page.text and "seq" not in page.text
        # the same page whatever the reason (only its own address, in the language links, and
        # the printing time differ): nothing tells a real code of a hidden program from noise
        same = re.sub(r"<time data-printed>[^<]*</time>", "", page.text.replace(bad, "CODE"))
        pages.add(same)
    assert len(pages) == 1
    # typed from paper: lower case, no dashes, O for 0
    typed = real.replace("-", "").lower().replace("0", "o")
    assert httpx.get(f"{record.http}/verify/{typed}", timeout=10).status_code == 200


def test_codes_are_the_same_after_a_restart_and_a_second_export(
    record: HubProcess, tmp_path: Path
) -> None:
    first = {cid: qr_text(p) for cid, p in certificates(record, tmp_path / "1").items()}
    record.stop()
    record.start()
    second = {cid: qr_text(p) for cid, p in certificates(record, tmp_path / "2").items()}
    assert first == second
    for url in second.values():
        assert httpx.get(url, timeout=10).status_code == 200


def test_a_long_delegation_name_stays_on_one_line_of_the_certificate(
    record: HubProcess, tmp_path: Path
) -> None:
    """李娜（锦州市职业技术学院与辽西装备制造产业学院联合代表队）wrapped its 队） onto a second line at
    24 pt: the name and delegation are one line in Chinese and one in English on every
    certificate, the long one in a smaller font (pdftotext -layout keeps the printed lines)."""
    certs = certificates(record, tmp_path)
    board = api(record, "/api/v1/programs/robot/leaderboard")["rows"]
    names = {r["competitor"]["id"]: r["competitor"]["name"] for r in board}
    longest = 0
    for cid, pdf in certs.items():
        lines = poppler("pdftotext", "-layout", str(pdf), "-").splitlines()
        [zh] = [s.strip() for s in lines if names[cid]["zh"] + "（" in s]
        [en] = [s.strip() for s in lines if names[cid]["en"] + " (" in s]
        assert zh.endswith("）") and en.endswith(")"), (zh, en)
        longest = max(longest, len(zh))
    (ARTIFACTS / "certificates").mkdir(parents=True, exist_ok=True)
    for cid, pdf in certs.items():
        poppler(
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-singlefile",
            str(pdf),
            str(ARTIFACTS / "certificates" / cid),
        )
    assert longest >= 28  # the long delegation is among the winners
