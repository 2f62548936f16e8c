"""What the chaos bench runs the hub on, and how it breaks it.

A *setup* starts a hub (and what it stores on) for one phase and returns an :class:`Env`; a
*chaos* breaks it while the judges mark and returns how many faults it caused.
"""

from __future__ import annotations

import asyncio
import errno
import os
import random
import shutil
import subprocess
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.helpers import redis_server_path
from tests.hubkit import HubProcess
from tests.redis.sentinel import SentinelGroup

from .common import Redis, client_cpus
from .workload import competition


@dataclass
class Env:
    hub: HubProcess
    store: str
    closers: list[Callable[[], None]] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    redis: Redis | None = None
    sentinels: SentinelGroup | None = None
    disk: Path | None = None

    def close(self) -> None:
        self.hub.stop()
        for close in reversed(self.closers):
            close()

    def tracebacks(self) -> int:
        logs = self.hub.workdir.glob("hub-*.log")
        return sum(p.read_text(errors="replace").count("Traceback") for p in logs)

    def hub_usage(self) -> dict[str, int]:
        assert self.hub.proc is not None
        pid = self.hub.proc.pid
        rss = 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        return {"rss_kb": rss, "open_files": len(os.listdir(f"/proc/{pid}/fd"))}


Setup = Callable[[Path], Awaitable[Env]]
Chaos = Callable[[Env, "asyncio.Task[Any]"], Awaitable[int]]


def _hub(work: Path, store: str | None = None, broker: str = "memory://") -> HubProcess:
    hub = HubProcess(work, competition(), store=store, broker=broker)
    hub.issue_credentials()
    return hub.start()


async def sqlite_hub(work: Path) -> Env:
    hub = _hub(work)
    return Env(hub, hub.store)


async def redis_hub(work: Path) -> Env:
    redis = Redis(work / "redis", client_cpus()).start()
    hub = _hub(work, redis.url, redis.url)
    return Env(hub, redis.url, [redis.kill], redis=redis)


async def sentinel_hub(work: Path) -> Env:
    exe = redis_server_path()
    assert exe, "redis-server is not installed: ./scripts/install.sh"
    group = SentinelGroup(exe, work / "sentinel").start()
    url = group.url + "?wait=1"  # an ack waits for one replica: a failover loses no acked mark
    hub = _hub(work, url, url)
    return Env(hub, url, [group.kill], sentinels=group)


async def tmpfs_hub(work: Path) -> Env:
    """The ledger on a small tmpfs of its own, so that the bench can fill the disk for real."""
    disk = work / "disk"
    disk.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], check=True)
    hub = _hub(work, f"sqlite:///{disk / 'ledger.db'}")
    env = Env(hub, hub.store, disk=disk)
    env.closers.append(lambda: subprocess.run(["umount", "-l", str(disk)], check=False))
    return env


async def _while_marking(marking: asyncio.Task[Any], seconds: float) -> bool:
    """Sleep ``seconds`` unless the judges finish first; whether they are still marking."""
    done, _ = await asyncio.wait({marking}, timeout=seconds)
    return not done


def kill_hub(n: int) -> Chaos:
    async def chaos(env: Env, marking: asyncio.Task[Any]) -> int:
        during = 0
        for _ in range(n):
            during += await _while_marking(marking, random.uniform(0.3, 1.0))
            env.hub.kill()
            await asyncio.to_thread(env.hub.start)
        env.notes["kills_while_marking"] = during
        return n

    return chaos


def kill_redis(n: int) -> Chaos:
    async def chaos(env: Env, marking: asyncio.Task[Any]) -> int:
        assert env.redis is not None
        during = 0
        for _ in range(n):
            during += await _while_marking(marking, random.uniform(0.5, 1.5))
            env.redis.kill()
            await asyncio.sleep(1.0)  # judges hear "unavailable" meanwhile
            env.redis.start()
        env.notes["kills_while_marking"] = during
        return n

    return chaos


def fail_over(n: int) -> Chaos:
    async def chaos(env: Env, marking: asyncio.Task[Any]) -> int:
        group = env.sentinels
        assert group is not None
        during, seconds = 0, []
        for _ in range(n):
            during += await _while_marking(marking, random.uniform(0.5, 1.5))
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            new_port = await asyncio.to_thread(group.kill_primary)
            seconds.append(round(loop.time() - t0, 2))
            old = group.primary
            group.primary, group.replica = group.replica, old
            assert group.primary.port == new_port
            old.start()  # the sentinels turn the old primary into a replica of the new one
            await asyncio.to_thread(group.wait_replicated, group.primary, 30)
        env.notes.update(kills_while_marking=during, failover_seconds=seconds)
        return n

    return chaos


def fill_disk(hold: float = 2.0) -> Chaos:
    async def chaos(env: Env, marking: asyncio.Task[Any]) -> int:
        assert env.disk is not None
        await _while_marking(marking, 0.5)
        filler = env.disk / "filler"
        try:  # the disk may be full already (the ledger and a snapshot share its 16 MB)
            with open(filler, "wb") as f:
                while True:
                    f.write(b"\0" * 65536)
                    f.flush()
        except OSError as e:
            if e.errno != errno.ENOSPC:
                raise
        async with httpx.AsyncClient(timeout=5) as http:
            await asyncio.sleep(hold)
            health = (await http.get(f"{env.hub.http}/healthz")).status_code
        filler.unlink(missing_ok=True)
        env.notes.update(healthz_while_full=health, free_after=shutil.disk_usage(env.disk).free)
        return 1

    return chaos
