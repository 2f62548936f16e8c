"""``scorecast export``: the organizer's documents, read from the record (the ledger).

The export replays the ledger on the competition it records (as ``scorecast verify`` does),
so it needs no running hub and prints what the record holds at its head.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import competition_file
from ..config import Settings
from ..errors import ConfigError
from ..ledger import namespace, open_ledger
from . import certificates, honours, pdf, results, talent, workbook
from .codes import secret
from .record_index import Replayed, replay

KINDS = ("results", "certificates", "honours", "talent")
HELP = """\
Write the organizer's documents from the record (docs/organizers.md):

  scorecast export results --competition F --store URL --out DIR [--program ID]
      DIR/results.xlsx (a sheet per program, the medal and points table) and DIR/results.pdf
      (A4, a result sheet per program: zh/en, venue, dates, state, the ledger head hash)
  scorecast export certificates --competition F --store URL --out DIR --base-url URL
      DIR/certificates/<program>/<bib>-<id>.pdf: 获奖证书 for each award winner of each
      published program, with a verification code and a QR code opening URL/verify/<code>
  scorecast export honours --competition F --store URL --out DIR
      DIR/honours.xlsx: the candidates the file's honours rules name, per published program,
      eligible or not and why, with a column to mark the approval
  scorecast export talent --competition F --store URL --out DIR [--base-url URL]
      DIR/talent.xlsx: the consenting award winners (as /talent shows them) for employers
"""


def configure(sub: Any, add_settings: Callable[..., None]) -> None:
    exp = sub.add_parser(
        "export",
        help="official results (XLSX, PDF), certificates, honours, talent list",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("what", choices=KINDS, nargs="?", default="results")
    add_settings(exp, ("competition", "store"))
    exp.add_argument("--out", type=Path, default=Path("."), help="the folder (default: here)")
    exp.add_argument("--program", default=None, help="only this program (default: all)")
    exp.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="the public site's address printed on certificates, e.g. https://results.example.org",
    )


async def read_record(settings: Settings, make_secret: bool = False) -> tuple[Replayed, str]:
    if settings.store.startswith("sqlite:///") and not Path(settings.store[10:]).exists():
        raise ConfigError(f"the store {settings.store} does not exist: give the hub's --store")
    data, competition = competition_file.load(settings.competition or None)
    ledger = open_ledger(settings.store, namespace(competition.id))
    await ledger.open()
    try:
        rec = await replay(ledger, data, competition)
        key = await secret(ledger, create=make_secret and rec.head[0] > 0) or ""
    finally:
        await ledger.close()
    if rec.head[0] == 0:
        raise ConfigError(
            f"the store {settings.store} holds no record: give the --store the hub runs with "
            "(scorecast serve --store URL)"
        )
    return rec, key


def check_program(rec: Replayed, program: str | None) -> None:
    if program is not None and program not in rec.competition.programs:
        known = ", ".join(list(rec.competition.programs)[:12])
        raise ConfigError(f"--program {program!r} is not a program of the competition ({known})")


def export_results(rec: Replayed, out: Path, program: str | None) -> list[Path]:
    sheets = results.sheets(rec, program)
    medals = results.medal_lines(rec.board, rec.competition)
    stem = f"results-{program}" if program else "results"
    xlsx = workbook.write(out / f"{stem}.xlsx", rec, sheets, medals)
    doc = pdf.write(
        out / f"{stem}.pdf",
        "results.html",
        competition=rec.competition,
        sheets=sheets,
        head=rec.head,
    )
    return [xlsx, doc]


def export_certificates(
    rec: Replayed, key: str, out: Path, program: str | None, base: str
) -> list[Path]:
    certs = certificates.winners(rec, key, base, program)
    if not certs:
        print("# no certificates: no published program has an award winner yet")
    return certificates.write(rec, certs, out / "certificates")


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.what == "certificates" and not (args.base_url or "").startswith(
        ("http://", "https://")
    ):
        raise ConfigError(
            "certificates need --base-url: the public site's address as people reach it, "
            "e.g. --base-url https://results.example.org (the QR codes open BASE/verify/CODE)"
        )
    rec, key = asyncio.run(read_record(settings, make_secret=args.what == "certificates"))
    check_program(rec, args.program)
    if args.what == "certificates":
        written = export_certificates(rec, key, args.out, args.program, args.base_url)
    elif args.what == "honours":
        found, skipped = honours.candidates(rec, args.program)
        if not rec.competition.plan.honours:
            print("# the competition file states no honours rules (docs/competition-format.md)")
        written = [honours.write(args.out / "honours.xlsx", found, skipped)]
    elif args.what == "talent":
        found_talent = talent.talent(rec.competition, rec.board, key or None)
        contact = rec.competition.plan.talent_contact
        written = [talent.write(args.out / "talent.xlsx", found_talent, args.base_url, contact)]
    else:
        written = export_results(rec, args.out, args.program)
    for path in written:
        print(path)
    print(f"# read at ledger head seq {rec.head[0]} hash {rec.head[1]}")
    return 0
