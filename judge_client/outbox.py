"""The durable outbox: every mark is written here (and fsynced) before it is sent.

A mark stays in ``outbox`` until the hub acknowledges it, then moves to ``done`` in the
same transaction; a mark the hub refuses for good moves to ``done`` with its code and
message. ``n`` is the order in which the judge made the marks: the client sends in that
order, and after a crash or a reconnect it resends what is left, with the same ids, so
the hub's idempotency (one ledger event per judge and id) makes every mark count once.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .states import EntryState

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    n INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL,
    frame TEXT NOT NULL,
    created REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE TABLE IF NOT EXISTS done (
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    frame TEXT NOT NULL,
    created REAL NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('acked', 'refused')),
    seq INTEGER,
    duplicate INTEGER NOT NULL DEFAULT 0,
    code TEXT,
    message TEXT,
    finished REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
"""

PENDING, ACKED, REFUSED = EntryState.PENDING, EntryState.ACKED, EntryState.REFUSED


@dataclass
class Entry:
    n: int
    id: str
    key: str
    frame: dict[str, Any]
    created: float
    state: EntryState = PENDING
    attempts: int = 0
    last_error: str | None = None
    seq: int | None = None
    duplicate: bool = False
    code: str | None = None
    message: str | None = None


def order_key(frame: dict[str, Any]) -> str:
    """Frames with the same key are sent one after the other, in the order they were made.

    Marks, withdrawals and a sign-off on one competitor must reach the hub in the judge's
    order (a later mark replaces an earlier one; a sign-off must follow the marks).
    """
    return f"{frame.get('program', '')}/{frame.get('competitor', '')}"


def new_id() -> str:
    return uuid.uuid4().hex


class Outbox:
    """A SQLite file; one client process uses it at a time, ``scorecast judge status`` may read it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "PRAGMA synchronous=FULL"
        )  # a queued mark must survive a crash or power loss
        self.db.executescript(SCHEMA)
        self._pending: dict[str, Entry] = {e.id: e for e in self._load_pending()}

    def close(self) -> None:
        self.db.close()

    # -- meta ---------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
            (key, value),
        )

    # -- writing ------------------------------------------------------------------

    def add(self, frame: dict[str, Any]) -> Entry:
        """Queue one frame durably; a frame whose id is known already returns the known entry."""
        return self.add_many([frame])[0]

    def add_many(self, frames: list[dict[str, Any]]) -> list[Entry]:
        """Queue frames in one transaction (one fsync), in order."""
        out: list[Entry] = []
        fresh: list[Entry] = []
        now = time.time()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for frame in frames:
                frame = dict(frame)
                frame.setdefault("id", new_id())
                known = self._pending.get(frame["id"]) or self._find_done(frame["id"])
                if known is None:
                    known = next((e for e in fresh if e.id == frame["id"]), None)
                if known is not None:
                    out.append(known)
                    continue
                key = order_key(frame)
                cur = self.db.execute(
                    "INSERT INTO outbox (id, key, frame, created) VALUES (?, ?, ?, ?)",
                    (frame["id"], key, json.dumps(frame, ensure_ascii=False), now),
                )
                entry = Entry(int(cur.lastrowid or 0), frame["id"], key, frame, now)
                fresh.append(entry)
                out.append(entry)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        for e in fresh:
            self._pending[e.id] = e
        return out

    def acked(self, mark_id: str, seq: int, duplicate: bool) -> Entry | None:
        return self._finish(mark_id, ACKED, seq=seq, duplicate=duplicate)

    def refused(self, mark_id: str, code: str, message: str) -> Entry | None:
        return self._finish(mark_id, REFUSED, code=code, message=message)

    def failed_attempt(self, mark_id: str, code: str, message: str) -> None:
        """A transient error: the mark stays queued; remember why for the status listing."""
        e = self._pending.get(mark_id)
        if e is None:
            return
        e.attempts += 1
        e.last_error = f"{code}: {message}"
        self.db.execute(
            "UPDATE outbox SET attempts = ?, last_error = ? WHERE id = ?",
            (e.attempts, e.last_error, mark_id),
        )

    def _finish(
        self,
        mark_id: str,
        state: EntryState,
        seq: int | None = None,
        duplicate: bool = False,
        code: str | None = None,
        message: str | None = None,
    ) -> Entry | None:
        e = self._pending.get(mark_id)
        if e is None:
            return None
        now = time.time()
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.db.execute(
                "INSERT OR REPLACE INTO done (n, id, frame, created, state, seq, duplicate, code, message, finished)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    e.n,
                    e.id,
                    json.dumps(e.frame, ensure_ascii=False),
                    e.created,
                    state,
                    seq,
                    int(duplicate),
                    code,
                    message,
                    now,
                ),
            )
            self.db.execute("DELETE FROM outbox WHERE id = ?", (mark_id,))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        del self._pending[mark_id]
        e.state, e.seq, e.duplicate, e.code, e.message = state, seq, duplicate, code, message
        return e

    # -- reading ------------------------------------------------------------------

    def pending(self) -> list[Entry]:
        """Queued entries in the order they were made."""
        return list(self._pending.values())

    def is_pending(self, mark_id: str) -> bool:
        return mark_id in self._pending

    def __len__(self) -> int:
        return len(self._pending)

    def find(self, mark_id: str) -> Entry | None:
        return self._pending.get(mark_id) or self._find_done(mark_id)

    def done(self, state: EntryState | None = None, limit: int | None = None) -> list[Entry]:
        sql = "SELECT n, id, frame, created, state, seq, duplicate, code, message FROM done"
        args: tuple[Any, ...] = ()
        if state is not None:
            sql += " WHERE state = ?"
            args = (state,)
        sql += " ORDER BY n"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [self._done_entry(r) for r in self.db.execute(sql, args)]

    def counts(self) -> dict[EntryState, int]:
        out = {
            PENDING: int(self.db.execute("SELECT count(*) FROM outbox").fetchone()[0]),
            ACKED: 0,
            REFUSED: 0,
        }
        for state, count in self.db.execute("SELECT state, count(*) FROM done GROUP BY state"):
            out[EntryState(state)] = int(count)
        return out

    def _load_pending(self) -> list[Entry]:
        rows = self.db.execute(
            "SELECT n, id, key, frame, created, attempts, last_error FROM outbox ORDER BY n"
        )
        return [Entry(n, i, k, json.loads(f), c, PENDING, a, le) for n, i, k, f, c, a, le in rows]

    def _find_done(self, mark_id: str) -> Entry | None:
        row = self.db.execute(
            "SELECT n, id, frame, created, state, seq, duplicate, code, message FROM done "
            "WHERE id = ?",
            (mark_id,),
        ).fetchone()
        return None if row is None else self._done_entry(row)

    @staticmethod
    def _done_entry(row: tuple[Any, ...]) -> Entry:
        n, i, f, c, state, seq, dup, code, msg = row
        frame = json.loads(f)
        return Entry(
            n,
            i,
            order_key(frame),
            frame,
            c,
            EntryState(state),
            seq=seq,
            duplicate=bool(dup),
            code=code,
            message=msg,
        )
