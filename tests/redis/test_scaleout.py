"""Several hubs on one Redis: one order, no lost update, faults of Redis and of hubs.

Real redis-server (the ``redis_factory`` fixture), real hub processes.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis

from tests.conftest import RedisFactory
from tests.redis.conftest import HubsFactory
from tests.redis.kit import (
    CHANNELS,
    PROGRAMS,
    ResendingJudge,
    converged,
    metric,
    poll,
    read_ledger,
    screens,
)

pytestmark = pytest.mark.redis


def marks(
    program: str, judge_no: int, n: int, tag: str = "m"
) -> list[tuple[str, str, str, str, str]]:
    """``n`` valid marks of one judge: (id, program, competitor, aspect, value); later ones replace earlier."""
    out = []
    for i in range(n):
        competitor = f"{program}-{i % 6 + 1}"
        if i % 3 == 2:
            out.append(
                (
                    f"{tag}-{program}-j{judge_no}-{i}",
                    program,
                    competitor,
                    "A1",
                    str((i + judge_no) % 2 + 1),
                )
            )
        else:
            out.append(
                (
                    f"{tag}-{program}-j{judge_no}-{i}",
                    program,
                    competitor,
                    "B1",
                    str((i * 7 + judge_no) % 21 / 2),
                )
            )
    return out


async def mark_stream(
    judges: dict[tuple[str, int], ResendingJudge], n: int, tag: str = "m"
) -> None:
    """Every judge sends ``n`` marks, all judges at once, each resending until acked."""

    async def one(key: tuple[str, int], j: ResendingJudge) -> None:
        for mid, *rest in marks(key[0], key[1], n, tag):
            await j.mark(mid, *rest)

    await asyncio.gather(*(one(k, j) for k, j in judges.items()))


async def test_three_hubs_every_viewer_ends_on_the_replay(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    server = redis_factory()
    a, b, c = redis_hubs(server, 3)
    watching = await screens(b) + await screens(c)
    judges = {(p, n): ResendingJudge([a], f"{p}-j{n}") for p in PROGRAMS for n in (1, 2, 3)}
    await mark_stream(judges, 12)
    # a chief's action on hub C, between marks on hub A: all hubs apply it at the same place
    chief = ResendingJudge([c], "weld-chief")
    await chief._connect()
    assert chief.client is not None
    await chief.client.send(
        {"type": "visibility", "id": "freeze", "program": "weld", "visibility": "frozen"}
    )
    ack = await chief.client.recv_until(lambda f: f.get("id") == "freeze")
    assert ack["type"] == "ack", ack
    await mark_stream(judges, 3, tag="after")
    truth = await converged(watching, server.url)
    events = await read_ledger(server.url)
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))
    assert len(events) == 9 * 15 + 1 + 1  # and seq 1: the competition's definition
    for channel in CHANNELS:  # the boards moved (a hidden program's public board does not)
        assert truth.version(channel) > 0 or channel == "program:cook"
    # every hub answers the API from the same state, the judges' hub included
    for hub in (a, b, c):
        api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
        assert api == truth.snapshot("program:weld")
        assert httpx.get(f"{hub.http}/healthz").json()["seq"] == len(events)


async def test_redis_killed_mid_stream_every_mark_once_and_screens_converge(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    server = redis_factory()  # appendonly yes, appendfsync always: an ack is on disk
    a, b, c = redis_hubs(server, 3)
    watching = await screens(b) + await screens(c)
    judges = {
        (p, n): ResendingJudge([a, b], f"{p}-j{n}") for p in ("weld", "cook") for n in (1, 2, 3)
    }
    stream = asyncio.create_task(mark_stream(judges, 40))
    await poll(
        lambda: sum(len(j.acks) for j in judges.values()) >= 60,
        10,
        "marks flowing before the crash",
    )
    server.kill()
    await poll(
        lambda: sum(j.unavailable for j in judges.values()) > 0,
        10,
        "judges told: unavailable, retry",
    )
    health = httpx.get(f"{a.http}/healthz")
    assert health.status_code == 503 and health.json()["ledger"]["connected"] is False
    await poll(
        lambda: httpx.get(f"{b.http}/healthz").json()["broker"]["connected"] is False,
        10,
        "hub B notices its subscription is gone",
    )
    server.restart()
    await asyncio.wait_for(stream, 25)
    assert all(not s.closed.is_set() for s in watching), (
        "viewers kept their sockets through the outage"
    )
    events = [e for e in await read_ledger(server.url) if not e[1].startswith("record:")]
    assert events[0][0] == 2  # seq 1: the competition's definition
    sent = {m[0] for (p, n) in judges for m in marks(p, n, 40)}
    keys = [key.split(":", 1)[1] for _, key, _ in events]
    assert sorted(keys) == sorted(sent), "every mark exactly once"
    assert [seq for seq, _, _ in events] == list(range(2, len(events) + 2))
    acked = {mid: seq for j in judges.values() for mid, seq in j.acks.items()}
    assert {k: s for s, k in ((s, key.split(":", 1)[1]) for s, key, _ in events)} == acked
    await converged(watching, server.url, timeout=15)
    for hub in (a, b, c):
        await poll(
            lambda h=hub: httpx.get(f"{h.http}/healthz").json()["status"] == "ok",
            10,
            "healthy again",
        )
    assert metric(b, "scorecast_broker_reconnects_total") >= 1


async def test_hub_killed_viewers_resume_on_another_hub(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    server = redis_factory()
    a, b, c = redis_hubs(server, 3)
    moving = await screens(b)
    staying = await screens(c)
    judges = {(p, n): ResendingJudge([a], f"{p}-j{n}") for p in PROGRAMS for n in (1, 2)}
    stream = asyncio.create_task(mark_stream(judges, 30))
    await poll(lambda: sum(len(j.acks) for j in judges.values()) >= 40, 10, "marks flowing")
    b.kill()
    for s in moving:
        await asyncio.wait_for(s.closed.wait(), 5)
        await s.resume_on(c)  # with the versions they hold
    await asyncio.wait_for(stream, 25)
    await converged(moving + staying, server.url)
    for s in moving:
        # they resumed from deltas (no fresh snapshot needed), without a gap or a duplicate
        assert s.reconnects == 1 and not s.problems
        assert s.client is not None
        resumed = s.client.frames
        assert resumed and all(
            f["type"] == "delta" for f in resumed if f["type"] in ("delta", "snapshot")
        )


async def test_pubsub_client_killed_by_redis_is_detected_and_nothing_is_missed(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    server = redis_factory()
    a, b, c = redis_hubs(server, 3)
    watching = await screens(b) + await screens(c)
    judges = {("weld", n): ResendingJudge([a], f"weld-j{n}") for n in (1, 2, 3)}
    await mark_stream(judges, 4, tag="before")
    r = redis.Redis(host=server.host, port=server.port)
    try:
        killed = r.client_kill_filter(_type="pubsub")
        assert killed >= 3  # one subscriber per hub
        await mark_stream(judges, 6, tag="meanwhile")  # published while the hubs resubscribe
    finally:
        r.close()
    for hub in (b, c):
        await poll(
            lambda h=hub: metric(h, "scorecast_broker_reconnects_total") >= 1, 10, "resubscribed"
        )
        assert metric(hub, "scorecast_broker_connected") == 1
    # no later message reveals a gap: what the dead subscriptions missed came from the catch-up
    await converged(watching, server.url)
    await mark_stream(judges, 3, tag="after")
    await converged(watching, server.url)
    for hub in (a, b, c):
        health = httpx.get(f"{hub.http}/healthz").json()
        assert health["broker"]["connected"] is True and health["broker"]["reconnects"] >= 1


async def test_healthz_warns_when_redis_does_not_persist(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    volatile = redis_factory(persistence=False)
    durable = redis_factory()
    (hub,) = redis_hubs(volatile, 1)
    (ok,) = redis_hubs(durable, 1)
    health = httpx.get(f"{hub.http}/healthz").json()
    assert health["status"] == "ok"  # it works; it is just not safe
    assert any(
        "redis does not persist" in w and "appendonly yes" in w for w in health["warnings"]
    ), health
    assert health["ledger"]["appendonly"] == "no" and health["ledger"]["durable"] is False
    health = httpx.get(f"{ok.http}/healthz").json()
    assert health["warnings"] == [] and health["ledger"]["durable"] is True
    assert health["broker"] == {
        **health["broker"],
        "backend": "redis",
        "connected": True,
        "reconnects": 0,
    }


async def test_redis_restarted_empty_hubs_rebuild_from_it_and_screens_follow(
    redis_factory: RedisFactory, redis_hubs: HubsFactory
) -> None:
    server = redis_factory(persistence=False)  # what the /healthz warning is about
    a, b = redis_hubs(server, 2)
    watching = await screens(b)
    judges = {("weld", n): ResendingJudge([a], f"weld-j{n}") for n in (1, 2)}
    await mark_stream(judges, 5, tag="lost")
    await converged(watching, server.url)
    server.kill()
    server.restart()  # empty: the ledger, the credentials, everything is gone
    # each hub notices (its subscription died; the ledger now ends before what it applied) and
    # rebuilds from the ledger; its screens are closed so they resubscribe to the ledger's truth
    for s in watching:
        await asyncio.wait_for(s.closed.wait(), 10)
    for hub in (a, b):
        await poll(lambda h=hub: metric(h, "scorecast_ledger_reloads_total") >= 1, 10, "rebuilt")
        assert httpx.get(f"{hub.http}/healthz").json()["seq"] == 0
    a.issue_credentials()  # the organizer issues credentials again (they were in Redis, too)
    for s in watching:
        await s.resume_on(b)  # with the (now future) versions they held: they get snapshots
    judges = {("weld", n): ResendingJudge([a], f"weld-j{n}") for n in (1, 2)}
    await mark_stream(judges, 3, tag="new")
    truth = await converged(watching, server.url)
    assert truth.version("program:weld") > 0
