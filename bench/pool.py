"""The viewer processes (``bench.viewers``), driven from the orchestrator's event loop."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

from .common import CLIENT_NICE, ROOT, client_cpus, prioritize, raise_nofile


def _pre() -> None:
    raise_nofile()
    try:
        os.sched_setaffinity(0, client_cpus())
    except OSError:
        pass
    prioritize(CLIENT_NICE)  # above other work on a shared machine


class ViewerPool:
    def __init__(self, proto: str, ports: list[int], path: str, procs: int) -> None:
        self.proto = proto
        self.ports = ports
        self.path = path
        self.nprocs = procs
        self.procs: list[asyncio.subprocess.Process] = []
        self.mean_bytes: float | None = None  # mean payload of the messages in the last dump

    async def start(self) -> ViewerPool:
        for _ in range(self.nprocs):
            p = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bench.viewers",
                "--proto",
                self.proto,
                "--ports",
                ",".join(map(str, self.ports)),
                "--path",
                self.path,
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                preexec_fn=_pre,
                start_new_session=True,
                limit=1 << 20,
            )
            self.procs.append(p)
        return self

    async def _ask(
        self, p: asyncio.subprocess.Process, cmd: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        assert p.stdin is not None and p.stdout is not None
        p.stdin.write((json.dumps(cmd) + "\n").encode())
        await p.stdin.drain()
        line = await asyncio.wait_for(p.stdout.readline(), timeout)
        if not line:
            raise RuntimeError(f"a viewer process exited (code {p.returncode})")
        return json.loads(line)  # type: ignore[no-any-return]

    async def ask_all(
        self, cmds: list[dict[str, Any]], timeout: float = 60
    ) -> list[dict[str, Any]]:
        return list(
            await asyncio.gather(
                *(self._ask(p, c, timeout) for p, c in zip(self.procs, cmds, strict=True))
            )
        )

    async def connect(self, n: int, timeout: float) -> dict[str, Any]:
        share = [n // self.nprocs + (1 if i < n % self.nprocs else 0) for i in range(self.nprocs)]
        replies = await self.ask_all(
            [{"cmd": "connect", "n": k, "timeout": timeout} for k in share], timeout + 30
        )
        return {
            "ready": sum(r["ready"] for r in replies),
            "failed": sum(r["failed"] for r in replies),
            "seconds": max(r["seconds"] for r in replies),
            "timed_out": any(r["timed_out"] for r in replies),
        }

    async def status(self, version: int) -> dict[str, int]:
        replies = await self.ask_all([{"cmd": "status", "version": version}] * self.nprocs, 30)
        return {k: sum(r[k] for r in replies) for k in ("at_least", "open", "viewers", "records")}

    async def wait_version(
        self, version: int, timeout: float, poll: float = 0.1
    ) -> tuple[bool, dict[str, int]]:
        """Until every open viewer holds ``version`` (or later), or ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            st = await self.status(version)
            if st["at_least"] >= st["open"]:
                return True, st
            if loop.time() > deadline:
                return False, st
            await asyncio.sleep(poll)

    async def reset(self) -> None:
        await self.ask_all([{"cmd": "reset"}] * self.nprocs)

    async def dump(self, workdir: Path, tag: str) -> list[Path]:
        paths = [workdir / f"{tag}-viewers{i}.npz" for i in range(self.nprocs)]
        replies = await self.ask_all([{"cmd": "dump", "path": str(p)} for p in paths], 120)
        records = sum(r.get("records", 0) for r in replies)
        self.mean_bytes = sum(r.get("bytes", 0) for r in replies) / records if records else None
        return paths

    async def close(self) -> None:
        await self.ask_all([{"cmd": "close"}] * self.nprocs, 120)

    async def exit(self) -> None:
        await exit_children(self.procs, 30)
        self.procs = []


async def exit_children(procs: list[asyncio.subprocess.Process], timeout: float) -> None:
    """Ask each client process to exit (``{"cmd": "exit"}`` on its stdin); kill what has not
    exited within ``timeout`` seconds."""
    for p in procs:
        if p.returncode is None and p.stdin is not None:
            try:
                p.stdin.write(b'{"cmd": "exit"}\n')
                await p.stdin.drain()
            except (BrokenPipeError, ConnectionResetError):
                pass
    for p in procs:
        try:
            await asyncio.wait_for(p.wait(), timeout)
        except TimeoutError:
            p.kill()
            await p.wait()
