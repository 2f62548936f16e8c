"""Certificates (获奖证书): a PDF page per award winner of an official program, A4 landscape,
zh and en, with the verification code and a QR code that opens ``/verify/{code}``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import segno

from scoreboard.model import Name

from . import pdf
from .codes import code
from .record_index import Official, Replayed
from .results import Line, Sheet, sheets


@dataclass
class Certificate:
    sheet: Sheet
    line: Line
    code: str
    url: str
    qr: str  # an SVG data URI

    @property
    def official(self) -> Official | None:
        return self.sheet.official

    @property
    def venue(self) -> Name | None:
        return self.sheet.venue


def verify_url(base_url: str, verify_code: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{verify_code}"


def winners(rec: Replayed, key: str, base_url: str, program: str | None) -> list[Certificate]:
    """A certificate for each award winner of each official program (others have none yet)."""
    out = []
    for s in sheets(rec, program):
        if not s.is_official:
            continue
        for line in s.lines:
            if not line.award:
                continue
            c = code(key, rec.competition.id, s.program.id, line.cid)
            url = verify_url(base_url, c)
            qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
            out.append(Certificate(s, line, c, url, qr))
    return out


def write(rec: Replayed, certs: list[Certificate], out: Path) -> list[Path]:
    """``out/<program>/<bib>-<competitor id>.pdf`` for each certificate."""
    written = []
    for cert in certs:
        path = out / cert.sheet.program.id / f"{cert.line.bib}-{cert.line.cid}.pdf"
        written.append(
            pdf.write(
                path,
                "certificate.html",
                "certificate.css",
                competition=rec.competition,
                cert=cert,
            )
        )
    return written
