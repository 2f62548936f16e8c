"""``scorecast amend``, ``scorecast verify`` and ``scorecast export-ledger`` (issue 13)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import audit, competition_file, record
from .config import Settings
from .ledger import Ledger, namespace, open_ledger

T = TypeVar("T")
TAMPERED = 5  # exit status of a verify that finds a broken link or a replay that differs
COMMANDS = ("amend", "verify", "export-ledger")


def configure(sub: Any, add_settings: Callable[..., None]) -> None:
    amend = sub.add_parser(
        "amend", help="record a changed competition file in a stopped hub's ledger"
    )
    add_settings(amend, ("competition", "store"))
    amend.add_argument("--reason", required=True, help="why (kept on the record)")
    amend.add_argument(
        "--author", default=None, help="who amends (kept on the record; default: the OS user)"
    )
    verify = sub.add_parser(
        "verify", help="recompute the ledger's hash chain and replay it; name the first bad seq"
    )
    add_settings(verify, ("competition", "store"))
    export = sub.add_parser(
        "export-ledger", help="write every ledger event as a JSON line (seq, time, author, …)"
    )
    add_settings(export, ("competition", "store"))
    export.add_argument("--out", default=None, metavar="FILE", help="default: standard output")


async def _with_ledger(settings: Settings, fn: Callable[[Ledger], Awaitable[T]]) -> T:
    # the competition file names the Redis namespace (its id); SQLite ignores it
    _, competition = competition_file.load(settings.competition or None)
    ledger = open_ledger(settings.store, namespace(competition.id))
    await ledger.open()
    try:
        return await fn(ledger)
    finally:
        await ledger.close()


def run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "amend":
        return asyncio.run(_amend(args, settings))
    if command == "verify":
        verdict = asyncio.run(_with_ledger(settings, audit.verify))
        for line in verdict.lines():
            print(line)
        return 0 if verdict.ok else TAMPERED
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        seq, head = asyncio.run(_with_ledger(settings, lambda led: audit.export(led, out.write)))
    finally:
        if args.out:
            out.close()
    print(f"# {seq} events, head seq {seq} hash {head}", file=sys.stderr)
    return 0


async def _amend(args: argparse.Namespace, settings: Settings) -> int:
    data, competition = competition_file.load(settings.competition or None)
    author = args.author or getpass.getuser()

    async def amend(ledger: Ledger) -> tuple[int, list[Any]]:
        seq, changes = await record.amend(ledger, data, competition, args.reason, author)
        if not ledger.sealed_by_ledger:  # Redis: store the links, this one's included
            await _seal_all(ledger)
        return seq, changes

    seq, changes = await _with_ledger(settings, amend)
    print(f"amendment recorded at seq {seq} by {author}: {len(changes)} change(s)")
    for c in changes:
        print(f"  {c}")
    print("start the hub with this file: scorecast serve --competition FILE")
    return 0


async def _seal_all(ledger: Ledger) -> None:
    from .chain import GENESIS, link

    prev, links = GENESIS, []
    async for seq, key, raw, stored in audit.chain(ledger):
        if stored is None:
            prev = link(prev, seq, key, raw)
            links.append((seq, prev))
        else:
            prev = stored  # verify checks it; a new link goes on top of the one stored
    await ledger.seal(links)
