"""The global order, in process: hubs on a real Redis whose timing the test controls.

Hub A gets no broker messages (an in-process broker), so its board lags the
ledger until it reads it: the window in which two hubs check conflicting
events at once, made deterministic.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from scoreboard import EventRefused, Locked, MarkSubmitted, load_competition
from server.broker.memory import MemoryBroker
from server.broker.redis import RedisBroker
from server.hub import Hub
from server.ledger import namespace
from server.ledger.redis import RedisLedger
from tests.conftest import RedisFactory
from tests.hubkit import small_competition

pytestmark = pytest.mark.redis

COMPETITION = load_competition(small_competition())
NS = namespace(COMPETITION.id)


def mark(mid: str, competitor: str = "weld-1", value: str = "7") -> MarkSubmitted:
    return MarkSubmitted(
        id=mid,
        program="weld",
        competitor=competitor,
        aspect="B1",
        judge="weld-j1",
        value=value,
        ts=1,
    )


@pytest.fixture
async def hubs(redis_factory: RedisFactory) -> AsyncIterator[tuple[Hub, Hub]]:
    url = redis_factory().url
    lagging = Hub(COMPETITION, "t", RedisLedger(url, NS), MemoryBroker("memory://"))
    live = Hub(COMPETITION, "t", RedisLedger(url, NS), RedisBroker(url, NS))
    await lagging.start()
    await live.start()
    yield lagging, live
    await lagging.stop()
    await live.stop()


async def test_conflicting_events_checked_on_two_hubs_are_refused_in_order_alike(
    hubs: tuple[Hub, Hub],
) -> None:
    lagging, live = hubs
    lock = Locked(id="l1", program="weld", competitor="weld-1", author="weld-chief", ts=1)
    assert await live.submit("weld-chief", lock) == (1, False)
    # the lagging hub has not seen the lock: its check passes, the ledger orders the mark after it
    assert lagging.applied == 0
    with pytest.raises(EventRefused) as refused:
        await lagging.submit("weld-j1", mark("m1"))
    assert refused.value.code == "locked"
    assert lagging.applied == 2  # it read the ledger to apply its own mark in order
    # every hub refused it alike; a resend gets the same answer, from either hub
    assert await live.wait_applied(2, 2.0)
    for hub in (lagging, live):
        with pytest.raises(EventRefused):
            await hub.submit("weld-j1", mark("m1"))
        assert hub.board.snapshot("program:weld:jury") == live.board.snapshot("program:weld:jury")
    assert len(await live.ledger.read(0)) == 2  # the refused mark is in the ledger once, as a no-op


async def test_ack_after_own_apply_and_exactly_once_across_hubs(hubs: tuple[Hub, Hub]) -> None:
    lagging, live = hubs
    seq, duplicate = await live.submit("weld-j1", mark("m1", value="8"))
    assert (seq, duplicate) == (1, False)
    # read your own writes: the acking hub shows the mark when the ack returns
    row = next(
        r for r in live.board.snapshot("program:weld")["rows"] if r["competitor"]["id"] == "weld-1"
    )
    assert row["total"] == "8.00"
    # the same mark resent through another hub (one that has not seen it) is the same mark
    assert await lagging.submit("weld-j1", mark("m1", value="8")) == (1, True)
    assert lagging.applied == 1
    # other hubs' events reach the lagging hub when it appends its own after them
    await live.submit("weld-j1", mark("m2", competitor="weld-2", value="5"))
    assert await lagging.submit("weld-j1", mark("m3", competitor="weld-3", value="6")) == (3, False)
    assert await live.wait_applied(3, 2.0)
    assert lagging.board.snapshot("program:weld") == live.board.snapshot("program:weld")
