"""Issue 17: a judge may send many frames without waiting; the hub checks and applies them in
arrival order, commits them together, and answers each exactly once, in arrival order."""

from __future__ import annotations

import sqlite3

from tests.hubkit import HubProcess, judge


async def test_frames_sent_at_once_are_answered_in_order_each_once(hub: HubProcess) -> None:
    j = await judge(hub, "weld-j1")
    frames = []
    for i in range(40):
        frames.append(
            {
                "type": "mark",
                "id": f"p{i}",
                "program": "weld",
                "competitor": f"weld-{i % 6 + 1}",
                "aspect": "B1",
                "value": str(i % 10),
            }
        )
        if i == 10:
            frames.append(dict(frames[3]))  # a resend of an earlier one, in the same window
        if i == 20:  # refused: not this judge's program; nothing changes, the rest go on
            frames.append(
                {
                    "type": "mark",
                    "id": "bad",
                    "program": "cook",
                    "competitor": "cook-1",
                    "aspect": "A1",
                    "value": "5",
                }
            )
        if i == 30:
            frames.append({"type": "ping", "id": "ping"})
    for f in frames:
        await j.send(f)
    answers = [await j.recv() for _ in frames]
    assert [a.get("id") for a in answers] == [f["id"] for f in frames]
    by_id = {a["id"]: a for a in answers if a["id"] not in ("p3",)}
    first_p3, again_p3 = [a for a in answers if a["id"] == "p3"]
    assert first_p3["type"] == "ack" and "duplicate" not in first_p3
    assert again_p3 == {**first_p3, "duplicate": True}
    assert by_id["bad"]["type"] == "error"
    assert by_id["ping"]["type"] == "pong"
    seqs = [a["seq"] for a in answers if a["type"] == "ack" and not a.get("duplicate")]
    assert seqs == sorted(seqs) and len(set(seqs)) == 40  # the ledger's order is arrival order
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    stored = db.execute("SELECT key FROM events WHERE key LIKE 'weld-j1:%' ORDER BY seq").fetchall()
    db.close()
    assert [k for (k,) in stored] == [f"weld-j1:p{i}" for i in range(40)]  # each once
