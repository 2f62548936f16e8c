"""A mark travels judge → ledger → ack → every subscribed viewer; versions; resume."""

from __future__ import annotations

import httpx

from tests.hubkit import Board, HubProcess, judge, mark, viewer


async def test_mark_reaches_every_viewer_after_ack(hub: HubProcess) -> None:
    viewers = [await viewer(hub, "program:weld") for _ in range(3)]
    msgpack_viewer = await viewer(hub, "program:weld", binary=True)
    boards = [Board() for _ in range(4)]
    for v, b in zip([*viewers, msgpack_viewer], boards, strict=True):
        b.take(await v.recv())
        assert b.version == 0
    j = await judge(hub, "weld-j1")
    ack = await mark(j, "m1", "weld", "weld-1", "B1", "8.5")
    assert ack["type"] == "ack" and ack["seq"] == 2  # seq 1 is the competition's definition
    for v, b in zip([*viewers, msgpack_viewer], boards, strict=True):
        frame = await v.recv()
        assert (
            frame["type"] == "delta"
            and frame["channel"] == "program:weld"
            and frame["version"] == 1
        )
        b.take(frame)
        row = next(r for r in b.snapshot["rows"] if r["competitor"]["id"] == "weld-1")  # type: ignore[index]
        assert row["total"] == "8.50" and row["rank"] == 1
    # the version grows by one per change
    ack2 = await mark(j, "m2", "weld", "weld-2", "B1", "9")
    assert ack2["seq"] == 3
    frame = await viewers[0].recv()
    assert frame["version"] == 2 and frame["from"] == 1
    api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert api["program"] == "weld" and api["version"] == 2
    assert [r["total"] for r in api["rows"][:2]] == ["9.00", "8.50"]
    assert boards[0].snapshot is not None
    boards[0].take(frame)
    assert boards[0].snapshot == api


async def test_reconnect_with_old_version_gets_exactly_what_it_missed(hub: HubProcess) -> None:
    v = await viewer(hub, "program:weld")
    board = Board()
    board.take(await v.recv())
    await v.close()
    j = await judge(hub, "weld-j1")
    for i in range(1, 4):
        assert (await mark(j, f"m{i}", "weld", f"weld-{i}", "B1", str(i)))["type"] == "ack"
    v2 = await viewer(hub, "program:weld", version=board.version)
    for expected in (1, 2, 3):
        frame = await v2.recv()
        assert frame["type"] == "delta" and frame["version"] == expected
        board.take(frame)
    api = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert board.snapshot == api
    # a version the hub cannot resume from (from the future) gets a snapshot
    v3 = await viewer(hub, "program:weld", version=999)
    frame = await v3.recv()
    assert frame["type"] == "snapshot" and frame["version"] == 3


async def test_http_api_and_health(hub: HubProcess) -> None:
    programs = httpx.get(f"{hub.http}/api/v1/programs").json()
    assert {p["id"] for p in programs} == {"weld", "cook", "cnc"}
    assert httpx.get(f"{hub.http}/api/v1/programs/nope/leaderboard").status_code == 404
    health = httpx.get(f"{hub.http}/healthz").json()
    assert health["status"] == "ok" and health["ledger"]["backend"] == "sqlite"
    metrics = httpx.get(f"{hub.http}/metrics").text
    assert (
        "scorecast_marks_accepted_total" in metrics
        and "scorecast_fanout_seconds_bucket" in metrics
        and "scorecast_loop_lag_max_seconds" in metrics
        and "scorecast_loop_lag_seconds_bucket" in metrics
    )
    spec = httpx.get(f"{hub.http}/api/v1/openapi.json").json()
    assert "/api/v1/programs/{id}/leaderboard" in spec["paths"]


async def test_pipelined_marks_are_answered_in_order_and_applied_in_order(hub: HubProcess) -> None:
    j = await judge(hub, "weld-j1")
    sent = []
    for i in range(40):  # without waiting for acks; the last word on each competitor is "9.5"
        value = "9.5" if i >= 34 else str(i % 10)
        frame = {
            "type": "mark",
            "id": f"p{i}",
            "program": "weld",
            "competitor": f"weld-{i % 6 + 1}",
            "aspect": "B1",
            "value": value,
        }
        sent.append(frame["id"])
        await j.send(frame)
    await j.send(
        {
            "type": "mark",
            "id": "bad",
            "program": "weld",
            "competitor": "weld-1",
            "aspect": "B1",
            "value": "99",
        }
    )
    replies = [await j.recv() for _ in range(41)]
    assert [r["id"] for r in replies] == [*sent, "bad"]
    seqs = [r["seq"] for r in replies[:-1]]
    assert seqs == sorted(seqs) and len(set(seqs)) == 40
    assert replies[-1]["code"] == "out_of_range"
    board = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
    assert {r["total"] for r in board["rows"]} == {"9.50"}
