"""Review of issue 17's fifth pass (server/judge_answers.py): a judge's answers written straight
to the socket, probed with a raw TCP client whose frames are read back by websockets' sans-I/O
client protocol (which fails the connection on any malformed frame): a slow reader whose buffers
fill (the ASGI fallback mid-stream), WebSocket pings between the answers, JSON and msgpack."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from typing import Any

import msgpack
import pytest
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.uri import parse_uri

from tests.hub.test_judge_answers import counter
from tests.hubkit import HubProcess


class RawJudge:
    """A judge over a plain socket: a small receive buffer, reading only when told to."""

    def __init__(self, hub: HubProcess, binary: bool) -> None:
        self.hub, self.binary = hub, binary
        self.proto = ClientProtocol(
            parse_uri(f"{hub.ws}/ws/judge"),
            subprotocols=["scorecast.msgpack" if binary else "scorecast.json"],  # type: ignore[list-item]
            max_size=None,
        )
        self.frames: list[Frame] = []
        self.eof = False

    async def open(self) -> None:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills fast: no autotuning
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", self.hub.port))
        self.reader, self.writer = await asyncio.open_connection(sock=sock)
        self.proto.send_request(self.proto.connect())
        await self.flush()
        while self.proto.handshake_exc is None and not self.proto.events_received_peek():
            self.feed(await self.reader.read(65536))
        assert self.proto.handshake_exc is None

    def feed(self, data: bytes) -> None:
        if data:
            self.proto.receive_data(data)
        else:
            self.eof = True
            self.proto.receive_eof()
        for ev in self.proto.events_received():
            if isinstance(ev, Frame):
                self.frames.append(ev)

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()

    async def flush(self) -> None:
        for chunk in self.proto.data_to_send():
            self.writer.write(chunk)
        await self.writer.drain()

    async def send(self, frame: dict[str, Any], flush: bool = True) -> None:
        if self.binary:
            self.proto.send_binary(msgpack.packb(frame))
        else:
            self.proto.send_text(json.dumps(frame).encode())
        if flush:
            await self.flush()

    def data_frames(self) -> int:
        return sum(f.opcode in (Opcode.TEXT, Opcode.BINARY) for f in self.frames)

    def messages(self) -> list[dict[str, Any]]:
        out = []
        for f in self.frames:
            assert not (f.rsv1 or f.rsv2 or f.rsv3) and f.fin, f
            if f.opcode is Opcode.TEXT:
                assert not self.binary, f
                out.append(json.loads(bytes(f.data)))
            elif f.opcode is Opcode.BINARY:
                assert self.binary, f
                out.append(msgpack.unpackb(bytes(f.data)))
        return out

    async def read_until(self, pred: Any, timeout: float = 20.0) -> None:
        async def loop() -> None:
            while not pred():
                data = await self.reader.read(65536)
                self.feed(data)
                assert self.proto.parser_exc is None, self.proto.parser_exc
                if pred():
                    return
                assert data, "the hub closed the connection"
                await self.flush()  # the pongs websockets makes for the hub's pings

        await asyncio.wait_for(loop(), timeout)


# ClientProtocol has no peek; the handshake's response is the first event
def _peek(self: ClientProtocol) -> bool:
    return self.state.name != "CONNECTING"


ClientProtocol.events_received_peek = _peek  # type: ignore[attr-defined]


@pytest.fixture
def fast_hub(tmp_path: Any) -> Any:
    h = HubProcess(tmp_path / "hub", env={"SCORECAST_JUDGE_RATE": "1000000"})
    h.issue_credentials()
    h.start()
    yield h
    h.stop()


@pytest.mark.parametrize("binary", [False, True])
async def test_a_slow_reader_gets_every_answer_in_order_as_valid_frames(
    fast_hub: HubProcess, binary: bool
) -> None:
    """Thousands of pings sent while not reading: the hub's socket buffer fills, answers switch
    to the ASGI path (waiting for the drain) and back, and WebSocket pings come in between."""
    hub = fast_hub
    j = RawJudge(hub, binary)
    await j.open()
    try:
        await slow_reader(hub, j)
    finally:
        await j.close()


async def slow_reader(hub: HubProcess, j: RawJudge) -> None:
    await j.send({"type": "auth", "token": hub.tokens["weld-j1"], "device": "raw"})
    await j.read_until(lambda: j.data_frames() >= 1)
    assert j.messages()[0]["type"] == "welcome"
    n = 10_000  # 5 MB of pongs: more than the kernel buffers (tcp_wmem max 4 MB)
    pad = "x" * 500  # echoed in each pong: megabytes the socket cannot hold
    raw_before = counter(hub, "scorecast_judge_answers_total")

    async def sender() -> None:
        for i in range(n):
            await j.send({"type": "ping", "id": f"p{i}{pad}"}, flush=i % 50 == 0)
            if i % 500 == 0:  # a WebSocket ping between the app's frames
                j.proto.send_ping(f"c{i}".encode())
                await j.flush()

        await j.flush()

    task = asyncio.create_task(sender())
    await asyncio.sleep(1.5)  # not reading: the hub's writes pile up
    await j.read_until(lambda: j.data_frames() >= n + 1, timeout=60)
    await task
    got = j.messages()[1:]
    assert got == [{"type": "pong", "id": f"p{i}{pad}"} for i in range(n)]
    pongs = [bytes(f.data) for f in j.frames if f.opcode is Opcode.PONG]
    assert pongs == [f"c{i}".encode() for i in range(0, n, 500)]
    raw = counter(hub, "scorecast_judge_answers_total") - raw_before
    assert raw < n  # some answers went the ASGI way: the buffer was full at times


async def test_with_permessage_deflate_negotiated_answers_go_the_compressed_way(
    tmp_path: Any,
) -> None:
    """Another set-up that turns compression on: hand-written (uncompressed) frames would be
    wrong, so every answer takes the ASGI way (websockets compresses it) and arrives intact."""
    import httpx
    import uvicorn

    from server import competition_file
    from server.app import create_app
    from server.config import Settings
    from server.run import probe, uvicorn_config
    from tests.helpers import free_port
    from tests.hub.test_judge_answers import frame
    from tests.hubkit import Client

    kit = HubProcess(tmp_path / "hub")
    tokens = kit.issue_credentials()
    port = free_port()
    settings = Settings.load(
        {"competition": str(kit.competition_path), "store": kit.store, "port": port},
        environ={},
    )
    data, competition = competition_file.load(settings.competition)
    data, competition = await probe(settings.store, data, competition)
    config = uvicorn_config(settings, create_app(settings, data, competition))
    config.ws_per_message_deflate = True
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the hub did not start"
        await asyncio.sleep(0.02)
    try:
        for binary in (False, True):
            c = await Client.open(f"ws://127.0.0.1:{port}/ws/judge", binary, compression="deflate")
            assert "permessage-deflate" in c.conn.response.headers["Sec-WebSocket-Extensions"]
            await c.send({"type": "auth", "token": tokens["weld-j1"], "device": "z"})
            assert (await c.recv())["type"] == "welcome"
            frames = [{**frame(i), "id": f"{binary}{i}"} for i in range(30)]
            for f in frames:
                await c.send(f)
            answers = [await c.recv() for _ in frames]
            assert [(a["type"], a["id"]) for a in answers] == [("ack", f["id"]) for f in frames]
            await c.close()
        async with httpx.AsyncClient() as http:
            metrics = (await http.get(f"http://127.0.0.1:{port}/metrics")).text
        writes = [
            ln for ln in metrics.splitlines() if ln.startswith("scorecast_judge_writes_total ")
        ]
        assert writes in (
            [],
            ["scorecast_judge_writes_total 0"],
            ["scorecast_judge_writes_total 0.0"],
        )
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 30)


async def test_a_close_right_after_pipelined_marks_is_the_last_frame_and_valid(
    fast_hub: HubProcess,
) -> None:
    """Answers kept for the end of a turn and the close handshake written by websockets on the
    same socket: whatever comes back parses, and nothing follows the hub's close frame."""
    hub = fast_hub
    for round_ in range(5):
        await close_round(hub, round_)


async def close_round(hub: HubProcess, round_: int) -> None:
    j = RawJudge(hub, binary=round_ % 2 == 1)
    await j.open()
    try:
        await j.send({"type": "auth", "token": hub.tokens["weld-j2"], "device": "raw"})
        await j.read_until(lambda: j.data_frames() >= 1)
        for i in range(60):
            await j.send({"type": "mark", **frame_of(round_, i)}, flush=False)
        await j.flush()
        await asyncio.sleep([0, 0.01, 0.03, 0.06, 0.3][round_])  # answers under way
        j.proto.send_close(1000, "bye")
        await j.flush()
        await j.read_until(lambda: j.proto.state.name == "CLOSED" or bool(j.eof), timeout=10)
        kinds = [f.opcode for f in j.frames]
        assert Opcode.CLOSE in kinds, kinds
        assert kinds.index(Opcode.CLOSE) == len(kinds) - 1, kinds  # nothing after it
        answers = j.messages()[1:]
        ids = [a["id"] for a in answers]
        print(f"round {round_}: {len(ids)} of 60 answered before the close")
        assert ids == [f"c{round_}-{i}" for i in range(len(ids))]  # a prefix, in order
    finally:
        await j.close()


def frame_of(round_: int, i: int) -> dict[str, str]:
    return {
        "id": f"c{round_}-{i}",
        "program": "weld",
        "competitor": f"weld-{i % 6 + 1}",
        "aspect": "B1",
        "value": str(i % 10),
    }
