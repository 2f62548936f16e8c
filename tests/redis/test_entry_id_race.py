"""Two hubs on one Redis, one operator's entry id sent to both with other content at once
(issue 15, review rev5): each hub checked the id against its own board before either had seen
the other's entry, the ledger kept the first under the key, and the second hub acked its own
``duplicate``: the operator was told both sheets were typed, one was not. The entry the ledger
did not take is refused ``id_reused`` now, whichever hub it reached."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.conftest import RedisFactory
from tests.hub.test_double_entry import entry, paper_competition
from tests.hubkit import HubProcess, judge


async def test_an_entry_id_raced_on_two_hubs_is_refused_once(
    tmp_path: Path, redis_factory: RedisFactory
) -> None:
    redis = redis_factory()
    comp = paper_competition()
    hubs = [
        HubProcess(tmp_path / f"hub{i}", comp, store=redis.url, broker=redis.url) for i in (0, 1)
    ]
    hubs[0].issue_credentials()
    hubs[1].tokens = hubs[0].tokens
    try:
        for h in hubs:
            h.start()
        a, b = await judge(hubs[0], "op1"), await judge(hubs[1], "op1")
        outcomes = []
        for n in range(6):
            x, y = await asyncio.gather(
                entry(a, f"r{n}", "8.5", sheet=f"s{n}a"), entry(b, f"r{n}", "6", sheet=f"s{n}b")
            )
            said = [(f["type"], f.get("code") or "", bool(f.get("duplicate"))) for f in (x, y)]
            outcomes.append(sorted(said))
        # one typed, the other refused: never two acks of one id for two contents
        assert outcomes == [[("ack", "", False), ("error", "id_reused", False)]] * 6, outcomes
    finally:
        for h in hubs:
            h.kill()
