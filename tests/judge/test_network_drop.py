"""The hub goes away while a judge keeps marking; afterwards every mark is there once, in order."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from judge_client.client import JudgeClient
from tests.hubkit import HubProcess
from tests.judge.kit import jury_board, ledger_events, ledger_seq_count, marks_by_cell

CELLS = [(f"weld-{c}", a) for c in range(1, 7) for a in ("A1", "B1")]


def value(aspect: str, i: int) -> str:
    return str(i % 4) if aspect == "A1" else str(i % 21 / 2).removesuffix(".0")


async def make_marks(
    judge: JudgeClient,
    start: int,
    count: int,
    made: list[tuple[str, str, str, str]],
    pace: float = 0.02,
) -> None:
    for i in range(start, start + count):
        competitor, aspect = CELLS[i % len(CELLS)]
        entry = judge.enqueue_mark("weld", competitor, aspect, value(aspect, i))
        made.append((entry.id, competitor, aspect, value(aspect, i)))
        await asyncio.sleep(pace)


@pytest.mark.slow
@pytest.mark.parametrize("how", ["stop", "kill"])
async def test_marks_made_while_the_hub_is_down_arrive_once_in_order(
    hub: HubProcess, tmp_path: Path, how: str
) -> None:
    states: list[str] = []
    made: list[tuple[str, str, str, str]] = []
    async with JudgeClient(
        hub.ws,
        hub.tokens["weld-j1"],
        tmp_path / "judge.db",
        backoff=(0.1, 1.0),
        ping_interval=2,
        on_state=states.append,
    ) as judge:
        await judge.wait_online(5)
        await make_marks(judge, 0, 40, made)
        # the hub goes down in the middle of the stream: some marks are in flight
        port = hub.port
        hub.kill() if how == "kill" else hub.stop()
        await make_marks(judge, 40, 40, made)
        await asyncio.sleep(1.5)  # the client retries against a closed port meanwhile
        assert judge.state in ("offline", "connecting")
        assert len(judge.outbox) >= 40, "marks made while the hub is down wait in the outbox"
        hub.start()
        assert hub.port == port
        await make_marks(judge, 80, 40, made)
        await judge.drain(30)
        assert judge.outbox.counts() == {"pending": 0, "acked": 120, "refused": 0}
    assert states.count("online") >= 2 and "offline" in states

    events = ledger_events(hub)
    ids = [e["id"] for _, _, e in events]
    assert sorted(ids) == sorted(m[0] for m in made), "each mark exactly once"
    assert ledger_seq_count(hub) == (120, 120)
    order = {m[0]: n for n, m in enumerate(made)}
    for cell, cell_ids in marks_by_cell(events, "weld-j1").items():
        assert [order[i] for i in cell_ids] == sorted(order[i] for i in cell_ids), (
            f"{cell} out of order"
        )
    board = await jury_board(hub, "weld", "weld-chief")
    last = {(c, a): v for _, c, a, v in made}
    for row in board["rows"]:
        for aspect in ("A1", "B1"):
            assert row["aspects"][aspect]["marks"] == {
                "weld-j1": last[(row["competitor"]["id"], aspect)]
            }
