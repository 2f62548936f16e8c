"""What every part of the fan-out bench shares: ports, pinning, child processes, redis-server, the machine."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The machine may be shared with other work. With autogroup scheduling a process's nice only ranks
# it inside its session, so each of our processes gets its own session and that session's nice
# (/proc/self/autogroup, root only): the server under test then has its core to itself.
SERVER_NICE = -20  # the server under test, alone on the first core
CLIENT_NICE = -15  # viewers and redis-server on the other core
DRIVER_NICE = -20  # the orchestrator and its judges: they send on time


def prioritize(nice: int) -> None:
    """This process (and its session's autogroup) at ``nice``, where the kernel allows it."""
    try:
        Path("/proc/self/autogroup").write_text(str(nice))
    except OSError:
        pass
    try:
        os.setpriority(os.PRIO_PROCESS, 0, nice)
    except OSError:
        pass


# The cores the bench may use, as the first bench process found them (its children inherit them).
# Read once: the orchestrator then pins itself to the client cores, and the cores it would find
# after that (the client cores alone) made server_cpus() the client core too: hub, judges and
# viewers all on one core, the other left idle (fixed in issue 17's sixth pass).
CPUS = os.environ.setdefault(
    "BENCH_CPUS", ",".join(str(c) for c in sorted(os.sched_getaffinity(0)))
)


def cpus() -> list[int]:
    return sorted(int(c) for c in CPUS.split(","))


def server_cpus() -> set[int]:
    c = cpus()
    return {c[0]} if os.environ.get("BENCH_PIN", "1") != "0" else set(c)


def client_cpus() -> set[int]:
    """The other cores; every core with ``BENCH_PIN=0`` (then nothing is pinned)."""
    c = cpus()
    if os.environ.get("BENCH_PIN", "1") == "0":
        return set(c)
    return set(c[1:]) or {c[0]}


def pin(pid: int, cores: set[int]) -> None:
    try:
        os.sched_setaffinity(pid, cores)
    except OSError:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0, proc: subprocess.Popen[Any] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"nothing listens on {port} after {timeout}s")


def wait_http(url: str, timeout: float = 30.0, proc: subprocess.Popen[Any] | None = None) -> float:
    """Poll ``url`` until it answers 200; return the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.01)
    raise TimeoutError(f"{url} did not answer in {timeout}s")


def nofile_limit() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return hard if hard != resource.RLIM_INFINITY else 1 << 20


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def max_viewers() -> int:
    """Most viewers one server process can hold here: its descriptor limit and the ephemeral ports."""
    lo, hi = (int(x) for x in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    return min(nofile_limit() - 500, hi - lo - 500) // 1000 * 1000


def spawn(
    cmd: list[str],
    cores: set[int],
    log: Path,
    env: dict[str, str] | None = None,
    nice: int = 0,
    cwd: Path | None = None,
) -> subprocess.Popen[bytes]:
    def pre() -> None:
        raise_nofile()
        try:
            os.sched_setaffinity(0, cores)
        except OSError:
            pass
        if nice:
            prioritize(nice)

    with open(log, "ab") as out:
        return subprocess.Popen(
            cmd,
            cwd=cwd or ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=pre,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )


def stop(
    proc: subprocess.Popen[Any] | None, sig: int = signal.SIGTERM, timeout: float = 15.0
) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


class Redis:
    """Our own redis-server on a free port (AOF with fsync always: the Redis ledger's durability)."""

    def __init__(self, workdir: Path, cores: set[int]) -> None:
        self.workdir = workdir
        self.cores = cores
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        workdir.mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> Redis:
        exe = shutil.which("redis-server")
        if exe is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        cmd = [
            exe,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(self.workdir),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
            "--protected-mode",
            "no",
            "--maxclients",
            "10000",
        ]
        self.proc = spawn(cmd, self.cores, self.workdir / "redis.log", nice=CLIENT_NICE)
        wait_port(self.port, 10, self.proc)
        return self

    def kill(self) -> None:
        stop(self.proc, signal.SIGKILL)
        self.proc = None

    def stop(self) -> None:
        stop(self.proc)
        self.proc = None


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions: dict[str, str] = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in (
        "websockets",
        "uvicorn",
        "starlette",
        "python-socketio",
        "python-engineio",
        "redis",
        "psutil",
        "msgpack",
        "matplotlib",
        "numpy",
    ):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "-"
    redis_v = "-"
    exe = shutil.which("redis-server")
    if exe:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout
        redis_v = next((w.split("=")[1] for w in out.split() if w.startswith("v=")), out.strip())
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "memory_gb": round(mem_gb, 1),
        "nofile": nofile_limit(),
        "packages": versions,
        "redis_server": redis_v,
    }
