"""server/judge_answers.py: a judge's answers are framed by the hub and written straight to the
socket, the answers of one loop turn (a group commit's acks) in one write, still in the order of
the frames and each only after its commit."""

from __future__ import annotations

import sqlite3

import httpx

from tests.hubkit import HubProcess, judge


def counter(hub: HubProcess, name: str) -> int:
    for line in httpx.get(f"{hub.http}/metrics").text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise KeyError(name)


def frame(i: int) -> dict[str, str]:
    return {
        "type": "mark",
        "id": f"a{i}",
        "program": "weld",
        "competitor": f"weld-{i % 6 + 1}",
        "aspect": "B1",
        "value": str(i % 10),
    }


async def test_acks_of_a_group_commit_share_one_write_in_order(hub: HubProcess) -> None:
    j = await judge(hub, "weld-j1")  # its welcome: one answer in one write
    assert (counter(hub, "scorecast_judge_writes_total"), 1) == (
        counter(hub, "scorecast_judge_answers_total"),
        1,
    )
    frames = [frame(i) for i in range(30)]
    for f in frames:
        await j.send(f)
    answers = [await j.recv() for _ in frames]
    assert [(a["type"], a["id"]) for a in answers] == [("ack", f["id"]) for f in frames]
    seqs = [a["seq"] for a in answers]
    assert seqs == sorted(seqs) and len(set(seqs)) == 30
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    stored = dict(db.execute("SELECT key, seq FROM events WHERE key LIKE 'weld-j1:a%'").fetchall())
    db.close()
    assert {f"weld-j1:{a['id']}": a["seq"] for a in answers} == stored  # each acked is committed
    writes = counter(hub, "scorecast_judge_writes_total") - 1
    assert counter(hub, "scorecast_judge_answers_total") - 1 == 30
    assert writes < 30  # one write per connection and loop turn, not one per ack
    ping = {"type": "ping", "id": "after"}
    await j.send(ping)
    assert await j.recv() == {"type": "pong", "id": "after"}
