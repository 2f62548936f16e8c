"""A /ws/live client that keeps sending and never reads is closed, not queued for without end.

Pongs, errors and a subscription's first frames are what the viewer asked for, so they are
queued past ``viewer_queue`` (server/viewer.py); a client that pings or subscribes in a loop
and never reads used to have every answer queued in the hub, with no limit.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.viewer import CONTROL_FACTOR
from tests.hubkit import Client, HubProcess, small_competition, viewer


def closed_for_slowness(hub: HubProcess) -> float:
    metrics = httpx.get(f"{hub.http}/metrics").text
    for ln in metrics.splitlines():
        if ln.startswith("scorecast_viewers_dropped_total") and 'action="close"' in ln:
            return float(ln.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def wordy_hub(tmp_path: Path):  # type: ignore[no-untyped-def]
    comp = small_competition()
    weld = next(p for p in comp["programs"] if p["id"] == "weld")
    for c in weld["competitors"]:  # one snapshot is more than the kernel holds for a socket
        c["name"] = {lang: f"{n} {'w' * 400_000}" for lang, n in c["name"].items()}
    hub = HubProcess(tmp_path / "hub", comp, env={"SCORECAST_VIEWER_QUEUE": "8"})
    hub.issue_credentials()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()


async def never_reads(hub: HubProcess) -> Client:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    sock.connect(("127.0.0.1", hub.port))
    client = await Client.open(f"{hub.ws}/ws/live", sock=sock, max_queue=1)
    client.conn.transport.pause_reading()
    return client


async def flood_until_closed(hub: HubProcess, client: Client, frame: dict[str, object]) -> int:
    """Send ``frame`` until the hub closes the viewer for slowness; the frames it took."""
    sent = 0
    while closed_for_slowness(hub) == 0:
        assert sent < 20_000, "the hub kept queueing for a client that never reads"
        try:
            for _ in range(250):
                await client.send(frame)
                sent += 1
        except ConnectionClosed:
            break
        await asyncio.sleep(0.05)
    return sent


@pytest.mark.parametrize(
    "frame",
    [
        {"type": "ping", "id": "p"},
        {"type": "subscribe", "channel": "program:weld"},
        {"type": "nonsense"},
    ],
    ids=["pings", "subscribes", "errors"],
)
async def test_a_client_that_sends_and_never_reads_is_closed(
    wordy_hub: HubProcess, frame: dict[str, object]
) -> None:
    hub = wordy_hub
    slow = await never_reads(hub)
    await slow.send({"type": "subscribe", "channel": "program:weld"})  # behind from here on
    sent = await flood_until_closed(hub, slow, frame)
    assert sent <= 8 * CONTROL_FACTOR + 250  # closed once that many answers waited
    assert closed_for_slowness(hub) == 1
    # and the hub goes on serving everyone else
    other = await viewer(hub, "program:weld")
    assert (await other.recv())["type"] == "snapshot"
