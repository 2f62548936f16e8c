"""``scorecast judge batch`` (marks from an instrument's CSV file) and ``flush`` (the outbox)."""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from pathlib import Path
from typing import Any

from ..client import JudgeClient
from ..errors import InvalidEntry
from ..outbox import ACKED, PENDING, REFUSED
from ..states import FrameType
from .interactive import Schemes
from .options import client
from .status import describe, outcome

FIELDS = ("program", "competitor", "aspect", "value")
# `flush` and `batch` exit with this when the hub did not answer everything in time.
EXIT_STILL_PENDING = 3


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of program,competitor,aspect,value[,id]; a header row is optional."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    names = [*FIELDS, "id"]
    if rows and [c.strip().lower() for c in rows[0][:4]] == names[:4]:
        names = [c.strip().lower() for c in rows[0]]
        rows = rows[1:]
    out = []
    for r in rows:
        out.append({names[i]: c.strip() for i, c in enumerate(r) if i < len(names)})
    return out


def row_id(path: Path, line: int, row: dict[str, str]) -> str:
    """Without an id column, the id comes from the file name, the line and the row: sending the
    same file again (after a crash, or by mistake) sends nothing twice."""
    raw = f"{path.name}\n{line}\n{row['program']}\n{row['competitor']}\n{row['aspect']}\n{row['value']}"
    return "csv-" + hashlib.sha256(raw.encode()).hexdigest()[:24]


def frames_of(path: Path, rows: list[dict[str, str]], schemes: Schemes) -> tuple[list[Any], int]:
    """The mark frames of the valid rows, and how many rows were not valid (each told on stderr)."""
    frames: list[dict[str, Any]] = []
    bad = 0
    for line, row in enumerate(rows, 1):
        try:
            missing = [k for k in FIELDS if not row.get(k)]
            if missing:
                raise InvalidEntry("missing_field", f"missing {', '.join(missing)}")
            cid, value = schemes.check(
                row["program"], row["competitor"], row["aspect"], row["value"]
            )
        except InvalidEntry as problem:
            bad += 1
            print(f"row {line}: ✗ {problem.message}", file=sys.stderr)
            continue
        frames.append(
            {
                "type": FrameType.MARK,
                "id": row.get("id") or row_id(path, line, row),
                "program": row["program"],
                "competitor": cid,
                "aspect": row["aspect"],
                "value": value,
            }
        )
    return frames, bad


async def batch(args: argparse.Namespace) -> int:
    rows = read_csv(args.file)
    async with client(args) as judge:
        frames, bad = frames_of(args.file, rows, Schemes(judge))
        entries = judge.enqueue_many(frames)
        print(f"{len(entries)} mark(s) queued from {args.file} ({bad} row(s) not valid); sending…")
        code = await _wait(judge, args.timeout)
        results = [judge.outbox.find(e.id) for e in entries]
        acked = sum(1 for e in results if e is not None and e.state == ACKED)
        refused = [r for r in results if r is not None and r.state == REFUSED]
        for r in refused:
            print(f"  {describe(r)}: {outcome(r)}")
        print(f"{acked} acked, {len(refused)} refused, {len(judge.outbox)} pending")
        return code or (1 if refused or bad else 0)


async def flush(args: argparse.Namespace) -> int:
    async with client(args) as judge:
        print(f"{len(judge.outbox)} mark(s) pending in {judge.outbox.path}; sending…")
        code = await _wait(judge, args.timeout)
        counts = judge.outbox.counts()
        print(f"{counts[PENDING]} pending, {counts[ACKED]} acked, {counts[REFUSED]} refused in all")
        return code


async def _wait(judge: JudgeClient, timeout: float | None) -> int:
    try:
        await judge.drain(timeout)
    except TimeoutError:
        print(
            f"{len(judge.outbox)} mark(s) still pending: the hub did not answer in time; they stay in the "
            "outbox (scorecast judge flush)",
            file=sys.stderr,
        )
        return EXIT_STILL_PENDING
    return 0
