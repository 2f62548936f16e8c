"""``scorecast``: run the hub, run the demo, issue judge credentials."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from .amend_cli import COMMANDS as AMEND_COMMANDS
from .config import HELP, Settings
from .errors import ScorecastError

DESCRIPTION = """\
Scorecast: live scoring and results for judged competitions.

  scorecast demo                     a sample competition with simulated judges; open the printed URLs
  scorecast serve --competition F    the hub for your competition file (docs/competition-format.md)
  scorecast credentials --competition F
                                     issue judge and chief credentials (printed once, stored hashed)
  scorecast amend --competition F --reason TEXT
                                     record a changed competition in a stopped hub's ledger
                                     (with --hub URL --token T: on a running hub, as the organizer)
  scorecast add-judge | assign-judge | correct-competitor | set-status --hub URL --token T ...
                                     small amendments on a running hub, on the record
  scorecast verify --store URL       check the ledger's hash chain and replay (exit 5: tampered)
  scorecast export-ledger --store URL
                                     every ledger event as a JSON line
  scorecast import KIND FILE.xlsx --into F
                                     build or update F from spreadsheets (scheme, delegations,
                                     competitors, judges; docs/organizers.md)
  scorecast template --out DIR       the blank workbooks to fill in
  scorecast draw --hub URL --token T --program ID --seed-input VALUE
                                     the draw (抽签) of a program, recorded in the ledger; --out list.html
  scorecast export [results|certificates|honours|talent] --competition F --store URL --out DIR
                                     official results (XLSX, PDF), certificates, honours, talent
  scorecast judge --hub URL --token T
                                     enter marks from a workstation (also: judge batch FILE.csv, judge status)
  scorecast lifecycle --hub URL --token T ACTION
                                     the way to official results: status, review, publish, override,
                                     confirm, reviewed, correct, appeal, rule (docs/organizers.md)

Every option can also be set as an environment variable SCORECAST_<OPTION>, e.g. SCORECAST_PORT=9000.
"""


def add_settings(p: argparse.ArgumentParser, only: tuple[str, ...] | None = None) -> None:
    defaults = Settings()
    for name, text in HELP.items():
        if only is not None and name not in only:
            continue
        default = getattr(defaults, name)
        p.add_argument(
            f"--{name.replace('_', '-')}",
            dest=name,
            default=None,
            metavar=name.upper(),
            help=f"{text} (default: {default!r}; env SCORECAST_{name.upper()})",
        )


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scorecast",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    serve = sub.add_parser("serve", help="run the hub")
    add_settings(serve)
    demo = sub.add_parser(
        "demo", help="run the hub with the sample competition and simulated judges"
    )
    add_settings(demo)
    demo.add_argument(
        "--rate", type=float, default=8.0, help="simulated marks per second (default 8)"
    )
    demo.add_argument("--seed", type=int, default=1, help="seed of the simulated judges")
    demo.add_argument(
        "--window",
        type=_window,
        default=None,
        metavar="DURATION",
        help='how long 公示 (objections) lasts in the sample, e.g. "30s", "10min" (default 2min; '
        "a --competition file keeps its own)",
    )
    cred = sub.add_parser(
        "credentials", help="issue judge credentials: printed once, stored hashed"
    )
    add_settings(cred, ("competition", "store"))
    cred.add_argument(
        "--judge", action="append", default=[], help="only this judge id (repeatable)"
    )
    cred.add_argument(
        "--qr",
        metavar="DIR",
        default=None,
        help="also write a QR code per judge (DIR/<judge>.svg) that opens the judge pad signed in",
    )
    cred.add_argument(
        "--base-url",
        default=None,
        metavar="URL",
        help="the hub's address as the judges' tablets reach it, e.g. http://10.0.0.5:8000 "
        "(default: http://HOST:PORT)",
    )
    from judge_client.cli import configure as configure_judge

    from .amend_cli import configure as configure_amend
    from .draw_cli import configure as configure_draw
    from .exports.commands import configure as configure_export
    from .lifecycle_cli import configure as configure_lifecycle
    from .record_cli import configure as configure_record
    from .workbooks.commands import configure as configure_workbooks

    configure_record(sub, add_settings)
    configure_draw(sub)
    configure_amend(sub)
    configure_workbooks(sub)
    configure_lifecycle(sub)
    configure_export(sub, add_settings)

    configure_judge(
        sub.add_parser(
            "judge", help="enter marks from a workstation: interactive, CSV batch, status"
        )
    )
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in vars(args).items() if k in HELP and v is not None}
    return Settings.load(overrides)


def _window(text: str) -> str:
    from scoreboard.loader.lifecycle import DURATION

    if DURATION.match(text) is None:
        raise argparse.ArgumentTypeError(f'a duration like "2h", "90min" or "30s", not {text!r}')
    return text


def main(argv: list[str] | None = None) -> int:
    """Run a command; a hub error becomes its message on stderr and its exit status."""
    try:
        return _main(argv)
    except ScorecastError as e:
        if e.exit_status != 1:  # LedgerCorrupt, CompetitionDiffers, AmendmentRefused
            print(f"scorecast: {e}", file=sys.stderr)
            return e.exit_status
        raise SystemExit(e.message) from None  # printed on stderr, exit status 1


def _main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
        return 0
    if args.command == "judge":
        from judge_client.cli import run as run_judge

        return run_judge(args)
    if args.command == "draw":
        from .draw_cli import run as run_draw

        return run_draw(args)
    if args.command == "lifecycle":
        from .lifecycle_cli import run as run_lifecycle

        return run_lifecycle(args)
    if args.command in AMEND_COMMANDS:
        from .amend_cli import run as run_amend

        return run_amend(args.command, args)
    if args.command in ("import", "template"):
        from .workbooks.commands import run as run_workbooks

        return run_workbooks(args)
    settings = settings_from(args)
    if args.command == "serve":
        from .run import serve

        return serve(settings)
    if args.command == "demo":
        from .demo import demo

        return demo(settings, rate=args.rate, seed=args.seed, window=args.window)
    if args.command == "credentials":
        from .run import issue_credentials

        return asyncio.run(issue_credentials(settings, args.judge, args.qr, args.base_url))
    if args.command == "export":
        from .exports.commands import run as run_export

        return run_export(args, settings)
    from .record_cli import COMMANDS, run

    if args.command in COMMANDS:
        return run(args.command, args, settings)
    return 2


if __name__ == "__main__":
    sys.exit(main())
