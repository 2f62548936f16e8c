"""The real-scale run's processes: the hub under test, the judge processes, a sampler of the hub.

The hub (``scorecast serve``, SQLite ledger, in-process broker) runs alone on the first core at
high priority, as in the fan-out bench; judges, viewers and this orchestrator share the other.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

from .common import (
    CLIENT_NICE,
    ROOT,
    SERVER_NICE,
    client_cpus,
    free_port,
    prioritize,
    raise_nofile,
    server_cpus,
    spawn,
    stop,
    wait_http,
)
from .pool import exit_children

PY = sys.executable


def load() -> dict[str, Any]:
    """The machine's load, as ``uptime`` prints it."""
    out = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return {"uptime": out, "loadavg": [round(x, 2) for x in os.getloadavg()]}


def commit() -> str:
    """The commit under test (and whether tracked files differ from it)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout

    dirty = " (modified)" if git("status", "--porcelain", "-uno").strip() else ""
    return git("rev-parse", "--short", "HEAD").strip() + dirty


class Hub:
    def __init__(self, workdir: Path, competition: Path) -> None:
        self.workdir = workdir
        self.competition = competition
        self.ledger = workdir / "ledger.db"
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.tokens: dict[str, str] = {}

    def cli(self, *args: str) -> list[str]:
        store = f"sqlite:///{self.ledger}"
        return [PY, "-m", "server.cli", *args, "--competition", str(self.competition)] + [
            "--store",
            store,
        ]

    def credentials(self) -> dict[str, str]:
        out = subprocess.run(
            self.cli("credentials"), cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        for line in out.splitlines():
            if line and not line.startswith("#"):
                jid, _role, token = line.split("\t")[:3]
                self.tokens[jid] = token
        return self.tokens

    def start(self, timeout: float = 120.0) -> float:
        started = time.monotonic()
        cmd = self.cli("serve") + ["--port", str(self.port), "--host", "127.0.0.1"]
        # every judge of the bench connects from 127.0.0.1: the cap on unauthenticated connections
        # per address (issue 12; 20 by default) would refuse most while they sign in at once
        env = {**os.environ, "SCORECAST_MAX_UNAUTHENTICATED": "10000"}
        # another copy's hub (BENCH_HUB_ROOT=/path, as bench/systems.py): a before/after run
        root = os.environ.get("BENCH_HUB_ROOT")
        if root:
            env["PYTHONPATH"] = root
        self.proc = spawn(
            cmd,
            server_cpus(),
            self.workdir / "hub.log",
            env=env,
            nice=SERVER_NICE,
            cwd=Path(root) if root else None,
        )
        wait_http(f"http://127.0.0.1:{self.port}/healthz", timeout, self.proc)
        return time.monotonic() - started

    def stop(self, timeout: float = 60.0) -> float:
        started = time.monotonic()
        stop(self.proc, signal.SIGTERM, timeout)
        return time.monotonic() - started

    @property
    def ps(self) -> psutil.Process:
        assert self.proc is not None
        return psutil.Process(self.proc.pid)

    def cpu(self) -> float:
        t = self.ps.cpu_times()
        return float(t.user + t.system)

    def rss(self) -> int:
        return int(self.ps.memory_info().rss)

    def metrics(self) -> dict[str, float]:
        url = f"http://127.0.0.1:{self.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as r:
            text = r.read().decode()
        out: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
        return out


class Sampler:
    """Every ``every`` seconds: the hub's CPU share, RSS and the loop's recent longest stall."""

    def __init__(self, hub: Hub, every: float = 1.0) -> None:
        self.hub = hub
        self.every = every
        self.samples: list[dict[str, float]] = []
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        cpu0, t0 = self.hub.cpu(), time.time()
        while True:
            await asyncio.sleep(self.every)
            try:
                m = await asyncio.to_thread(self.hub.metrics)
                cpu, t = self.hub.cpu(), time.time()
            except Exception:  # noqa: BLE001 — the hub is gone or busy: no sample
                continue
            self.samples.append(
                {
                    "t": t,
                    "cpu_share": (cpu - cpu0) / (t - t0),
                    "rss_mb": self.hub.rss() / 2**20,
                    "lag_recent_max_s": m.get("scorecast_loop_lag_recent_max_seconds", 0.0),
                    "lag_max_s": m.get("scorecast_loop_lag_max_seconds", 0.0),
                    "seq": m.get("scorecast_ledger_seq", 0.0),
                }
            )
            cpu0, t0 = cpu, t

    def window(self, t0: float, t1: float) -> dict[str, Any]:
        """The hub's mean CPU share and largest RSS from ``t0`` to ``t1`` (wall time)."""
        inside = [s for s in self.samples if t0 < s["t"] <= t1 + self.every]
        if not inside:
            return {}
        return {
            "cpu_share_mean": round(sum(s["cpu_share"] for s in inside) / len(inside), 3),
            "rss_max_mb": round(max(s["rss_mb"] for s in inside), 1),
        }

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()


def _client_pre() -> None:
    raise_nofile()
    try:
        os.sched_setaffinity(0, client_cpus())
    except OSError:
        pass
    prioritize(CLIENT_NICE)


class JudgeProcs:
    """``bench.realscale_judges`` processes, each holding a share of the judge connections."""

    def __init__(self, port: int, competition: Path, n: int) -> None:
        self.port = port
        self.competition = competition
        self.n = n
        self.procs: list[asyncio.subprocess.Process] = []
        self.owner: dict[str, int] = {}  # judge id → its process

    async def start(self) -> JudgeProcs:
        for _ in range(self.n):
            p = await asyncio.create_subprocess_exec(
                PY,
                "-m",
                "bench.realscale_judges",
                "--port",
                str(self.port),
                "--competition",
                str(self.competition),
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                preexec_fn=_client_pre,
                start_new_session=True,
                limit=1 << 24,
            )
            self.procs.append(p)
        return self

    async def ask(self, i: int, cmd: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
        p = self.procs[i]
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write((json.dumps(cmd) + "\n").encode())
        await p.stdin.drain()
        line = await asyncio.wait_for(p.stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"a judge process exited (code {p.returncode})")
        return json.loads(line)  # type: ignore[no-any-return]

    async def all(self, cmds: list[dict[str, Any]], timeout: float = 60) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(self.ask(i, c, timeout) for i, c in enumerate(cmds))))

    async def connect(self, tokens: dict[str, str], timeout: float) -> dict[str, Any]:
        shares: list[list[list[str]]] = [[] for _ in self.procs]
        for k, (jid, token) in enumerate(sorted(tokens.items())):
            self.owner[jid] = k % self.n
            shares[k % self.n].append([jid, token])
        replies = await self.all(
            [{"cmd": "connect", "judges": s, "timeout": timeout} for s in shares], timeout + 30
        )
        return {
            "ready": sum(r["ready"] for r in replies),
            "failed": sum(r["failed"] for r in replies),
            "seconds": max(r["seconds"] for r in replies),
        }

    async def send(self, schedule: list[tuple[int, float, str]]) -> None:
        """(mark, wall time, judge) → each judge's process."""
        shares: list[list[tuple[int, float]]] = [[] for _ in self.procs]
        for k, at, jid in schedule:
            shares[self.owner[jid]].append((k, at))
        await self.all([{"cmd": "send", "schedule": s} for s in shares])

    async def status(self) -> dict[str, Any]:
        replies = await self.all([{"cmd": "status"}] * self.n)
        errors: dict[str, int] = {}
        for r in replies:
            for k, v in r["errors"].items():
                errors[k] = errors.get(k, 0) + v
        out = {k: sum(r[k] for r in replies) for k in ("sent", "acked", "unanswered", "queued")}
        return {**out, "open": sum(r["open"] for r in replies), "errors": errors}

    async def wait_answered(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            st = await self.status()
            if (st["unanswered"] == 0 and st["queued"] == 0) or time.monotonic() > deadline:
                return st
            await asyncio.sleep(0.1)

    async def dump(self, workdir: Path) -> list[Path]:
        paths = [workdir / f"judges{i}.npz" for i in range(self.n)]
        await self.all([{"cmd": "dump", "path": str(p)} for p in paths], 120)
        return paths

    async def exit(self) -> None:
        await exit_children(self.procs, 20)
