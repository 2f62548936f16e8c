"""``scorecast judge``: enter marks from a workstation, send instrument CSV files, list the outbox.

``options`` holds the arguments, ``interactive``, ``batch`` (with ``flush``) and ``status``
the actions; ``run`` picks one. Only this package exits: the SDK raises ``errors.py``'s tree.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from ..errors import JudgeClientError
from .batch import batch, flush, read_csv, row_id
from .interactive import HELP, Schemes, enter, interactive, load_program
from .options import HOME, client, configure, outbox_path
from .status import describe, outcome, print_status, status

__all__ = [
    "HELP",
    "HOME",
    "Schemes",
    "batch",
    "client",
    "configure",
    "describe",
    "enter",
    "flush",
    "interactive",
    "load_program",
    "outbox_path",
    "outcome",
    "print_status",
    "read_csv",
    "row_id",
    "run",
    "status",
]


def run(args: argparse.Namespace) -> int:
    command = getattr(args, "judge_command", None)
    try:
        if command == "status":
            return status(args)
        if not args.token:
            raise SystemExit("give your credential with --token T (or SCORECAST_JUDGE_TOKEN)")
        if command == "batch":
            return asyncio.run(batch(args))
        if command == "flush":
            return asyncio.run(flush(args))
        return asyncio.run(interactive(args))
    except JudgeClientError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
