"""SQLite ledger in WAL mode: a batch of events is committed (fsync) before any is acknowledged."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import msgpack

from ..chain import GENESIS, link
from ..errors import LedgerCorrupt
from . import RECORD_KINDS, EventOrder

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    body BLOB NOT NULL,
    hash TEXT
);
CREATE TABLE IF NOT EXISTS credentials (judge TEXT PRIMARY KEY, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshots (tag TEXT PRIMARY KEY, seq INTEGER NOT NULL, body BLOB NOT NULL);
"""
# the competition's definition and amendments, found without reading every event at each start
RECORDS_WHERE = "kind IN (" + ", ".join(f"'{k}'" for k in RECORD_KINDS) + ")"
RECORDS_INDEX = f"CREATE INDEX IF NOT EXISTS events_records ON events(seq) WHERE {RECORDS_WHERE}"


def sqlite_path(url: str) -> str:
    path = url.removeprefix("sqlite://")
    if path.startswith("/"):
        path = path[1:] if not path.startswith("//") else path[1:]
    return path or "scorecast.db"


class SQLiteLedger:
    """The ledger in one SQLite file, written by one hub: it stores in the hub's order."""

    order: ClassVar[EventOrder] = EventOrder.LOCAL
    sealed_by_ledger: ClassVar[bool] = True  # each link is computed in the append transaction

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger")
        self._db: sqlite3.Connection | None = None
        self.error: str | None = None  # the last append's failure, None once one succeeds

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def _check_file(self) -> None:
        """A file that is there but cannot be this ledger: say so before SQLite opens it (it
        would take an empty file as a new ledger and start the competition again at seq 0)."""
        if not os.path.exists(self.path):
            return  # a new ledger
        if os.path.getsize(self.path) == 0:
            raise LedgerCorrupt(
                f"{self.path} is empty (0 bytes): a ledger is never empty once created, so this "
                "is not the record (an interrupted copy or restore?); restore it from the "
                "backup, or delete it to start a new competition"
            )
        if not os.access(self.path, os.R_OK | os.W_OK):
            raise LedgerCorrupt(
                f"{self.path} cannot be read and written by this user; fix its permissions "
                "(the hub appends to it)"
            )

    def _connect(self) -> None:
        self._check_file()
        try:
            db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # an ack means the batch reached the disk
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(events)")}
            if "hash" not in columns:  # a ledger from before issue 13: its links are added below
                db.execute("ALTER TABLE events ADD COLUMN hash TEXT")
            db.execute("SELECT seq, key, kind, body, hash FROM events LIMIT 1").fetchall()
            db.execute(RECORDS_INDEX)
            self._seal_old(db)
        except sqlite3.DatabaseError as e:
            raise LedgerCorrupt(
                f"{self.path} is not a Scorecast ledger (SQLite: {e}); "
                "move it away or point --store at another file"
            ) from None
        self._db = db

    @staticmethod
    def _seal_old(db: sqlite3.Connection) -> None:
        """Links for events written before the chain existed (NULL hash), in seq order."""
        # all or none: the links are added in one transaction, before anything is appended;
        # the first and last events tell (a scan for NULL would read the whole table each start)
        ends = "(SELECT MIN(seq) FROM events), (SELECT MAX(seq) FROM events)"
        if (
            db.execute(f"SELECT 1 FROM events WHERE seq IN ({ends}) AND hash IS NULL").fetchone()
            is None
        ):
            return
        db.execute("BEGIN IMMEDIATE")
        prev = GENESIS
        for seq, key, body, h in db.execute(
            "SELECT seq, key, body, hash FROM events ORDER BY seq"
        ).fetchall():
            if h is None:
                h = link(prev, seq, key, bytes(body))
                db.execute("UPDATE events SET hash = ? WHERE seq = ?", (h, seq))
            prev = h
        db.execute("COMMIT")

    async def open(self) -> None:
        await self._run(self._connect)

    async def close(self) -> None:
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        self._pool.shutdown(wait=True)

    def _append(self, items: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, bool]]:
        assert self._db is not None
        db = self._db
        out = []
        db.execute("BEGIN IMMEDIATE")
        try:
            # The previous link is read inside the transaction: right even if another process
            # (``scorecast amend``) appended since this one last did.
            head = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
            last, prev = (int(head[0]), str(head[1])) if head else (0, GENESIS)
            for key, event in items:
                row = db.execute("SELECT seq FROM events WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    out.append((row[0], False))
                    continue
                last += 1
                body = msgpack.packb(event)
                prev = link(prev, last, key, body)  # the bytes stored are the bytes hashed
                db.execute(
                    "INSERT INTO events (seq, key, kind, body, hash) VALUES (?, ?, ?, ?, ?)",
                    (last, key, event.get("kind", ""), body, prev),
                )
                out.append((last, True))
            db.execute("COMMIT")
        except BaseException as e:
            # SQLite may have rolled back already (e.g. "database or disk is full"): a second
            # ROLLBACK would raise and hide the real cause.
            if db.in_transaction:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            self.error = f"{type(e).__name__}: {e}"
            raise
        self.error = None
        return out

    async def append(self, items: list[tuple[str, dict[str, Any]]]) -> list[tuple[int, bool]]:
        result: list[tuple[int, bool]] = await self._run(self._append, items)
        return result

    def _read(self, after: int, limit: int) -> list[tuple[int, str, dict[str, Any]]]:
        assert self._db is not None
        rows = self._db.execute(
            "SELECT seq, key, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?", (after, limit)
        ).fetchall()
        return [(s, k, msgpack.unpackb(b)) for s, k, b in rows]

    async def read(self, after: int, limit: int = 10000) -> list[tuple[int, str, dict[str, Any]]]:
        result: list[tuple[int, str, dict[str, Any]]] = await self._run(self._read, after, limit)
        return result

    def _read_chain(self, after: int, limit: int) -> list[tuple[int, str, bytes, str | None]]:
        assert self._db is not None
        rows = self._db.execute(
            "SELECT seq, key, body, hash FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, limit),
        ).fetchall()
        return [(int(s), str(k), bytes(b), h) for s, k, b, h in rows]

    async def read_chain(
        self, after: int, limit: int = 10000
    ) -> list[tuple[int, str, bytes, str | None]]:
        """Events with their stored bytes and link, undecoded (``scorecast verify``)."""
        result: list[tuple[int, str, bytes, str | None]] = await self._run(
            self._read_chain, after, limit
        )
        return result

    async def records(self) -> list[tuple[int, str, dict[str, Any]]]:
        rows = await self._run(
            self._all, f"SELECT seq, key, body FROM events WHERE {RECORDS_WHERE} ORDER BY seq"
        )
        return [(int(s), str(k), msgpack.unpackb(b)) for s, k, b in rows]

    async def head(self) -> tuple[int, str]:
        row = await self._run(self._one, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    async def hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS
        row = await self._run(self._one, "SELECT hash FROM events WHERE seq = ?", (seq,))
        return str(row[0]) if row and row[0] else None

    async def seal(self, links: list[tuple[int, str]]) -> None:
        """Nothing to do: SQLite stores each link as it appends."""

    def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        assert self._db is not None
        return self._db.execute(sql, args).fetchall()

    def _one(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        assert self._db is not None
        return self._db.execute(sql, args).fetchone()

    async def confirm(self) -> None:
        """Every acknowledged append is committed already: nothing to wait for."""

    async def last_seq(self) -> int:
        row = await self._run(self._one, "SELECT COALESCE(MAX(seq), 0) FROM events")
        return int(row[0])

    async def seq_of(self, key: str) -> int | None:
        row = await self._run(self._one, "SELECT seq FROM events WHERE key = ?", (key,))
        return int(row[0]) if row else None

    def _keys(self) -> dict[str, int]:
        assert self._db is not None
        return dict(self._db.execute("SELECT key, seq FROM events"))

    async def keys(self) -> dict[str, int]:
        result: dict[str, int] = await self._run(self._keys)
        return result

    def _exec(self, sql: str, args: tuple[Any, ...]) -> None:
        assert self._db is not None
        self._db.execute(sql, args)

    async def put_credential(self, judge: str, digest: str) -> None:
        await self._run(
            self._exec,
            "INSERT OR REPLACE INTO credentials (judge, digest) VALUES (?, ?)",
            (judge, digest),
        )

    async def credential(self, judge: str) -> str | None:
        row = await self._run(self._one, "SELECT digest FROM credentials WHERE judge = ?", (judge,))
        return str(row[0]) if row else None

    async def save_snapshot(self, seq: int, tag: str, body: bytes) -> None:
        await self._run(
            self._exec,
            "INSERT OR REPLACE INTO snapshots (tag, seq, body) VALUES (?, ?, ?)",
            (tag, seq, body),
        )

    async def load_snapshot(self, tag: str) -> tuple[int, bytes] | None:
        row = await self._run(self._one, "SELECT seq, body FROM snapshots WHERE tag = ?", (tag,))
        return (int(row[0]), bytes(row[1])) if row else None

    async def status(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "backend": "sqlite",
            "path": self.path,
            "journal": "wal",
            "durable": self.error is None,
            "writable": self.error is None,
        }
        if self.error is not None:
            out["error"] = self.error
            out["warnings"] = [f"the last ledger append failed: {self.error}"]
        return out
