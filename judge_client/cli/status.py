"""``scorecast judge status``, and how a queued mark reads on the terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from ..outbox import ACKED, PENDING, REFUSED, Entry, Outbox
from .options import HOME, outbox_path


def describe(e: Entry) -> str:
    f = e.frame
    what = " ".join(
        str(f[k]) for k in ("program", "competitor", "aspect", "value", "visibility") if k in f
    )
    return f"{f.get('type', 'mark')} {what}"


def outcome(e: Entry) -> str:
    if e.state == ACKED:
        return f"✓ acked #{e.seq}" + (" (already recorded)" if e.duplicate else "")
    if e.state == REFUSED:
        return f"✗ refused [{e.code}] {e.message}"
    return "… pending" + (f" (last try: {e.last_error})" if e.last_error else "")


def status(args: argparse.Namespace) -> int:
    paths = [Path(args.outbox)] if args.outbox else None
    if paths is None:
        paths = [outbox_path(args)] if args.token else sorted(HOME.glob("outbox-*.db"))
    if not paths:
        print(f"no outbox in {HOME}; give --outbox FILE")
        return 1
    for path in paths:
        if not path.exists():
            print(f"{path}: no such outbox")
            return 1
        box = Outbox(path)
        try:
            if args.json:
                for e in [*box.pending(), *box.done()]:
                    print(json.dumps(as_json(e), ensure_ascii=False))
            else:
                print_status(box, sys.stdout, args.limit)
        finally:
            box.close()
    return 0


def as_json(e: Entry) -> dict[str, object]:
    return {
        "id": e.id,
        "state": e.state,
        "frame": e.frame,
        "seq": e.seq,
        "code": e.code,
        "message": e.message,
        "last_error": e.last_error,
    }


def print_status(box: Outbox, out: TextIO, limit: int) -> None:
    counts = box.counts()
    judge = box.get_meta("judge") or "?"
    print(
        f"{box.path} (judge {judge}): {counts[PENDING]} pending, {counts[ACKED]} acked, "
        f"{counts[REFUSED]} refused",
        file=out,
    )
    for title, entries in (
        ("pending", box.pending()),
        ("refused", box.done(REFUSED)),
        ("acked (latest)", box.done(ACKED)[-limit:] if limit else []),
    ):
        if entries:
            print(f"  {title}:", file=out)
            for e in entries:
                print(f"    {e.id[:12]:12}  {describe(e):40}  {outcome(e)}", file=out)
