"""``scorecast amend``, ``scorecast verify`` and ``scorecast export-ledger`` (issue 13)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from . import audit, competition_file, record
from .amend_cli import add_hub_options, post
from .config import Settings
from .errors import BackendUnreachable, UnknownBackend
from .ledger import Ledger, namespace, open_ledger
from .ledger.redis import redacted

T = TypeVar("T")
TAMPERED = 5  # exit status of a verify that finds a broken link or a replay that differs
COMMANDS = ("amend", "verify", "export-ledger", "export-competition")


def configure(sub: Any, add_settings: Callable[..., None]) -> None:
    amend = sub.add_parser(
        "amend",
        help="record a changed competition file: in a stopped hub's store, or with --hub and an "
        "organizer's --token on a running hub",
    )
    add_settings(amend, ("competition", "store"))
    amend.add_argument("--reason", required=True, help="why (kept on the record)")
    add_hub_options(amend, required=False)
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
    document = sub.add_parser(
        "export-competition",
        help="write the competition in force (the first definition plus its amendments) as the "
        "file to start the hub with",
    )
    add_settings(document, ("competition", "store"))
    document.add_argument("--out", required=True, metavar="FILE.json")


async def _namespace(settings: Settings) -> str:
    """The competition file names the Redis namespace (its id); without one, the Redis's only
    competition (SQLite holds one competition and ignores it)."""
    if settings.competition or not settings.store.startswith(("redis", "rediss")):
        _, competition = competition_file.load(settings.competition or None)
        return namespace(competition.id)
    found = await _redis_namespaces(settings.store)
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownBackend(f"{redacted(settings.store)} holds no Scorecast competition")
    ids = ", ".join(n.removeprefix("scorecast:") for n in found)
    raise UnknownBackend(
        f"{redacted(settings.store)} holds several competitions ({ids}): name one with "
        "--competition FILE (its file)"
    )


async def _redis_namespaces(url: str) -> list[str]:
    """The competitions a Redis holds (their namespaces): one ``records`` key each."""
    from redis.exceptions import RedisError

    from .ledger.redis import connect

    client = connect(url)
    try:
        found = [
            key.decode()[1:].rsplit("}:", 1)[0]
            async for key in client.scan_iter(match="{scorecast:*}:records", count=1000)
        ]
    except RedisError as e:
        raise BackendUnreachable(
            f"cannot reach Redis at {redacted(url)} ({e}); start it or fix --store"
        ) from None
    finally:
        await client.aclose()
    return sorted(found)


async def _with_ledger(settings: Settings, fn: Callable[[Ledger], Awaitable[T]]) -> T:
    ledger = open_ledger(settings.store, await _namespace(settings))
    await ledger.open()
    try:
        return await fn(ledger)
    finally:
        await ledger.close()


def run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "amend":
        return asyncio.run(_amend(args, settings))
    if command == "export-competition":
        return asyncio.run(_export_competition(args, settings))
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
    if args.hub:  # a running hub records it (POST /api/v1/amendments)
        return post(args.hub, args.token, {"reason": args.reason, "competition": data})
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


async def _export_competition(args: argparse.Namespace, settings: Settings) -> int:
    held = await _with_ledger(settings, record.in_force)
    if held is None:
        print("scorecast: this store holds no competition yet", file=sys.stderr)
        return 1
    seq, data, _ = held
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
    print(f"the competition in force since seq {seq} written to {args.out}")
    print(f"start the hub with it: scorecast serve --competition {args.out}")
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
