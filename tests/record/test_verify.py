"""Issue 13: every event is chained by hash; verify names the first tampered seq."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import httpx
import redis

from tests.conftest import RedisFactory
from tests.hubkit import HubProcess, judge, mark
from tests.record.kit import scorecast


async def some_marks(hub: HubProcess, n: int = 6) -> list[int]:
    j = await judge(hub, "weld-j1")
    seqs = []
    for i in range(n):
        ack = await mark(j, f"v{i}", "weld", f"weld-{i % 6 + 1}", "B1", str(i % 10))
        assert ack["type"] == "ack", ack
        seqs.append(ack["seq"])
    return seqs


def flip_one_byte(body: bytes, old: bytes, new: bytes) -> bytes:
    i = body.index(old)
    assert len(old) == len(new) == 1
    return body[:i] + new + body[i + 1 :]


async def test_sqlite_verify_passes_untouched_and_names_the_tampered_seq(hub: HubProcess) -> None:
    seqs = await some_marks(hub)
    head = httpx.get(f"{hub.http}/api/v1/ledger/head").json()
    assert head["seq"] == seqs[-1] and len(head["hash"]) == 64
    hub.stop()
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 0, out.stdout
    assert f"head seq {head['seq']} hash {head['hash']}" in out.stdout
    export = [
        json.loads(line)
        for line in scorecast("export-ledger", "--store", hub.store).stdout.splitlines()
    ]
    assert [e["seq"] for e in export] == list(range(1, seqs[-1] + 1))
    assert export[-1]["hash"] == head["hash"]
    assert set(export[2]) == {"seq", "time", "author", "kind", "fields", "hash", "key", "body"}
    assert export[2]["author"] == "weld-j1" and export[2]["fields"]["value"] == "1"
    # one byte of one event: the value "3" becomes "4"
    target = seqs[3]
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    (body,) = db.execute("SELECT body FROM events WHERE seq = ?", (target,)).fetchone()
    db.execute(
        "UPDATE events SET body = ? WHERE seq = ?", (flip_one_byte(body, b"3", b"4"), target)
    )
    db.commit()
    db.close()
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 5, out.stdout
    assert f"BROKEN at seq {target}:" in out.stdout


async def test_sqlite_snapshot_with_a_hash_the_ledger_does_not_hold_is_ignored(
    hub: HubProcess,
) -> None:
    await some_marks(hub)
    hub.stop()  # saves a snapshot with the head hash
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    (seq,) = db.execute("SELECT seq FROM snapshots").fetchone()
    db.execute("UPDATE events SET hash = ? WHERE seq = ?", ("f" * 64, seq))
    db.commit()
    db.close()
    hub.start()
    log = hub.log_path.read_text()
    assert "hub.snapshot_ignored" in log and "replaying the ledger" in log
    restored = [ln for ln in log.splitlines() if "hub.restored" in ln][-1]
    assert '"from_snapshot": 0' in restored


async def test_redis_verify_passes_untouched_and_names_the_tampered_seq(
    tmp_path: object, redis_factory: RedisFactory
) -> None:
    server = redis_factory()
    from pathlib import Path

    hub = HubProcess(Path(str(tmp_path)) / "rhub", store=server.url, broker=server.url)
    hub.issue_credentials()
    hub.start()
    try:
        seqs = await some_marks(hub)
        head = httpx.get(f"{hub.http}/api/v1/ledger/head").json()
        assert head["seq"] == seqs[-1] and len(head["hash"]) == 64
    finally:
        hub.stop()
    args = ["--store", server.url, "--competition", str(hub.competition_path)]
    out = scorecast("verify", *args)
    assert out.returncode == 0, out.stdout
    assert f"head seq {head['seq']} hash {head['hash']}" in out.stdout
    assert "unsealed" not in out.stdout  # the appending hub stored every link before acking
    # without the file: the Redis's only competition (it used to verify the sample's, empty)
    alone = scorecast("verify", "--store", server.url)
    assert alone.returncode == 0 and f"head seq {head['seq']} hash {head['hash']}" in alone.stdout
    # one byte of one event: rewrite the stream with the value "2" of one mark as "7"
    target = seqs[2]
    r = redis.Redis.from_url(server.url)
    stream = "{scorecast:test2026}:events"
    entries = r.xrange(stream)
    r.delete(stream)
    for entry_id, fields in entries:
        if int(entry_id.split(b"-")[0]) == target:
            fields[b"e"] = flip_one_byte(fields[b"e"], b"2", b"7")
        r.xadd(stream, fields, id=entry_id)
    r.close()
    out = scorecast("verify", *args)
    assert out.returncode == 5, out.stdout
    assert f"BROKEN at seq {target}:" in out.stdout
    alone = scorecast("verify", "--store", server.url)
    assert alone.returncode == 5 and f"BROKEN at seq {target}:" in alone.stdout
    await asyncio.sleep(0)
