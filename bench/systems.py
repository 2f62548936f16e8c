"""The systems under test and their judges: how each is started, reached and marked.

Every server runs alone on the server core; redis-server, the viewer
processes and the judges share the other core.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import ClientConnection, connect

from .common import (
    ROOT,
    SERVER_NICE,
    Redis,
    client_cpus,
    free_port,
    server_cpus,
    spawn,
    stop,
    wait_http,
    wait_port,
)
from .workload import CHANNEL, PROGRAM, competition

PY = sys.executable


class Judge:
    """One judge connection: sends marks, records when each was sent and the version its ack names."""

    def __init__(self) -> None:
        self.ws: ClientConnection | None = None
        self.sent: dict[str, float] = {}  # mark id → time.time() when first sent
        self.acks: dict[str, int] = {}  # mark id → version (floor, peer) or ledger seq (Scorecast)
        self.errors: dict[str, int] = {}  # error code → count
        self.reader: asyncio.Task[None] | None = None
        self.changed = asyncio.Event()
        self.ack_times: list[float] = []
        self.ack_at: dict[str, float] = {}  # mark id → time.time() when its ack arrived

    async def send(self, frame: dict[str, Any]) -> None:
        self.sent.setdefault(frame["id"], time.time())
        await self._send(frame)

    async def _send(self, frame: dict[str, Any]) -> None:
        raise NotImplementedError

    def pending(self) -> int:
        return len(self.sent) - len(self.acks)

    async def wait_acks(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.pending() > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                return False
        return True

    def acked(self, mid: str, value: int) -> None:
        if mid not in self.acks:
            self.acks[mid] = value
            self.ack_times.append(time.monotonic())
            self.ack_at[mid] = time.time()
        self.changed.set()

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.ws is not None:
            try:
                await asyncio.wait_for(self.ws.close(), 2)
            except Exception:  # noqa: BLE001
                self.ws.transport.abort()


class FloorJudge(Judge):
    async def open(self, port: int) -> FloorJudge:
        self.ws = await connect(f"ws://127.0.0.1:{port}/", compression=None, max_size=None)
        self.reader = asyncio.create_task(self._read())
        return self

    async def _send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps({"type": "mark", "id": frame["id"]}))

    async def _read(self) -> None:
        assert self.ws is not None
        async for raw in self.ws:
            m = json.loads(raw)
            if m.get("type") == "ack":
                self.acked(m["id"], m["version"])


class PeerJudge(Judge):
    """A Socket.IO client in a few lines (Engine.IO 4 over a WebSocket): emit ``mark`` with an ack id."""

    async def open(self, port: int) -> PeerJudge:
        self.ws = await connect(
            f"ws://127.0.0.1:{port}/socket.io/?EIO=4&transport=websocket",
            compression=None,
            max_size=None,
        )
        opened = await self.ws.recv()
        assert str(opened).startswith("0{"), opened
        await self.ws.send("40")
        joined = await self.ws.recv()
        assert str(joined).startswith("40"), joined
        self.n = 0
        self.ids: dict[int, str] = {}
        self.reader = asyncio.create_task(self._read())
        return self

    async def _send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        self.n += 1
        self.ids[self.n] = frame["id"]
        await self.ws.send(f'42{self.n}["mark",{json.dumps({"id": frame["id"]})}]')

    async def _read(self) -> None:
        assert self.ws is not None
        async for raw in self.ws:
            text = str(raw)
            if text == "2":
                await self.ws.send("3")
            elif text.startswith("43"):
                i = 2
                while text[i].isdigit():
                    i += 1
                mid = self.ids.pop(int(text[2:i]), None)
                if mid is not None:
                    self.acked(mid, json.loads(text[i:])[0]["version"])


class ScorecastJudge(Judge):
    """``/ws/judge``: auth, then marks; an ``unavailable`` error is resent with the same id (as the SDK does)."""

    retry_delay = 0.25

    async def open(self, port: int, token: str) -> ScorecastJudge:
        self.ws = await connect(
            f"ws://127.0.0.1:{port}/ws/judge",
            subprotocols=["scorecast.json"],  # type: ignore[list-item]
            compression=None,
            max_size=None,
        )
        await self.ws.send(json.dumps({"type": "auth", "token": token, "device": "bench"}))
        welcome = json.loads(await self.ws.recv())
        assert welcome["type"] == "welcome", welcome
        self.frames: dict[str, dict[str, Any]] = {}
        self.reader = asyncio.create_task(self._read())
        return self

    async def _send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        self.frames[frame["id"]] = frame
        await self.ws.send(json.dumps(frame))

    async def _resend(self, mid: str) -> None:
        await asyncio.sleep(self.retry_delay)
        try:
            await self._send(self.frames[mid])
        except Exception:  # noqa: BLE001 — the connection is gone; nothing more to do
            pass

    async def _read(self) -> None:
        assert self.ws is not None
        async for raw in self.ws:
            m = json.loads(raw)
            kind = m.get("type")
            if kind == "ack":
                self.acked(m["id"], m["seq"])
            elif kind == "error":
                code = m.get("code", "?")
                self.errors[code] = self.errors.get(code, 0) + 1
                if m.get("retry") and m.get("id") in self.frames:
                    asyncio.get_running_loop().create_task(self._resend(m["id"]))
                elif m.get("id") in self.sent:
                    self.acked(m["id"], -1)  # refused: it will never change the board
                    self.changed.set()


class System:
    """A system under test: ``start`` its server processes, open judges, read their CPU and memory."""

    name = ""
    label = ""
    proto = ""
    path = "/"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.procs: list[subprocess.Popen[bytes]] = []
        self.ports: list[int] = []
        self.redis: Redis | None = None

    def start(self) -> None:
        raise NotImplementedError

    async def judge(self, j: int, hub: int = 0) -> Judge:
        raise NotImplementedError

    def psprocs(self) -> list[psutil.Process]:
        return [psutil.Process(p.pid) for p in self.procs]

    def cpu(self) -> float:
        total = 0.0
        for p in self.psprocs():
            t = p.cpu_times()
            total += t.user + t.system
        return total

    def rss(self) -> int:
        return sum(p.memory_info().rss for p in self.psprocs())

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.procs)

    def stop(self) -> None:
        for p in self.procs:
            stop(p)
        self.procs = []
        if self.redis is not None:
            self.redis.stop()
            self.redis = None

    # Scorecast maps ledger seqs to leaderboard versions; the others ack the version itself.
    def version_of(self, ack: int) -> int:
        return ack

    def mark_versions(self) -> None:
        """Called when the ledger is quiet, before a measured phase."""


class Floor(System):
    name = "floor"
    label = "floor: websockets.broadcast"
    proto = "floor"

    def start(self) -> None:
        port = free_port()
        proc = spawn(
            [PY, "-m", "bench.floor_server", "--port", str(port)],
            server_cpus(),
            self.workdir / "floor.log",
            nice=SERVER_NICE,
        )
        self.procs, self.ports = [proc], [port]
        wait_port(port, 20, proc)

    async def judge(self, j: int, hub: int = 0) -> Judge:
        return await FloorJudge().open(self.ports[0])


class Peer(System):
    name = "peer"
    label = "peer: python-socketio + AsyncRedisManager"
    proto = "socketio"
    path = "/socket.io/?EIO=4&transport=websocket"

    def __init__(self, workdir: Path, servers: int = 1) -> None:
        super().__init__(workdir)
        self.servers = servers
        if servers > 1:
            self.name = f"peer-{servers}"
            self.label = f"peer, {servers} servers on one Redis"

    def start(self) -> None:
        self.redis = Redis(self.workdir / "redis", client_cpus()).start()
        for i in range(self.servers):
            port = free_port()
            proc = spawn(
                [PY, "-m", "bench.peer_server", "--port", str(port), "--redis", self.redis.url],
                server_cpus(),
                self.workdir / f"peer-{i}.log",
                nice=SERVER_NICE,
            )
            self.procs.append(proc)
            self.ports.append(port)
            wait_port(port, 30, proc)

    async def judge(self, j: int, hub: int = 0) -> Judge:
        return await PeerJudge().open(self.ports[0])


class Scorecast(System):
    """``scorecast serve`` on its embedded default (SQLite ledger, in-process broker), or on Redis."""

    name = "scorecast"
    label = "Scorecast (SQLite + memory)"
    proto = "scorecast"
    path = "/ws/live"

    def __init__(
        self, workdir: Path, redis: bool = False, hubs: int = 1, env: dict[str, str] | None = None
    ) -> None:
        super().__init__(workdir)
        self.use_redis = redis
        self.hubs = hubs
        self.env = {"SCORECAST_JUDGE_RATE": "100000", **(env or {})}
        # Another checkout's hub (BENCH_HUB_ROOT=/path): before/after comparisons on the same bench.
        self.root = Path(os.environ.get("BENCH_HUB_ROOT") or ROOT)
        if self.root != ROOT:
            self.env["PYTHONPATH"] = str(self.root)
            self.label += f" [{self.root.name}]"
        if redis:
            self.name = f"scorecast-redis-{hubs}"
            self.label = f"Scorecast on Redis, {hubs} hub{'s' if hubs > 1 else ''}"
        self.tokens: dict[str, str] = {}
        self.v0 = 0
        self.seq0 = 0
        self.competition_path = workdir / "competition.json"
        self.competition_path.write_text(json.dumps(competition(), ensure_ascii=False))

    @property
    def store(self) -> str:
        return (
            self.redis.url if self.redis is not None else f"sqlite:///{self.workdir / 'ledger.db'}"
        )

    def cli(self, *args: str) -> list[str]:
        return [
            PY,
            "-m",
            "server.cli",
            *args,
            "--competition",
            str(self.competition_path),
            "--store",
            self.store,
        ]

    def start(self) -> None:
        if self.use_redis:
            self.redis = Redis(self.workdir / "redis", client_cpus()).start()
        out = subprocess.run(
            self.cli("credentials"),
            cwd=self.root,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **self.env},
        ).stdout
        for line in out.splitlines():
            if line and not line.startswith("#"):
                jid, _role, token = line.split("\t")[:3]
                self.tokens[jid] = token
        broker = self.redis.url if self.redis is not None else "memory://"
        for h in range(self.hubs):
            port = free_port()
            proc = spawn(
                self.cli("serve")
                + ["--broker", broker, "--port", str(port), "--host", "127.0.0.1"],
                server_cpus(),
                self.workdir / f"hub-{h}.log",
                env=self.env,
                nice=SERVER_NICE,
                cwd=self.root,
            )
            self.procs.append(proc)
            self.ports.append(port)
            wait_http(f"http://127.0.0.1:{port}/healthz", 60, proc)

    async def judge(self, j: int, hub: int = 0) -> Judge:
        return await ScorecastJudge().open(self.ports[hub % len(self.ports)], self.tokens[f"J{j}"])

    def board_version(self, hub: int = 0) -> int:
        url = f"http://127.0.0.1:{self.ports[hub]}/api/v1/programs/{PROGRAM}/leaderboard"
        with urllib.request.urlopen(url, timeout=5) as r:
            return int(json.load(r)["version"])

    def last_seq(self, hub: int = 0) -> int:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[hub]}/healthz", timeout=5) as r:
            body = json.load(r)
        for key in ("seq", "ledger_seq", "applied"):
            if key in body:
                return int(body[key])
        raise KeyError(f"no ledger seq in /healthz: {body}")

    def mark_versions(self) -> None:
        self.v0 = self.board_version()
        self.seq0 = self.last_seq()

    def version_of(self, ack: int) -> int:
        return ack - self.seq0 + self.v0 if ack > 0 else -1


__all__ = ["Floor", "Peer", "Scorecast", "System", "Judge", "CHANNEL"]
