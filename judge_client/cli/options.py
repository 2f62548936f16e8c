"""The ``scorecast judge`` options, shared by every action, and what they resolve to."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..client import JudgeClient, judge_of

HOME = Path(os.environ.get("SCORECAST_HOME", Path.home() / ".scorecast"))

DESCRIPTION = """\
    scorecast judge --hub ws://hub:8000 --token T           interactive: program competitor aspect value
    scorecast judge batch FILE.csv --hub … --token T        program,competitor,aspect,value[,id] rows
    scorecast judge flush --hub … --token T                 send what the outbox still holds, then exit
    scorecast judge status [--outbox FILE]                  pending, acked and refused marks

Options may also come from SCORECAST_JUDGE_HUB, SCORECAST_JUDGE_TOKEN, SCORECAST_JUDGE_OUTBOX.
"""


def add_options(p: argparse.ArgumentParser, suppress: bool) -> None:
    """The options every action takes; ``suppress`` on an action keeps what the parent parsed."""
    d: Any = argparse.SUPPRESS if suppress else None
    p.add_argument(
        "--hub",
        default=d if suppress else os.environ.get("SCORECAST_JUDGE_HUB", "ws://127.0.0.1:8000"),
        help="the hub's address (default ws://127.0.0.1:8000; env SCORECAST_JUDGE_HUB)",
    )
    p.add_argument(
        "--token",
        default=d if suppress else os.environ.get("SCORECAST_JUDGE_TOKEN"),
        help="your judge credential (env SCORECAST_JUDGE_TOKEN)",
    )
    p.add_argument(
        "--outbox",
        default=d if suppress else os.environ.get("SCORECAST_JUDGE_OUTBOX"),
        help=f"the outbox file (default {HOME}/outbox-<judge>.db; env SCORECAST_JUDGE_OUTBOX)",
    )
    p.add_argument(
        "--device", default=d, help="a name for this workstation in the ledger (default: host name)"
    )
    p.add_argument(
        "--msgpack",
        action="store_true",
        default=d if suppress else False,
        help="speak msgpack instead of JSON",
    )


def configure(p: argparse.ArgumentParser) -> None:
    """Add the ``judge`` options and sub-commands to ``p`` (called by ``server.cli``)."""
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.description = DESCRIPTION
    add_options(p, suppress=False)
    sub = p.add_subparsers(dest="judge_command", metavar="ACTION")
    batch = sub.add_parser(
        "batch", help="send the marks of a CSV file (program,competitor,aspect,value[,id])"
    )
    batch.add_argument("file", type=Path)
    batch.add_argument(
        "--timeout", type=float, default=None, help="give up waiting after this many seconds"
    )
    add_options(batch, suppress=True)
    flush = sub.add_parser("flush", help="send what the outbox still holds, then exit")
    flush.add_argument(
        "--timeout", type=float, default=None, help="give up waiting after this many seconds"
    )
    add_options(flush, suppress=True)
    status = sub.add_parser("status", help="list pending, acked and refused marks in the outbox")
    status.add_argument("--json", action="store_true", help="one JSON object per mark")
    status.add_argument(
        "--limit", type=int, default=50, help="at most this many acked marks (default 50)"
    )
    add_options(status, suppress=True)


def outbox_path(args: argparse.Namespace) -> Path:
    if args.outbox:
        return Path(args.outbox)
    if args.token:
        return HOME / f"outbox-{judge_of(args.token) or 'judge'}.db"
    raise SystemExit("give --outbox FILE or --token T (the outbox is per judge)")


def client(args: argparse.Namespace, **kw: Any) -> JudgeClient:
    return JudgeClient(
        args.hub, args.token, outbox_path(args), device=args.device, binary=args.msgpack, **kw
    )
