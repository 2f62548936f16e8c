"""Issue 13's chain hashes the stored bytes: an export recomputes it, and a ledger written by the
previous format (canonical JSON) still verifies, is continued, and is never passed when tampered."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3

import msgpack

from server.chain import GENESIS, legacy_link
from tests.hubkit import HubProcess, judge, mark
from tests.record.kit import scorecast
from tests.record.test_verify import flip_one_byte, some_marks


async def test_the_chain_is_recomputed_from_an_export_alone(hub: HubProcess) -> None:
    await some_marks(hub)
    hub.stop()
    lines = [
        json.loads(line)
        for line in scorecast("export-ledger", "--store", hub.store).stdout.splitlines()
    ]
    prev = bytes(32)
    for line in lines:
        # what docs/operations.md says the hash covers, written out without the project's code
        body = base64.b64decode(line["body"])
        assert msgpack.unpackb(body)["kind"] == line["kind"]
        k = line["key"].encode()
        h = hashlib.sha256(
            prev + line["seq"].to_bytes(8, "big") + len(k).to_bytes(4, "big") + k + body
        )
        assert h.hexdigest() == line["hash"], line["seq"]
        prev = h.digest()


def to_format_1(store: str) -> int:
    """Rewrite every link as the previous code wrote it (canonical JSON): an old ledger."""
    db = sqlite3.connect(store.removeprefix("sqlite:///"))
    prev, n = GENESIS, 0
    for seq, key, body in db.execute("SELECT seq, key, body FROM events ORDER BY seq").fetchall():
        prev = legacy_link(prev, seq, key, msgpack.unpackb(body))
        db.execute("UPDATE events SET hash = ? WHERE seq = ?", (prev, seq))
        n += 1
    db.execute("DELETE FROM snapshots")  # they stand for the old links
    db.commit()
    db.close()
    return n


async def test_a_format_1_ledger_verifies_is_continued_and_a_tampered_one_fails(
    hub: HubProcess,
) -> None:
    seqs = await some_marks(hub)
    hub.stop()
    n = to_format_1(hub.store)
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 0, out.stdout
    assert f"{n} link(s) in chain format 1" in out.stdout
    # the hub continues it: new events are linked in the stored-bytes format on top
    hub.start()
    j = await judge(hub, "weld-j2")
    more = [(await mark(j, f"new{i}", "weld", f"weld-{i + 1}", "B1", "5"))["seq"] for i in range(3)]
    assert more == [seqs[-1] + 1, seqs[-1] + 2, seqs[-1] + 3]
    hub.stop()
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 0, out.stdout
    assert f"{n} link(s) in chain format 1" in out.stdout
    assert f"head seq {more[-1]}" in out.stdout
    # one byte of an old-format event: broken, in either format
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    (body,) = db.execute("SELECT body FROM events WHERE seq = ?", (seqs[3],)).fetchone()
    db.execute(
        "UPDATE events SET body = ? WHERE seq = ?", (flip_one_byte(body, b"3", b"4"), seqs[3])
    )
    db.commit()
    db.close()
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 5, out.stdout
    assert f"BROKEN at seq {seqs[3]}:" in out.stdout
