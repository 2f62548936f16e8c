"""Fuzzed frames at a real hub: every frame gets an error with a code, or a clean close with one.

The frames mix what an attacker and bad luck send: random bytes, JSON nested thousands deep,
wrong types in every field, lone surrogates, integers beyond 2⁶⁴, msgpack maps with bytes and
integer keys, unknown types, oversized frames; on ``/ws/judge`` before and after the login,
and on ``/ws/live``, in JSON and in msgpack.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import msgpack
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.hubkit import HubProcess

from .workload import PROGRAM

FIELDS = ("id", "program", "competitor", "aspect", "value", "channel", "version", "token", "type")
TYPES = ("mark", "withdraw", "signoff", "lock", "unlock", "subscribe", "auth", "ping", "nope", "")


def _odd_value(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            True,
            -1,
            2**70,
            -(2**70),
            1e308,
            float("nan"),
            "",
            "\ud800",
            "x" * rng.randint(1, 5000),
            [1, [2, [3]]],
            {"a": {"b": {}}},
            "weld-1",
            f"{PROGRAM}-101",
            "C1-1",
            "9.5",
            "1e400",
            "-0",
            "NaN",
        ]
    )


def _frame(rng: random.Random) -> dict[str, Any]:
    frame: dict[str, Any] = {"type": rng.choice(TYPES)}
    for name in rng.sample(FIELDS, rng.randint(0, len(FIELDS))):
        frame[name] = _odd_value(rng)
    return frame


def _deep(n: int) -> str:
    return '{"type":"mark","id":' + "[" * n + "]" * n + "}"


def text_frame(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(chr(rng.randrange(32, 0x3000)) for _ in range(rng.randint(0, 200)))
    if kind == 1:
        return _deep(rng.choice([100, 1001, 5000, 100_000]))
    if kind == 2:
        return json.dumps(_frame(rng)).replace('"x', '"\\ud800x', 1)
    if kind == 3:
        return "[" + json.dumps(_frame(rng)) + "]"
    return json.dumps(_frame(rng), default=str)


def binary_frame(rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.randbytes(rng.randint(0, 300))
    if kind == 1:
        return msgpack.packb({b"type": b"mark", 1: 2, "id": "x"})
    if kind == 2:
        # an unsigned 64-bit int header followed by more: msgpack's limits at the edge
        return b"\x81\xa4type\xcf" + rng.randbytes(8)
    if kind == 3:
        nested: Any = "x"
        for _ in range(rng.choice([50, 600])):
            nested = [nested]
        return msgpack.packb({"type": "mark", "id": nested})
    frame = _frame(rng)
    frame = {
        k: (v if not isinstance(v, int) or abs(v) < 2**63 else str(v)) for k, v in frame.items()
    }
    return msgpack.packb(frame, unicode_errors="surrogatepass")


@dataclass
class FuzzReport:
    frames: int = 0
    errors_with_code: int = 0
    clean_closes: int = 0
    answered: int = 0
    no_answer: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    close_codes: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.no_answer == 0


async def _open(hub: HubProcess, path: str, binary: bool, token: str | None) -> ClientConnection:
    proto = ["scorecast.msgpack"] if binary else None
    ws = await connect(f"{hub.ws}{path}", subprotocols=proto, max_size=None, open_timeout=10)  # type: ignore[arg-type]
    if token:
        await ws.send(json.dumps({"type": "auth", "token": token, "device": "fuzz"}))
        await ws.recv()
    return ws


async def _one_socket(
    hub: HubProcess, rng: random.Random, frames: int, report: FuzzReport, codes: Counter[str]
) -> None:
    path = rng.choice(["/ws/judge", "/ws/live"])
    binary = rng.random() < 0.4
    token = hub.tokens["J1"] if path == "/ws/judge" and rng.random() < 0.5 else None
    ws = await _open(hub, path, binary, token)
    try:
        for _ in range(frames):
            data: str | bytes = binary_frame(rng) if binary else text_frame(rng)
            report.frames += 1
            try:
                await ws.send(data)
                reply = await asyncio.wait_for(ws.recv(), timeout=5)
            except ConnectionClosed as e:
                report.clean_closes += e.rcvd is not None
                report.no_answer += e.rcvd is None
                code = str(e.rcvd.code) if e.rcvd else "none"
                report.close_codes[code] = report.close_codes.get(code, 0) + 1
                return
            except TimeoutError:
                report.no_answer += 1
                return
            answer = msgpack.unpackb(reply) if isinstance(reply, bytes) else json.loads(reply)
            kind = answer.get("type") if isinstance(answer, dict) else None
            if kind == "error" and answer.get("code"):
                report.errors_with_code += 1
                codes[answer["code"]] += 1
            elif isinstance(kind, str) and kind != "error":
                report.answered += 1  # a frame that happened to be valid (or a live update)
                codes[f"answered:{kind}"] += 1
            else:
                report.no_answer += 1
    finally:
        await ws.close()


async def fuzz(hub: HubProcess, frames: int, seed: int = 7, parallel: int = 8) -> FuzzReport:
    rng = random.Random(seed)
    report = FuzzReport()
    codes: Counter[str] = Counter()
    while report.frames < frames:
        batch = [
            _one_socket(hub, random.Random(rng.random()), rng.randint(1, 60), report, codes)
            for _ in range(parallel)
        ]
        await asyncio.gather(*batch)
        await asyncio.sleep(0.05)  # under the per-address connection limits
    report.codes = dict(codes)
    return report
