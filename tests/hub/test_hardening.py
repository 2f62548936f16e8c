"""Issue 12: frames and storage failures that used to desynchronise or kill the hub."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import httpx
import msgpack
import pytest

from server.ledger.sqlite import LedgerCorrupt, SQLiteLedger
from tests.hubkit import ROOT, Client, HubProcess, judge, mark


async def test_unstorable_id_is_refused_up_front_and_resends_stay_duplicates(
    hub: HubProcess,
) -> None:
    j = await judge(hub, "weld-j1")
    first = await mark(j, "ok-1", "weld", "weld-1", "B1", "7")
    assert first["type"] == "ack"
    raw = (
        '{"type":"mark","id":"bad\\ud800","program":"weld","competitor":"weld-2",'
        '"aspect":"B1","value":"5"}'
    )
    await j.send_raw(raw)
    error = await j.recv()
    assert error["type"] == "error" and error["code"] == "invalid_text", error
    again = await mark(j, "ok-1", "weld", "weld-1", "B1", "7")
    assert again["seq"] == first["seq"] and again.get("duplicate") is True, again
    nxt = await mark(j, "ok-2", "weld", "weld-2", "B1", "3")
    assert nxt["type"] == "ack" and nxt["seq"] == first["seq"] + 1
    board = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert "bad" not in json.dumps(board)


FUZZ_TEXT = [
    "[" * 5000 + "]" * 5000,
    '{"type":"ping","id":' + "[" * 3000 + "]" * 3000 + "}",
    '{"type":"\\ud800"}',
    '{"type":"ping","\\udfff":"x"}',
    '{"type":"mark","id":"\\ud800x","program":"weld","competitor":"weld-1","aspect":"B1","value":"1"}',
    '{"type":"ping","id":' + str(2**70) + "}",
    '{"type":"mark","id":' + str(2**70) + ',"program":"weld","competitor":"weld-1",'
    '"aspect":"B1","value":"1"}',
    '{"type":"subscribe","channel":"\\ud800"}',
]
FUZZ_BYTES = [
    msgpack.packb({b"type": "ping"}, use_bin_type=True),
    msgpack.packb({"type": "ping", b"id": "x"}, use_bin_type=True),
    msgpack.packb({"type": "ping", 1: "x"}),
    msgpack.packb({"type": "ping", "id": 2**64 - 1}),
    msgpack.packb({"type": "mark", "id": 2**64 - 1}),
    b"\x91" * 5000,
]


@pytest.mark.parametrize("binary", [False, True])
@pytest.mark.parametrize("path", ["/ws/judge", "/ws/live"])
async def test_hostile_frames_get_error_frames_not_tracebacks(
    hub: HubProcess, path: str, binary: bool
) -> None:
    c = await Client.open(f"{hub.ws}{path}", binary)
    for data in [*FUZZ_TEXT, *FUZZ_BYTES]:
        await c.send_raw(data)
        reply = await c.recv()
        assert reply["type"] == "error" and reply["code"], (data[:80], reply)
    await c.send({"type": "ping", "id": "still-alive"})
    pong = await c.recv()
    assert pong["type"] == "pong"
    await asyncio.sleep(0.2)
    assert "Traceback" not in hub.log_path.read_text()


async def test_append_failure_keeps_the_cause_and_shows_in_status(tmp_path: Path) -> None:
    ledger = SQLiteLedger(f"sqlite:///{tmp_path / 'l.db'}")
    await ledger.open()
    try:
        await ledger.append([("a:1", {"kind": "mark", "v": "x"})])
        assert (await ledger.status())["writable"] is True
        assert ledger._db is not None
        pages = ledger._db.execute("PRAGMA page_count").fetchone()[0]
        ledger._db.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(Exception, match="full"):
            await ledger.append([(f"a:{i}", {"kind": "mark", "v": "x" * 5000}) for i in range(50)])
        status = await ledger.status()
        assert status["writable"] is False and "full" in status["error"], status
    finally:
        await ledger.close()


def test_corrupt_ledger_file_library_raises_cli_exits_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "ledger.db"
    bad.write_bytes(b"this is not a database" * 100)
    ledger = SQLiteLedger(f"sqlite:///{bad}")
    with pytest.raises(LedgerCorrupt):
        asyncio.run(ledger.open())
    h = HubProcess(tmp_path / "hub", store=f"sqlite:///{bad}")
    for command in ("credentials", "serve"):
        out = subprocess.run(h._cmd(command), cwd=ROOT, capture_output=True, text=True, timeout=30)
        assert out.returncode == 3, (command, out)
        assert "not a Scorecast ledger" in out.stderr and "Traceback" not in out.stderr, out


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "is empty (0 bytes)"),
        (b"SQLite format 3\x00", "not a Scorecast ledger"),  # truncated after the header
        (b"\x00" * 4096, "not a Scorecast ledger"),
    ],
    ids=["empty", "truncated", "zeros"],
)
def test_a_ledger_file_that_is_not_the_record_refuses_to_start(
    tmp_path: Path, content: bytes, says: str
) -> None:
    """Issue 12 item 8: an empty ledger file used to start a new competition at seq 0."""
    bad = tmp_path / "ledger.db"
    bad.write_bytes(content)
    h = HubProcess(tmp_path / "hub", store=f"sqlite:///{bad}")
    out = subprocess.run(h._cmd("serve"), cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.returncode == 3, out
    assert says in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert bad.read_bytes() == content  # nothing written
