"""Review of issue 17's fifth pass: the 32-message read-ahead (server/ws_live.py) and the
answers written at the end of a loop turn (server/judge_answers.py) against rate limiting, the
order of a judge's marks, and a judge that drops the connection with answers in flight."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from tests.hub.test_judge_answers import frame
from tests.hubkit import HubProcess, judge


def ledger(hub: HubProcess, like: str) -> dict[str, int]:
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    try:
        rows = db.execute("SELECT key, seq FROM events WHERE key LIKE ?", (like,)).fetchall()
    finally:
        db.close()
    return dict(rows)


async def test_a_pipelined_burst_is_rate_limited_in_order_and_refusals_change_nothing(
    tmp_path: Path,
) -> None:
    hub = HubProcess(tmp_path / "hub", env={"SCORECAST_JUDGE_RATE": "5"})  # bursts of 10
    hub.issue_credentials()
    hub.start()
    try:
        j = await judge(hub, "weld-j1")
        frames = [frame(i) for i in range(60)]
        started = time.monotonic()
        for f in frames:  # all at once: more than the read-ahead and the answer window
            await j.send(f)
        answers = [await j.recv() for _ in frames]
        elapsed = time.monotonic() - started
        assert [a["id"] for a in answers] == [f["id"] for f in frames]  # in order
        acked = [a for a in answers if a["type"] == "ack"]
        limited = [a for a in answers if a["type"] == "error"]
        assert all(a["code"] == "rate_limited" for a in limited), limited
        assert 9 <= len(acked) <= 9 + 5 * elapsed + 1, (len(acked), elapsed)  # the auth took one
        assert [a["id"] for a in acked[:9]] == [f"a{i}" for i in range(9)]
        stored = ledger(hub, "weld-j1:a%")
        assert stored == {f"weld-j1:{a['id']}": a["seq"] for a in acked}  # refused: not stored
    finally:
        hub.stop()


async def test_a_judge_gone_with_answers_in_flight_loses_nothing_and_applies_nothing_twice(
    hub: HubProcess,
) -> None:
    j = await judge(hub, "weld-j2")
    frames = [frame(i) for i in range(80)]
    for f in frames:
        await j.send(f)
    await asyncio.sleep(0.02)  # some committed, some acked, some answers kept for the turn's end
    j.conn.transport.abort()  # a reset, mid-write
    await asyncio.sleep(0.5)
    before = ledger(hub, "weld-j2:a%")
    j2 = await judge(hub, "weld-j2")
    for f in frames:
        await j2.send(f)
    answers = [await j2.recv() for _ in frames]
    assert [(a["type"], a["id"]) for a in answers] == [("ack", f["id"]) for f in frames]
    after = ledger(hub, "weld-j2:a%")
    assert after == {f"weld-j2:{a['id']}": a["seq"] for a in answers}  # once each, at its seq
    assert all(a.get("duplicate") for a in answers if f"weld-j2:{a['id']}" in before)
    assert len(set(after.values())) == 80


async def test_a_sigterm_while_judges_pipeline_ends_the_hub_in_2_s_and_every_ack_is_stored(
    tmp_path: Path,
) -> None:
    """Answers kept for the end of a loop turn, a window holding screens' updates, judges
    pipelining: SIGTERM ends the hub within 2 s, and each ack that reached a judge is stored."""
    import signal

    from tests.hubkit import viewer

    hub = HubProcess(tmp_path / "hub", env={"SCORECAST_JUDGE_RATE": "100000"})
    hub.issue_credentials()
    hub.start()
    try:
        screens = [await viewer(hub, "program:weld") for _ in range(5)]
        judges = [await judge(hub, f"weld-j{k}") for k in (1, 2, 3)]
        acks: list[tuple[str, int]] = []

        async def pipeline(k: int) -> None:
            j = judges[k]
            for i in range(2000):
                await j.send({**frame(i), "id": f"s{k}-{i}"})
                if i % 20 == 19:
                    await asyncio.sleep(0)

        async def read(k: int) -> None:
            j = judges[k]
            try:
                while True:
                    a = await j.recv(timeout=10)
                    if a["type"] == "ack":
                        acks.append((f"weld-j{k + 1}:{a['id']}", a["seq"]))
            except Exception:  # noqa: BLE001 — the hub went away
                return

        tasks = [asyncio.create_task(pipeline(k)) for k in range(3)]
        readers = [asyncio.create_task(read(k)) for k in range(3)]
        while len(acks) < 300:
            await asyncio.sleep(0.01)
        assert hub.proc is not None
        started = time.monotonic()
        hub.proc.send_signal(signal.SIGTERM)
        while hub.proc.poll() is None and time.monotonic() - started < 5:
            await asyncio.sleep(0.01)
        took = time.monotonic() - started
        print(f"SIGTERM to exit: {took:.2f} s, {len(acks)} acks")
        assert took < 2.0, took
        assert "judge.frame_failed" not in hub.log_path.read_text()  # closing: dropped, not failed
        for t in tasks:
            t.cancel()
        await asyncio.gather(*readers, *tasks, return_exceptions=True)
        stored = ledger(hub, "weld-j%:s%")
        assert all(stored.get(key) == seq for key, seq in acks), "an ack not in the ledger"
        assert len(acks) >= 300 and screens
    finally:
        hub.stop()
