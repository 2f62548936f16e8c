"""Strangers at the door (issue 12, items 3 and 4): an authentication deadline, header
timeouts, a cap on unauthenticated sockets per address, failed authentications throttled
per address and per judge across connections and endpoints. Real hub processes."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.guard import AuthThrottle
from server.metrics import Metrics
from tests.hubkit import Client, HubProcess, judge


@pytest.fixture
def strict_hub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(
        tmp_path / "hub",
        env={
            "SCORECAST_AUTH_TIMEOUT": "1",
            "SCORECAST_MAX_UNAUTHENTICATED": "3",
            "SCORECAST_HEADER_TIMEOUT": "1",
            "SCORECAST_AUTH_FAILURES": "3",
        },
    )
    h.issue_credentials()
    h.start()
    yield h
    h.kill()


def metric(hub: HubProcess, line_start: str) -> float:
    for line in httpx.get(f"{hub.http}/metrics").text.splitlines():
        if line.startswith(line_start + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


async def closed_with(c: Client, timeout: float = 5.0) -> tuple[int | None, list[str]]:
    codes = []
    try:
        while True:
            codes.append((await c.recv(timeout))["code"])
    except ConnectionClosed as e:
        return (e.rcvd.code if e.rcvd else None), codes


async def test_a_socket_that_does_not_authenticate_is_closed_at_the_deadline(
    strict_hub: HubProcess,
) -> None:
    c = await Client.open(f"{strict_hub.ws}/ws/judge")
    t0 = time.monotonic()
    code, errors = await closed_with(c)
    assert code == 1008 and errors == ["auth_timeout"]
    assert 0.8 < time.monotonic() - t0 < 4
    ok = await judge(strict_hub, "weld-j1")  # one that authenticates stays past the deadline
    await asyncio.sleep(1.5)
    await ok.send({"type": "ping", "id": "p"})
    pong = await ok.recv()
    assert pong["type"] == "pong", pong
    assert metric(strict_hub, 'scorecast_connections_refused_total{reason="auth_timeout"}') == 1


async def test_unauthenticated_sockets_are_capped_per_address(strict_hub: HubProcess) -> None:
    idle = [await Client.open(f"{strict_hub.ws}/ws/judge") for _ in range(3)]
    extra = await Client.open(f"{strict_hub.ws}/ws/judge")
    code, _ = await closed_with(extra, 0.8)
    assert code == 1013
    assert metric(strict_hub, "scorecast_unauthenticated_connections") == 3
    ref = 'scorecast_connections_refused_total{reason="unauthenticated_cap"}'
    assert metric(strict_hub, ref) == 1
    await idle[0].send({"type": "auth", "token": strict_hub.tokens["weld-j1"]})
    assert (await idle[0].recv())["type"] == "welcome"  # an authenticated one frees its place
    await judge(strict_hub, "weld-j2")
    assert "ws.unauthenticated_cap" in strict_hub.log_path.read_text()


@pytest.mark.parametrize("sent", [b"", b"GET /healthz HTTP/1.1\r\nHost: x\r\n"])
def test_silent_and_half_sent_requests_are_closed(strict_hub: HubProcess, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", strict_hub.port), timeout=6) as s:
        s.sendall(sent)
        t0 = time.monotonic()
        assert s.recv(100) == b""  # closed by the hub, not by our timeout
        assert time.monotonic() - t0 < 5


async def test_failed_authentications_lock_out_across_connections_and_endpoints(
    strict_hub: HubProcess,
) -> None:
    wrong = "weld-j1.not-the-secret"

    async def attempt(token: str) -> dict[str, Any]:
        c = await Client.open(f"{strict_hub.ws}/ws/judge")  # a new connection each time
        await c.send({"type": "auth", "token": token})
        reply = await c.recv()
        await c.close()
        return reply

    for _ in range(3):  # nothing resets the count
        assert (await attempt(wrong))["code"] == "bad_credential"
    first = await attempt(wrong)  # locked: not even checked
    assert first["code"] == "rate_limited" and first["retry_after"] == 1, first
    for lockout in (2, 4):  # each failure after a lockout doubles the next one
        await asyncio.sleep(first["retry_after"] + 0.1)
        assert (await attempt(wrong))["code"] == "bad_credential"
        first = await attempt(wrong)
        assert first["retry_after"] in (lockout, lockout - 1), first
    c = await Client.open(f"{strict_hub.ws}/ws/judge")
    await c.send({"type": "auth", "token": strict_hub.tokens["weld-j1"]})  # even the right one
    locked = await c.recv()
    assert locked["code"] == "rate_limited" and locked["retry"] is True, locked
    assert locked["retry_after"] >= 1
    api = httpx.get(f"{strict_hub.http}/judge/api/me", headers={"Authorization": f"Bearer {wrong}"})
    assert api.status_code == 429 and int(api.headers["Retry-After"]) >= 1
    assert api.json()["error"]["code"] == "rate_limited"
    live = await Client.open(f"{strict_hub.ws}/ws/live")
    await live.send({"type": "auth", "token": strict_hub.tokens["weld-chief"]})
    assert (await live.recv())["code"] == "rate_limited"  # the address is locked everywhere
    assert metric(strict_hub, 'scorecast_auth_failures_total{endpoint="ws_judge"}') == 5
    assert metric(strict_hub, 'scorecast_auth_throttled_total{by="address"}') >= 3
    await asyncio.sleep(locked["retry_after"] + 0.2)
    ok = await judge(strict_hub, "weld-j1")  # after the lockout, the right credential works
    await ok.close()


def test_lockouts_grow_per_address_and_per_judge_and_expire() -> None:
    now = [1000.0]
    metrics = Metrics()
    t = AuthThrottle(metrics, limit=3, max_lockout=8, clock=lambda: now[0])
    for i in range(3):  # one judge guessed at from three addresses
        t.check(f"10.0.0.{i}", "weld-j1")
        t.failed(f"10.0.0.{i}", "weld-j1", "ws_judge")
    with pytest.raises(Exception, match="for it") as e:
        t.check("10.0.0.9", "weld-j1")  # a fourth address: the judge is locked
    assert e.value.retry_after == 1
    t.check("10.0.0.9", "weld-j2")  # other judges are not
    waits = []
    for _ in range(5):  # each further failure doubles the lockout, up to the maximum
        now[0] += 10
        t.failed("10.0.0.1", "weld-j1", "ws_judge")
        try:
            t.check("10.0.0.5", "weld-j1")
        except Exception as err:  # noqa: BLE001
            waits.append(err.retry_after)
    assert waits == [2, 4, 8, 8, 8]
    now[0] += 61 + 8  # a minute without failures: forgotten
    t.failed("10.0.0.1", "weld-j1", "ws_judge")
    t.check("10.0.0.1", "weld-j1")
