"""Redis scale-out: what several hubs on one Redis cost and give, on this machine.

    python3 -m bench.redis_bench            # 1,000 viewers, 100 marks per scenario
    python3 -m bench.redis_bench --quick    # 200 viewers, 30 marks (about a minute)

Two measurements, each on real hub processes (``scorecast serve``), a real
redis-server (AOF, ``appendfsync always``) and real WebSocket clients:

1. **The cost Redis adds to one update.** One judge, one viewer, marks one at
   a time: judge send → ack, and judge send → the viewer receives the delta;
   for one hub on SQLite + the in-process broker, one hub on Redis, and two
   hubs on Redis (judge on hub A, viewer on hub B).
2. **Viewers on 1 hub vs 2 hubs through Redis.** N viewers in two separate
   processes (``bench.viewers``: raw sockets, the kernel's receive
   timestamps), spread over the hubs; the judges mark at a steady rate on
   hub A. Score-to-screen latency is judge send → kernel receive at each
   viewer, per delivery and for the last viewer of each update; "served" is
   the viewers that ended on the last version with their socket open.

Everything shares this machine's cores (hubs, viewers, Redis, the judges):
read the figures relative to each other. Results: ``bench/results/redis_scaleout.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from .common import ROOT, Redis, cpus, machine, spawn, stop, wait_http
from .workload import CHANNEL, JUDGES, Marks, competition

RESULTS = ROOT / "bench" / "results" / "redis_scaleout.json"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def ms(x: float) -> float:
    return round(x * 1000, 2)


@dataclass
class Hubs:
    """``n`` hub processes on one store and broker, with credentials for the bench judges."""

    workdir: Path
    store: str
    broker: str
    n: int
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)

    def start(self) -> Hubs:
        from .common import free_port

        comp = self.workdir / "competition.json"
        comp.write_text(json.dumps(competition(), ensure_ascii=False))
        base = [sys.executable, "-m", "server.cli"]
        out = subprocess.run(
            [*base, "credentials", "--competition", str(comp), "--store", self.store],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for line in out.splitlines():
            if line and not line.startswith("#"):
                jid, _role, token = line.split("\t")[:3]
                self.tokens[jid] = token
        for i in range(self.n):
            port = free_port()
            cmd = [
                *base,
                "serve",
                "--competition",
                str(comp),
                "--store",
                self.store,
                "--broker",
                self.broker,
                "--port",
                str(port),
                "--log-level",
                "warning",
            ]
            self.procs.append(spawn(cmd, set(cpus()), self.workdir / f"hub{i}.log"))
            self.ports.append(port)
        for port, proc in zip(self.ports, self.procs, strict=True):
            wait_http(f"http://127.0.0.1:{port}/healthz", 30, proc)
        return self

    def cpu_seconds(self) -> list[float]:
        """CPU time (user + system) each hub process has used so far."""
        import psutil

        return [sum(psutil.Process(p.pid).cpu_times()[:2]) for p in self.procs]

    def stop(self) -> None:
        for p in self.procs:
            stop(p)


class Judges:
    """The bench's ten judges, each on its own connection to one hub; marks in a fixed order."""

    def __init__(self, port: int, tokens: dict[str, str]) -> None:
        self.port = port
        self.tokens = tokens
        self.conns: dict[int, ClientConnection] = {}
        self.marks = Marks()
        self.n = 0

    async def open(self) -> Judges:
        for j in range(1, JUDGES + 1):
            c = await connect(
                f"ws://127.0.0.1:{self.port}/ws/judge", subprotocols=["scorecast.json"]
            )  # type: ignore[list-item]
            await c.send(
                json.dumps({"type": "auth", "token": self.tokens[f"J{j}"], "device": "bench"})
            )
            welcome = json.loads(await c.recv())
            assert welcome["type"] == "welcome", welcome
            self.conns[j] = c
        return self

    async def mark(self) -> tuple[float, float]:
        """Send the next mark; return (send time, seconds to its ack)."""
        j = self.n % JUDGES + 1
        self.n += 1
        frame = self.marks.next(j)
        c = self.conns[j]
        sent = time.time()
        started = time.perf_counter()
        await c.send(json.dumps(frame))
        while True:
            reply = json.loads(await c.recv())
            if reply.get("id") == frame["id"]:
                break
        if reply["type"] != "ack":
            raise RuntimeError(f"mark refused: {reply}")
        return sent, time.perf_counter() - started

    async def close(self) -> None:
        for c in self.conns.values():
            await c.close()


async def one_update_cost(
    workdir: Path, label: str, store: str, broker: str, hubs_n: int, marks: int
) -> dict[str, Any]:
    """One judge on hub A, one viewer on the last hub; one mark at a time."""
    hubs = Hubs(workdir, store, broker, hubs_n).start()
    try:
        judges = await Judges(hubs.ports[0], hubs.tokens).open()
        v = await connect(
            f"ws://127.0.0.1:{hubs.ports[-1]}/ws/live", subprotocols=["scorecast.json"]
        )  # type: ignore[list-item]
        await v.send(json.dumps({"type": "subscribe", "channel": CHANNEL}))
        version = json.loads(await v.recv())["version"]
        acks, screens = [], []
        for _ in range(marks + 5):
            started = time.perf_counter()
            _, ack = await judges.mark()
            while True:
                frame = json.loads(await v.recv())
                if frame.get("channel") == CHANNEL and frame.get("version", 0) > version:
                    version = frame["version"]
                    break
            screens.append(time.perf_counter() - started)
            acks.append(ack)
            await asyncio.sleep(0.01)
        acks, screens = acks[5:], screens[5:]  # warm-up
        await v.close()
        await judges.close()
    finally:
        hubs.stop()
    return {
        "setup": label,
        "hubs": hubs_n,
        "marks": marks,
        "ack_p50_ms": ms(pct(acks, 50)),
        "ack_p99_ms": ms(pct(acks, 99)),
        "screen_p50_ms": ms(pct(screens, 50)),
        "screen_p99_ms": ms(pct(screens, 99)),
    }


class ViewerProcs:
    """``bench.viewers`` processes, controlled over stdin/stdout."""

    def __init__(self, ports: list[int], procs: int) -> None:
        args = [
            sys.executable,
            "-m",
            "bench.viewers",
            "--proto",
            "scorecast",
            "--path",
            "/ws/live",
            "--ports",
            ",".join(map(str, ports)),
        ]
        self.procs = [
            subprocess.Popen(
                args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            for _ in range(procs)
        ]

    def ask_all(self, cmd: dict[str, Any]) -> list[dict[str, Any]]:
        for p in self.procs:
            assert p.stdin is not None
            p.stdin.write(json.dumps(cmd) + "\n")
            p.stdin.flush()
        out = []
        for p in self.procs:
            assert p.stdout is not None
            out.append(json.loads(p.stdout.readline()))
        return out

    def close(self) -> None:
        for p in self.procs:
            try:
                assert p.stdin is not None
                p.stdin.write(json.dumps({"cmd": "exit"}) + "\n")
                p.stdin.flush()
                p.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                p.kill()


def redis_cpu_seconds(redis: Redis | None) -> float:
    import psutil

    if redis is None or redis.proc is None:
        return 0.0
    return float(sum(psutil.Process(redis.proc.pid).cpu_times()[:2]))


async def fanout(
    workdir: Path,
    label: str,
    store: str,
    broker: str,
    hubs_n: int,
    viewers: int,
    marks: int,
    rate: float,
    redis: Redis | None,
) -> dict[str, Any]:
    import numpy as np

    hubs = Hubs(workdir, store, broker, hubs_n).start()
    vp = ViewerProcs(hubs.ports, 2)
    try:
        started = time.monotonic()
        ready = vp.ask_all({"cmd": "connect", "n": viewers // 2, "timeout": 120})
        connect_s = time.monotonic() - started
        connected = sum(r["ready"] for r in ready)
        judges = await Judges(hubs.ports[0], hubs.tokens).open()
        sent_at, acks = [], []
        cpu0, redis0 = hubs.cpu_seconds(), redis_cpu_seconds(redis)
        t0 = time.perf_counter()
        for i in range(marks):
            t, ack = await judges.mark()
            sent_at.append(t)
            acks.append(ack)
            await asyncio.sleep(max(0.0, t0 + (i + 1) / rate - time.perf_counter()))
        await asyncio.sleep(1.0)  # the last update reaches every viewer
        cpu = [b - a for a, b in zip(cpu0, hubs.cpu_seconds(), strict=True)]
        redis_cpu = redis_cpu_seconds(redis) - redis0
        await judges.close()
        final = (
            marks  # a fresh ledger: the board starts at version 0 and every mark moves it by one
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            status = vp.ask_all({"cmd": "status", "version": final})
            if sum(s["at_least"] for s in status) >= connected:
                break
            await asyncio.sleep(0.2)
        served = sum(s["at_least"] for s in status)
        still_open = sum(s["open"] for s in status)
        dumps = [workdir / f"viewers{i}.npz" for i in range(len(vp.procs))]
        for p, path in zip(vp.procs, dumps, strict=True):
            assert p.stdin is not None and p.stdout is not None
            p.stdin.write(json.dumps({"cmd": "dump", "path": str(path)}) + "\n")
            p.stdin.flush()
            p.stdout.readline()
        sent = np.array(sent_at)
        per_delivery: list[float] = []
        last_viewer: dict[int, float] = {}
        for path in dumps:
            d = np.load(path)
            version, ts = d["version"], d["ts"]
            keep = (version >= 1) & (version <= marks)
            lat = ts[keep] - sent[version[keep] - 1]
            per_delivery += lat.tolist()
            for v, x in zip(version[keep].tolist(), lat.tolist(), strict=True):
                last_viewer[v] = max(last_viewer.get(v, 0.0), x)
    finally:
        vp.close()
        hubs.stop()
    lasts = list(last_viewer.values())
    return {
        "setup": label,
        "hubs": hubs_n,
        "viewers": viewers,
        "connected": connected,
        "connect_seconds": round(connect_s, 1),
        "marks": marks,
        "rate": rate,
        "served": served,
        "open": still_open,
        "hub_cpu_ms_per_update": [round(c / marks * 1000, 2) for c in cpu],
        "redis_cpu_ms_per_update": round(redis_cpu / marks * 1000, 3),
        "ack_p50_ms": ms(pct(acks, 50)),
        "ack_p99_ms": ms(pct(acks, 99)),
        "delivery_p50_ms": ms(pct(per_delivery, 50)),
        "delivery_p99_ms": ms(pct(per_delivery, 99)),
        "last_viewer_p50_ms": ms(pct(lasts, 50)),
        "last_viewer_p99_ms": ms(pct(lasts, 99)),
    }


SETUPS = [  # label, backend, hubs
    ("1 hub, SQLite + memory broker", "sqlite", 1),
    ("1 hub, Redis", "redis", 1),
    ("2 hubs, Redis", "redis", 2),
]


async def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tempfile.mkdtemp(prefix="scorecast-redis-bench-"))
    results: dict[str, Any] = {
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "quick": args.quick,
        "one_update": [],
        "fanout": [],
    }
    try:
        for section in ("one_update", "fanout"):
            for k, (label, backend, n) in enumerate(SETUPS):
                work = root / f"{section}-{k}"
                work.mkdir()
                redis = Redis(work / "redis", set(cpus())).start()  # a fresh ledger for each run
                try:
                    store, broker = (
                        (redis.url, redis.url)
                        if backend == "redis"
                        else (f"sqlite:///{work / 'ledger.db'}", "memory://")
                    )
                    if section == "one_update":
                        r = await one_update_cost(work, label, store, broker, n, args.cost_marks)
                    else:
                        r = await fanout(
                            work,
                            label,
                            store,
                            broker,
                            n,
                            args.viewers,
                            args.marks,
                            args.rate,
                            redis if backend == "redis" else None,
                        )
                finally:
                    redis.kill()
                print(json.dumps(r), flush=True)
                results[section].append(r)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return results


def table(results: dict[str, Any]) -> str:
    lines = [
        "One update, one viewer (judge send → ack; judge send → the viewer has the delta):",
        "",
        "| setup | ack p50 ms | ack p99 ms | on screen p50 ms | on screen p99 ms |",
        "|---|---|---|---|---|",
    ]
    for r in results["one_update"]:
        lines.append(
            f"| {r['setup']} | {r['ack_p50_ms']} | {r['ack_p99_ms']} | {r['screen_p50_ms']} | "
            f"{r['screen_p99_ms']} |"
        )
    n = results["fanout"][0]["viewers"] if results["fanout"] else 0
    rate = results["fanout"][0]["rate"] if results["fanout"] else 0
    lines += [
        "",
        f"{n} viewers in 2 processes, marks at {rate:g}/s (judge send → kernel receive at the viewer):",
        "",
        "| setup | served | ack p50 / p99 ms | every delivery p50 / p99 ms | last viewer p50 / p99 ms "
        "| hub CPU ms per update | Redis CPU ms per update |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results["fanout"]:
        lines.append(
            f"| {r['setup']} | {r['served']}/{r['viewers']} | {r['ack_p50_ms']} / {r['ack_p99_ms']} | "
            f"{r['delivery_p50_ms']} / {r['delivery_p99_ms']} | "
            f"{r['last_viewer_p50_ms']} / {r['last_viewer_p99_ms']} | "
            f"{' + '.join(str(c) for c in r['hub_cpu_ms_per_update'])} | "
            f"{r['redis_cpu_ms_per_update']} |"
        )
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="200 viewers, 30 marks: about a minute")
    p.add_argument("--viewers", type=int, default=None)
    p.add_argument("--marks", type=int, default=None)
    p.add_argument("--rate", type=float, default=10.0, help="marks per second in the fan-out runs")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args()
    args.viewers = args.viewers or (200 if args.quick else 1000)
    args.marks = args.marks or (30 if args.quick else 100)
    args.cost_marks = 30 if args.quick else 100
    results = asyncio.run(run(args))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results))
    print(f"\n(results in {args.out})")


if __name__ == "__main__":
    main()
