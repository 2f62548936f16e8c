"""A real hub for tests: ``scorecast serve`` in a subprocess on a free port, and WebSocket clients.

Used by the hub, Redis, judge-client and browser tests alike.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect

from tests.helpers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
DELEGATIONS = ["SY", "DL", "AS", "FS", "BX"]


def small_competition() -> dict[str, Any]:
    """Three programs: `weld` (live, WorldSkills-like), `cook` (hidden), `cnc` (frozen)."""

    def program(pid: str, visibility: str) -> dict[str, Any]:
        return {
            "id": pid,
            "name": {"zh": f"项目{pid}", "en": pid.title()},
            "visibility": visibility,
            "places": 2,
            "rounding": "aspect",
            "criteria": [
                {
                    "id": "A",
                    "max": "10",
                    "aspects": [
                        {
                            "id": "A1",
                            "type": "judgement",
                            "max": "6",
                            "panel": 3,
                            "agreement": {"tolerance": "1"},
                        },
                        {"id": "A2", "type": "measurement", "max": "4"},
                    ],
                },
                {
                    "id": "B",
                    "max": "10",
                    "aspects": [
                        {
                            "id": "B1",
                            "type": "score",
                            "max": "10",
                            "range": ["0", "10"],
                            "step": "0.5",
                        }
                    ],
                },
            ],
            "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
            "competitors": [
                {
                    "bib": str(i),
                    "name": {"zh": f"选手{i}", "en": f"Player {i}"},
                    "delegation": DELEGATIONS[i % 5],
                }
                for i in range(1, 7)
            ],
        }

    pids = [("weld", "live"), ("cook", "hidden"), ("cnc", "frozen")]
    judges = []
    for pid, _ in pids:
        for n in (1, 2, 3):
            judges.append(
                {"id": f"{pid}-j{n}", "delegation": "HLD", "assignments": [{"program": pid}]}
            )
        judges.append(
            {
                "id": f"{pid}-chief",
                "role": "chief",
                "delegation": "HLD",
                "assignments": [{"program": pid}],
            }
        )
    judges.append({"id": "weld-sy", "delegation": "SY", "assignments": [{"program": "weld"}]})
    judges.append(
        {
            "id": "weld-a-only",
            "delegation": "HLD",
            "assignments": [{"program": "weld", "criteria": ["A"]}],
        }
    )
    return {
        "format": 1,
        "id": "test2026",
        "name": {"zh": "测试赛", "en": "Test Games"},
        "delegations": [{"code": c} for c in DELEGATIONS + ["HLD"]],
        "programs": [program(pid, vis) for pid, vis in pids],
        "judges": judges,
    }


class HubProcess:
    """``scorecast serve`` as a child process; ``kill()`` is SIGKILL, ``start()`` again reuses the ledger."""

    def __init__(
        self,
        workdir: Path,
        competition: dict[str, Any] | None = None,
        store: str | None = None,
        broker: str = "memory://",
        env: dict[str, str] | None = None,
    ) -> None:
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        self.competition_path = workdir / "competition.json"
        if competition is not None or not self.competition_path.exists():
            self.competition_path.write_text(
                json.dumps(competition or small_competition(), ensure_ascii=False)
            )
        self.store = store or f"sqlite:///{workdir / 'ledger.db'}"
        self.broker = broker
        self.env = env or {}
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.tokens: dict[str, str] = {}
        self.log_path = workdir / f"hub-{self.port}.log"

    def _cmd(self, *args: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "server.cli",
            *args,
            "--competition",
            str(self.competition_path),
            "--store",
            self.store,
        ]

    def issue_credentials(self) -> dict[str, str]:
        out = subprocess.run(
            self._cmd("credentials"),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, **self.env},
        ).stdout
        for line in out.splitlines():
            if line and not line.startswith("#"):
                jid, _role, token = line.split("\t")[:3]
                self.tokens[jid] = token
        return self.tokens

    def start(self, timeout: float = 20.0) -> HubProcess:
        cmd = self._cmd("serve") + [
            "--broker",
            self.broker,
            "--port",
            str(self.port),
            "--host",
            "127.0.0.1",
        ]
        with open(self.log_path, "ab") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env}
            )
        try:
            wait_for_port("127.0.0.1", self.port, timeout)
        except TimeoutError:
            self.kill()
            raise RuntimeError(
                f"the hub did not start; its log:\n{self.log_path.read_text()}"
            ) from None
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"


OPEN: list[Client] = []  # every client a test opened; `close_all` closes them at teardown


async def close_all() -> None:
    while OPEN:
        c = OPEN.pop()
        try:
            await asyncio.wait_for(c.conn.close(), 2)
        except Exception:  # noqa: BLE001 — the hub may be gone already
            c.conn.transport.abort()


class Client:
    """A WebSocket client that speaks the hub's protocol in JSON or msgpack."""

    def __init__(self, conn: ClientConnection, binary: bool) -> None:
        self.conn = conn
        self.binary = binary
        self.frames: list[dict[str, Any]] = []  # everything received, in order

    @classmethod
    async def open(cls, url: str, binary: bool = False, **kw: Any) -> Client:
        sub = ["scorecast.msgpack"] if binary else ["scorecast.json"]
        conn = await connect(url, subprotocols=sub, max_size=None, **kw)  # type: ignore[arg-type]
        client = cls(conn, binary)
        OPEN.append(client)
        return client

    async def send(self, frame: dict[str, Any]) -> None:
        await self.conn.send(msgpack.packb(frame) if self.binary else json.dumps(frame))

    async def send_raw(self, data: str | bytes) -> None:
        await self.conn.send(data)

    async def recv(self, timeout: float = 5.0) -> dict[str, Any]:
        data = await asyncio.wait_for(self.conn.recv(), timeout)
        frame = msgpack.unpackb(data) if isinstance(data, bytes) else json.loads(data)
        self.frames.append(frame)
        return frame  # type: ignore[no-any-return]

    async def recv_until(self, pred: Any, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no matching frame in {timeout}s; got {self.frames[-5:]}")
            frame = await self.recv(left)
            if pred(frame):
                return frame

    async def close(self) -> None:
        await self.conn.close()


async def judge(hub: HubProcess, judge_id: str, binary: bool = False) -> Client:
    c = await Client.open(f"{hub.ws}/ws/judge", binary)
    await c.send({"type": "auth", "token": hub.tokens[judge_id], "device": "test"})
    welcome = await c.recv()
    assert welcome["type"] == "welcome", welcome
    return c


async def mark(
    c: Client, mid: str, program: str, competitor: str, aspect: str, value: str
) -> dict[str, Any]:
    await c.send(
        {
            "type": "mark",
            "id": mid,
            "program": program,
            "competitor": competitor,
            "aspect": aspect,
            "value": value,
        }
    )
    return await c.recv_until(lambda f: f.get("id") == mid and f["type"] in ("ack", "error"))


async def viewer(
    hub: HubProcess,
    channel: str,
    version: int | None = None,
    binary: bool = False,
    token: str | None = None,
    features: list[str] | None = None,
) -> Client:
    c = await Client.open(f"{hub.ws}/ws/live", binary)
    frame: dict[str, Any] = {"type": "subscribe", "channel": channel}
    if features is not None:
        frame["features"] = features
    if version is not None:
        frame["version"] = version
    if token is not None:
        frame["token"] = token
    await c.send(frame)
    return c


class Board:
    """What a screen holds: applies snapshots and deltas, refuses gaps."""

    def __init__(self) -> None:
        self.snapshot: dict[str, Any] | None = None

    def take(self, frame: dict[str, Any]) -> None:
        from scoreboard import apply_delta

        if frame["type"] == "snapshot":
            self.snapshot = frame["data"]
        elif frame["type"] == "delta":
            assert self.snapshot is not None, "a delta before any snapshot"
            if frame["version"] <= self.snapshot["version"]:
                return  # already held
            self.snapshot = apply_delta(self.snapshot, frame)

    @property
    def version(self) -> int:
        return -1 if self.snapshot is None else int(self.snapshot["version"])
