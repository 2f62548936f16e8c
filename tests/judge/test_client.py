"""The judge SDK's parts: the outbox file, scheme checks, CSV rows, and its protocol edges."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from judge_client.cli import read_csv, row_id
from judge_client.client import Backoff, JudgeClient, http_url, judge_url
from judge_client.errors import AuthFailed, InvalidEntry, OutboxMismatch, Refused
from judge_client.outbox import Outbox
from judge_client.scheme import Aspect, number
from tests.hubkit import HubProcess
from tests.judge.kit import ledger_events

# -- the outbox -------------------------------------------------------------------------


def test_outbox_keeps_order_and_survives_reopening(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    a = box.add(
        {"type": "mark", "program": "weld", "competitor": "weld-1", "aspect": "B1", "value": "1"}
    )
    b = box.add(
        {"type": "mark", "program": "weld", "competitor": "weld-2", "aspect": "B1", "value": "2"}
    )
    c = box.add({"type": "signoff", "program": "weld", "competitor": "weld-1"})
    assert box.add(dict(a.frame)).n == a.n, "the same id is queued once"
    box.acked(a.id, 7, duplicate=False)
    box.refused(b.id, "out_of_range", "2 is out of range")
    box.close()

    again = Outbox(tmp_path / "o.db")
    assert [e.id for e in again.pending()] == [c.id]
    assert again.counts() == {"pending": 1, "acked": 1, "refused": 1}
    done = {e.id: e for e in again.done()}
    assert (
        done[a.id].seq == 7
        and done[b.id].code == "out_of_range"
        and done[b.id].message == "2 is out of range"
    )
    assert again.add(dict(b.frame)).state == "refused", "an answered id is not queued again"
    assert a.key == c.key != b.key, "frames on one competitor share an order key"
    again.close()


def test_outbox_writes_are_durable_before_add_returns(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.db")
    e = box.add(
        {"type": "mark", "program": "weld", "competitor": "weld-1", "aspect": "B1", "value": "1"}
    )
    # another connection (another process after a crash) sees the committed row at once
    other = sqlite3.connect(tmp_path / "o.db")
    assert other.execute("SELECT id FROM outbox").fetchall() == [(e.id,)]
    other.close()
    box.close()


# -- checks before a mark is queued ------------------------------------------------------


def test_scheme_checks_range_step_and_pass_words() -> None:
    b1 = Aspect("B1", "score", number("0"), number("10"), number("1/2"))
    assert b1.check("8.5") == "8.5"
    with pytest.raises(InvalidEntry, match="out of range") as e:
        b1.check("10.5")
    assert e.value.code == "out_of_range"
    with pytest.raises(InvalidEntry, match="steps of 0.5"):
        b1.check("7.25")
    with pytest.raises(InvalidEntry, match="enter a number"):
        b1.check("eight")
    a2 = Aspect("A2", "measurement", number("0"), number("1"), number("1"))
    assert a2.check("PASS") == "pass" and a2.check("1") == "1"
    assert b1.hint() == "0–10 step 0.5" and a2.hint() == "pass/fail"


def test_csv_rows_with_or_without_header_and_stable_ids(tmp_path: Path) -> None:
    f = tmp_path / "gate.csv"
    f.write_text("weld,weld-1,B1,8.5\nweld,2,B1,7,my-id\n\n")
    rows = read_csv(f)
    assert rows == [
        {"program": "weld", "competitor": "weld-1", "aspect": "B1", "value": "8.5"},
        {"program": "weld", "competitor": "2", "aspect": "B1", "value": "7", "id": "my-id"},
    ]
    g = tmp_path / "gate2.csv"
    g.write_text("\ufeffProgram,Competitor,Aspect,Value\nweld,weld-1,B1,8.5\n")
    assert read_csv(g) == rows[:1]
    assert row_id(f, 1, rows[0]) == row_id(f, 1, dict(rows[0])) != row_id(f, 2, rows[0])


def test_addresses_and_backoff() -> None:
    assert judge_url("ws://hub:8000") == "ws://hub:8000/ws/judge"
    assert judge_url("http://hub:8000/") == "ws://hub:8000/ws/judge"
    assert judge_url("hub:8000") == "ws://hub:8000/ws/judge"
    assert http_url("wss://hub.example/ws/judge") == "https://hub.example"
    b = Backoff(0.25, 4.0)
    delays = [b.next() for _ in range(10)]
    assert all(0 < d <= 4.0 for d in delays) and max(delays[6:]) > 1.0, delays
    b.reset()
    assert b.next() <= 0.25


# -- against a real hub ----------------------------------------------------------------------


async def test_refusals_are_typed_and_kept_for_the_status_listing(
    hub: HubProcess, tmp_path: Path
) -> None:
    async with JudgeClient(hub.ws, hub.tokens["weld-sy"], tmp_path / "sy.db", binary=True) as judge:
        ack = await judge.mark("weld", "weld-1", "B1", "8.5")
        assert ack.seq == 2 and not ack.duplicate  # seq 1: the competition
        with pytest.raises(Refused) as e:
            await judge.mark("weld", "weld-5", "B1", "8")  # weld-5 is from SY, as is the judge
        assert (
            e.value.code == "conflict_of_interest" and "another judge must mark" in e.value.message
        )
        # the same id again: the hub's original ack, marked duplicate, no second event
        assert (await judge.mark("weld", "weld-1", "B1", "8.5", id=ack.id)) == ack
        entry = judge.outbox.find(e.value.mark_id or "")
        assert (
            entry is not None and entry.state == "refused" and entry.code == "conflict_of_interest"
        )
    assert [ev["id"] for _, _, ev in ledger_events(hub)] == [ack.id]


async def test_a_resent_id_is_acked_as_duplicate_and_counted_once(
    hub: HubProcess, tmp_path: Path
) -> None:
    async with JudgeClient(hub.ws, hub.tokens["weld-j1"], tmp_path / "a.db") as judge:
        first = await judge.mark("weld", "weld-1", "B1", "8.5", id="same-id")
    # another device of the same judge (a fresh outbox) sends the same id: nothing new
    async with JudgeClient(hub.ws, hub.tokens["weld-j1"], tmp_path / "b.db") as judge:
        again = await judge.mark("weld", "weld-1", "B1", "8.5", id="same-id")
    assert again.seq == first.seq and again.duplicate
    assert len(ledger_events(hub)) == 1


async def test_bad_credential_and_foreign_outbox_are_fatal(hub: HubProcess, tmp_path: Path) -> None:
    async with JudgeClient(hub.ws, "weld-j1.not-the-secret", tmp_path / "x.db") as judge:
        with pytest.raises(AuthFailed):
            await judge.wait_online(5)
        assert judge.state == "refused"
    box = tmp_path / "j1.db"
    async with JudgeClient(hub.ws, hub.tokens["weld-j1"], box, backoff=(5, 5)) as judge:
        judge.enqueue_mark("weld", "weld-1", "B1", "1")
        await judge.close()  # gone before it could send: the mark stays queued
    with pytest.raises(OutboxMismatch, match="weld-j1"):
        JudgeClient(hub.ws, hub.tokens["weld-j2"], box)


async def test_rate_limited_frames_are_resent_not_lost(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", env={"SCORECAST_JUDGE_RATE": "5"})
    hub.issue_credentials()
    hub.start()
    try:
        # the client paces itself at 40/s, the hub takes 5/s: many frames are refused as
        # rate_limited (without an id, before they are read) and must be resent
        async with JudgeClient(
            hub.ws, hub.tokens["weld-j1"], tmp_path / "r.db", window=64
        ) as judge:
            for i in range(40):
                judge.enqueue_mark("weld", f"weld-{i % 6 + 1}", "B1", str(i % 10))
            await asyncio.wait_for(judge.drain(), 60)
            assert judge.outbox.counts() == {"pending": 0, "acked": 40, "refused": 0}
        assert len(ledger_events(hub)) == 40
    finally:
        hub.stop()
