"""``scorecast import`` and ``scorecast template``: the command-line shell around the converters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import competitors, delegations, judges, marking_scheme, templates
from .document import read_document, write_document
from .problems import WorkbookError
from .sheet import read_table

IMPORT_HELP = """\
Build or update a competition file from spreadsheets (.xlsx or .csv); see docs/organizers.md.

  scorecast import scheme marking-scheme.xlsx --into comp.toml --program weld --name-zh 焊接 --name-en Welding
  scorecast import delegations delegations.csv --into comp.toml
  scorecast import competitors weld-competitors.xlsx --into comp.toml --program weld
  scorecast import judges judges.xlsx --into comp.toml

The file is written only when the import loads as a competition (a .json file is written as
JSON, any other as TOML). A competitor or judge in the file but not in the workbook is dropped
only with --drop-missing.
"""


def configure(sub: Any) -> None:
    """Add the ``import`` and ``template`` commands to the scorecast command line."""
    imp = sub.add_parser(
        "import",
        help="build or update a competition file from .xlsx/.csv workbooks",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("kind", choices=["scheme", "delegations", "competitors", "judges"])
    imp.add_argument("workbook", type=Path, help="the .xlsx or .csv file")
    imp.add_argument("--into", type=Path, required=True, help="the competition file (.toml/.json)")
    imp.add_argument("--program", help="the program id (scheme, competitors)")
    imp.add_argument("--sheet", help="the sheet to read (default: the first with the headers)")
    imp.add_argument(
        "--drop-missing",
        action="store_true",
        help="remove the competitors (judges) of the file that the workbook does not list",
    )
    imp.add_argument("--name-zh", help="scheme: the program's Chinese name")
    imp.add_argument("--name-en", help="scheme: the program's English name")
    imp.add_argument(
        "--panel", type=int, default=3, help="scheme: judges per judgement aspect (default 3)"
    )
    tpl = sub.add_parser("template", help="write the blank workbooks to fill in")
    tpl.add_argument("--out", type=Path, default=Path("."), help="the folder (default: here)")
    tpl.add_argument(
        "kinds", nargs="*", metavar="KIND", help="competitors, judges, scheme (default: all three)"
    )
    tpl.add_argument("--force", action="store_true", help="overwrite existing files")


def _import(args: argparse.Namespace) -> str:
    path: Path = args.workbook
    into: Path = args.into
    if args.kind in ("scheme", "competitors") and not args.program:
        raise SystemExit(f"scorecast import {args.kind} needs --program ID")
    if not path.exists():
        raise SystemExit(f"cannot read {path}: no such file; check the path")
    doc = read_document(into, create=args.kind == "scheme")
    if args.kind == "scheme":
        criteria = marking_scheme.convert(
            read_table(path, marking_scheme.COLUMNS, args.sheet),
            marking_scheme.Options(panel=args.panel),
        )
        name = _name(args.name_zh, args.name_en)
        write_document(into, marking_scheme.merge(doc, args.program, criteria, name))
        n = sum(len(c["aspects"]) for c in criteria)
        return f"{into}: program {args.program}, {len(criteria)} criteria, {n} aspects"
    if args.kind == "delegations":
        rows = delegations.convert(read_table(path, delegations.COLUMNS, args.sheet))
        write_document(into, delegations.merge(doc, rows))
        return f"{into}: {len(rows)} delegations"
    if args.kind == "competitors":
        comps = competitors.convert(read_table(path, competitors.COLUMNS, args.sheet), doc)
        new, change = competitors.merge(doc, args.program, comps, args.drop_missing, path.name)
        write_document(into, new)
        return f"{into}: program {args.program}, competitors {change}"
    people = judges.convert(read_table(path, judges.COLUMNS, args.sheet), doc)
    new, change = judges.merge(doc, people, args.drop_missing, path.name)
    write_document(into, new)
    return f"{into}: judges {change}"


def _name(zh: str | None, en: str | None) -> Any:
    if zh and en:
        return {"zh": zh, "en": en}
    return zh or en


def run(args: argparse.Namespace) -> int:
    if args.command == "template":
        wrong = [k for k in args.kinds if k not in templates.KINDS]
        if wrong:
            print(f"scorecast template: unknown {wrong}; use {templates.KINDS}", file=sys.stderr)
            return 2
        try:
            paths = templates.write_templates(
                args.out, tuple(args.kinds) or templates.KINDS, args.force
            )
        except FileExistsError as e:
            print(f"scorecast template: {e}", file=sys.stderr)
            return 1
        for p in paths:
            print(p)
        return 0
    try:
        print(_import(args))
    except WorkbookError as e:
        print(f"scorecast import: {e}", file=sys.stderr)
        return 1
    return 0
