"""The chaos bench's judges (real SDK clients) and its audit (ledger vs acks vs boards)."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from judge_client.client import Ack, JudgeClient
from scoreboard import EventRefused, Scoreboard, event_from_dict, load_competition
from server.ledger import RECORD_KINDS, namespace, open_ledger
from tests.hubkit import HubProcess

from .workload import CHANNEL, PROGRAM, Marks, competition


class Judges:
    """``n`` judges, each queueing ``marks`` marks at once in its own outbox, then waiting for
    every ack however long the hub, Redis or the disk take to come back."""

    def __init__(
        self, hub: HubProcess, outboxes: Path, n: int, marks: int, pace: float = 0.05
    ) -> None:
        self.hub = hub
        self.pace = pace
        self.outboxes = outboxes
        self.n = n
        self.marks = marks
        outboxes.mkdir(parents=True, exist_ok=True)

    async def one(self, j: int) -> list[Ack]:
        token = self.hub.tokens[f"J{j}"]
        gen = Marks()
        client = JudgeClient(
            self.hub.ws,
            token,
            self.outboxes / f"J{j}.db",
            backoff=(0.05, 0.5),
            rate=200.0,
        )
        async with client:
            ids = []
            for _ in range(self.marks):
                m = gen.next(j)
                entry = client.enqueue_mark(
                    m["program"], m["competitor"], m["aspect"], m["value"], id=m["id"]
                )
                ids.append(entry.id)
                await asyncio.sleep(self.pace)  # judges mark one after another, not all at once
            return [await client.result(i, timeout=180) for i in ids]

    async def run(self) -> dict[str, list[Ack]]:
        results = await asyncio.gather(*(self.one(j) for j in range(1, self.n + 1)))
        return {f"J{j}": acks for j, acks in zip(range(1, self.n + 1), results, strict=True)}


@dataclass
class Audit:
    acked: int = 0
    in_ledger: int = 0
    duplicate_acks: int = 0
    missing: list[str] = field(default_factory=list)
    wrong_seq: list[str] = field(default_factory=list)
    board_equals_replay: bool = False


async def read_all(store: str) -> list[tuple[int, str, dict[str, Any]]]:
    ledger = open_ledger(store, namespace(competition()["id"]))
    await ledger.open()
    try:
        events: list[tuple[int, str, dict[str, Any]]] = []
        while batch := await ledger.read(events[-1][0] if events else 0, 10000):
            events += batch
        return events
    finally:
        await ledger.close()


def replay(events: list[tuple[int, str, dict[str, Any]]]) -> Scoreboard:
    board = Scoreboard(load_competition(competition()))
    for _seq, _key, body in events:
        try:
            if body.get("kind") not in RECORD_KINDS:  # the competition's record, not board events
                board.apply(event_from_dict(body))
        except EventRefused:
            pass
    return board


async def audit(hub: HubProcess, store: str, acks: dict[str, list[Ack]]) -> Audit:
    """Every ack once in the ledger at its seq; the hub's public board equals a fresh replay."""
    events = await read_all(store)
    keys = Counter(key for _seq, key, _body in events)
    seq_of = {key: seq for seq, key, _body in events}
    out = Audit()
    for judge, judge_acks in acks.items():
        for ack in judge_acks:
            out.acked += 1
            out.duplicate_acks += ack.duplicate
            key = f"{judge}:{ack.id}"
            if key not in seq_of:
                out.missing.append(key)
            elif seq_of[key] != ack.seq or keys[key] != 1:
                out.wrong_seq.append(f"{key}: acked {ack.seq}, ledger {seq_of[key]} ×{keys[key]}")
    out.in_ledger = sum(1 for _s, key, body in events if body.get("kind") == "mark")
    truth = replay(events).snapshot(CHANNEL)
    async with httpx.AsyncClient(timeout=10) as http:
        for _ in range(50):  # the hub applies what it acked before it answers; allow a fan-out tick
            shown = (await http.get(f"{hub.http}/api/v1/programs/{PROGRAM}/leaderboard")).json()
            if shown["rows"] == truth["rows"]:
                out.board_equals_replay = True
                break
            await asyncio.sleep(0.1)
    return out
