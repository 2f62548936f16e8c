"""``scorecast judge``: enter marks from a workstation, send instrument CSV files, list the outbox.

    scorecast judge --hub ws://hub:8000 --token T           interactive: program competitor aspect value
    scorecast judge batch FILE.csv --hub … --token T        program,competitor,aspect,value[,id] rows
    scorecast judge flush --hub … --token T                 send what the outbox still holds, then exit
    scorecast judge status [--outbox FILE]                  pending, acked and refused marks

Options may also come from SCORECAST_JUDGE_HUB, SCORECAST_JUDGE_TOKEN, SCORECAST_JUDGE_OUTBOX.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from .client import JudgeClient, http_url, judge_of
from .errors import InvalidEntry, JudgeClientError, Refused
from .outbox import ACKED, PENDING, REFUSED, Entry, Outbox
from .scheme import Program, fetch

HOME = Path(os.environ.get("SCORECAST_HOME", Path.home() / ".scorecast"))
HELP = """\
  program competitor aspect value    a mark (competitor: bib or id), e.g.  weld 3 B1 8.5
  competitor aspect value            the same, in the program you judge (when you judge one)
  withdraw [program] competitor aspect
  signoff [program] competitor
  status                             what is pending, acked and refused
  help | quit"""


def _common(p: argparse.ArgumentParser, suppress: bool) -> None:
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
    p.description = __doc__.split("\n\n", 1)[1]
    _common(p, suppress=False)
    sub = p.add_subparsers(dest="judge_command", metavar="ACTION")
    batch = sub.add_parser(
        "batch", help="send the marks of a CSV file (program,competitor,aspect,value[,id])"
    )
    batch.add_argument("file", type=Path)
    batch.add_argument(
        "--timeout", type=float, default=None, help="give up waiting after this many seconds"
    )
    _common(batch, suppress=True)
    flush = sub.add_parser("flush", help="send what the outbox still holds, then exit")
    flush.add_argument(
        "--timeout", type=float, default=None, help="give up waiting after this many seconds"
    )
    _common(flush, suppress=True)
    status = sub.add_parser("status", help="list pending, acked and refused marks in the outbox")
    status.add_argument("--json", action="store_true", help="one JSON object per mark")
    status.add_argument(
        "--limit", type=int, default=50, help="at most this many acked marks (default 50)"
    )
    _common(status, suppress=True)


def outbox_path(args: argparse.Namespace) -> Path:
    if args.outbox:
        return Path(args.outbox)
    if args.token:
        return HOME / f"outbox-{judge_of(args.token) or 'judge'}.db"
    raise SystemExit("give --outbox FILE or --token T (the outbox is per judge)")


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


def client(args: argparse.Namespace, **kw: Any) -> JudgeClient:
    return JudgeClient(
        args.hub, args.token, outbox_path(args), device=args.device, binary=args.msgpack, **kw
    )


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


# -- schemes (kept in the outbox so that entry can be checked offline) ------------------------


def load_program(judge: JudgeClient, program: str) -> Program | None:
    try:
        data = fetch(http_url(judge.url), program, timeout=3)
        judge.outbox.set_meta(f"scheme:{program}", json.dumps(data, ensure_ascii=False))
    except Exception:  # noqa: BLE001 — offline: use the copy from last time, if any
        cached = judge.outbox.get_meta(f"scheme:{program}")
        if cached is None:
            return None
        data = json.loads(cached)
    return Program.from_api(data["program"], data["competitors"])


class Schemes:
    def __init__(self, judge: JudgeClient) -> None:
        self.judge = judge
        self.known: dict[str, Program | None] = {}

    def check(
        self, program: str, competitor: str, aspect: str | None, value: str | None
    ) -> tuple[str, str | None]:
        """(competitor id, value to send), or ``InvalidEntry``; unchecked when the scheme is unknown."""
        if program not in self.known:
            self.known[program] = load_program(self.judge, program)
        prog = self.known[program]
        if prog is None:
            return competitor, value
        cid = prog.competitor(competitor)
        if aspect is None:
            return cid, value
        a = prog.aspect(aspect)
        return cid, (a.check(value) if value is not None else None)


# -- interactive ------------------------------------------------------------------------------


async def interactive(args: argparse.Namespace, stdin: TextIO = sys.stdin) -> int:
    out = sys.stdout
    shown: set[str] = set()

    def on_result(e: Entry) -> None:
        if e.id not in shown:
            shown.add(e.id)
            print(f"\n  {describe(e)}: {outcome(e)}", file=out, flush=True)

    def on_state(state: str) -> None:
        if state in ("online", "offline", "refused"):
            print(f"\n  [{state}]", file=out, flush=True)

    async with client(args, on_result=on_result, on_state=on_state) as judge:
        schemes = Schemes(judge)
        print(
            f"judge {judge.judge_id} → {judge.url}; outbox {judge.outbox.path} ({len(judge.outbox)} pending)"
        )
        with contextlib.suppress(TimeoutError):
            welcome = await judge.wait_online(5)
            for a in welcome["assignments"]:
                prog = schemes.known.setdefault(a["program"], load_program(judge, a["program"]))
                hints = ", ".join(
                    f"{x} ({prog.aspects[x].hint()})" if prog and x in prog.aspects else x
                    for x in a["aspects"]
                )
                print(f"  {a['program']}: {hints}")
        print(HELP)
        programs = [a["program"] for a in (judge.welcome or {}).get("assignments", [])]
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, _prompt, stdin, out)
            if line is None or line.strip() in ("quit", "exit", "q"):
                break
            words = line.split()
            if not words:
                continue
            try:
                entry = enter(judge, schemes, words, programs, out)
            except InvalidEntry as e:
                print(f"  ✗ {e.message}", file=out)
                continue
            if entry is None:
                continue
            try:
                await judge.result(entry.id, timeout=3)
            except TimeoutError:
                print(f"  {describe(entry)}: queued; it goes out when the hub answers", file=out)
            except Refused:
                pass  # on_result printed it
            except JudgeClientError as e:
                print(f"  ✗ {e}", file=out)
        if len(judge.outbox):
            print(
                f"{len(judge.outbox)} mark(s) stay in the outbox; they go out next time "
                "(scorecast judge flush)"
            )
    return 0


def _prompt(stdin: TextIO, out: TextIO) -> str | None:
    out.write("mark> ")
    out.flush()
    line = stdin.readline()
    return line if line else None


def enter(
    judge: JudgeClient, schemes: Schemes, words: list[str], programs: list[str], out: TextIO
) -> Entry | None:
    verb = words[0].lower()
    if verb == "help":
        print(HELP, file=out)
        return None
    if verb == "status":
        print_status(judge.outbox, out, limit=10)
        return None
    if verb in ("withdraw", "signoff"):
        rest = words[1:]
        need = 2 if verb == "withdraw" else 1
        program, rest = _program(rest, need, programs)
        cid, _ = schemes.check(program, rest[0], rest[1] if verb == "withdraw" else None, None)
        if verb == "withdraw":
            return judge.enqueue("withdraw", program=program, competitor=cid, aspect=rest[1])
        return judge.enqueue("signoff", program=program, competitor=cid)
    program, rest = _program(words, 3, programs)
    cid, value = schemes.check(program, rest[0], rest[1], rest[2])
    assert value is not None
    return judge.enqueue_mark(program, cid, rest[1], value)


def _program(words: list[str], need: int, programs: list[str]) -> tuple[str, list[str]]:
    if len(words) == need + 1:
        return words[0], words[1:]
    if len(words) == need and len(programs) == 1:
        return programs[0], words
    shape = (
        "program competitor aspect value"
        if need == 3
        else "program competitor" + (" aspect" if need == 2 else "")
    )
    raise InvalidEntry("syntax", f"type: {shape}")


# -- batch --------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of program,competitor,aspect,value[,id]; a header row is optional."""
    with path.open(newline="", encoding="utf-8-sig") as f:
        rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    names = ["program", "competitor", "aspect", "value", "id"]
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


async def batch(args: argparse.Namespace) -> int:
    rows = read_csv(args.file)
    async with client(args) as judge:
        schemes = Schemes(judge)
        frames, bad = [], 0
        for line, row in enumerate(rows, 1):
            try:
                missing = [
                    k for k in ("program", "competitor", "aspect", "value") if not row.get(k)
                ]
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
                    "type": "mark",
                    "id": row.get("id") or row_id(args.file, line, row),
                    "program": row["program"],
                    "competitor": cid,
                    "aspect": row["aspect"],
                    "value": value,
                }
            )
        entries = judge.enqueue_many(frames)
        print(f"{len(entries)} mark(s) queued from {args.file} ({bad} row(s) not valid); sending…")
        code = await _wait(judge, args.timeout)
        ids = [e.id for e in entries]
        results = [judge.outbox.find(i) for i in ids]
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
        return 3
    return 0


# -- status -------------------------------------------------------------------------------


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
                    print(
                        json.dumps(
                            {
                                "id": e.id,
                                "state": e.state,
                                "frame": e.frame,
                                "seq": e.seq,
                                "code": e.code,
                                "message": e.message,
                                "last_error": e.last_error,
                            },
                            ensure_ascii=False,
                        )
                    )
            else:
                print_status(box, sys.stdout, args.limit)
        finally:
            box.close()
    return 0


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
