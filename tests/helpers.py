"""Infrastructure helpers shared by the tests: ports, a real redis-server, chromium.

No domain code lives here; only what starts, waits for and stops real processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

INSTALL_HINT = "run ./scripts/install.sh (it installs redis-server, chromium and fonts-noto-cjk)"

CHROMIUM_PATH = "/usr/bin/chromium"

# Without the background-networking flags chromium keeps trying hosts this
# machine cannot reach; --no-sandbox because the tests run as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port(host: str = "127.0.0.1") -> int:
    """Return a TCP port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> None:
    """Wait until something accepts TCP connections on ``host:port``.

    Raises ``TimeoutError`` after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    last_error: OSError | None = None
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError as exc:
            last_error = exc
            time.sleep(0.02)
    raise TimeoutError(f"nothing listening on {host}:{port} after {timeout}s ({last_error})")


def redis_ping(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when a Redis server on ``host:port`` answers PING with +PONG (raw RESP)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(b"*1\r\n$4\r\nPING\r\n")
            reply = b""
            while not reply.endswith(b"\r\n"):
                chunk = sock.recv(64)
                if not chunk:
                    return False
                reply += chunk
            return reply.startswith(b"+PONG")
    except OSError:
        return False


def redis_server_path() -> str | None:
    return shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )


class RedisServer:
    """A real ``redis-server`` on loopback, owned by one test.

    ``persistence=True`` turns on the append-only file with ``fsync`` on every
    write, so data survives a SIGKILL; RDB snapshots are always off.
    """

    host = "127.0.0.1"

    def __init__(
        self,
        executable: str,
        directory: Path,
        *,
        port: int | None = None,
        persistence: bool = True,
        extra_args: list[str] | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        self.executable = executable
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port if port is not None else free_port()
        self.persistence = persistence
        self.extra_args = list(extra_args or [])
        self.start_timeout = start_timeout
        self.log_path = self.dir / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    def command(self) -> list[str]:
        args = [
            self.executable,
            "--port",
            str(self.port),
            "--bind",
            self.host,
            "--dir",
            str(self.dir),
            "--save",
            "",
            "--daemonize",
            "no",
            "--logfile",
            str(self.log_path),
        ]
        if self.persistence:
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        return args + self.extra_args

    def start(self) -> RedisServer:
        if self.running:
            raise RuntimeError(f"redis-server already running on port {self.port}")
        self.process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"redis-server exited with {self.process.returncode} on port "
                    f"{self.port}:\n{self._log_tail()}"
                )
            if redis_ping(self.host, self.port):
                return self
            time.sleep(0.02)
        self.kill()
        raise TimeoutError(
            f"redis-server did not answer PING on port {self.port} within "
            f"{self.start_timeout}s:\n{self._log_tail()}"
        )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the server: no shutdown, no final save. A crash."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop the server cleanly (SIGTERM), SIGKILL if it will not go."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> RedisServer:
        """Start again on the same port and the same directory (after kill or stop)."""
        if self.running:
            self.stop()
        return self.start()

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<RedisServer {self.url} {state} dir={self.dir}>"


def chromium_launch_options(**overrides: Any) -> dict[str, Any]:
    """Keyword arguments for ``playwright.chromium.launch`` on Debian's chromium."""
    if not os.path.exists(CHROMIUM_PATH):
        raise RuntimeError(f"{CHROMIUM_PATH} not found: {INSTALL_HINT}")
    options: dict[str, Any] = {
        "executable_path": CHROMIUM_PATH,
        "headless": True,
        "args": list(CHROMIUM_ARGS),
    }
    options.update(overrides)
    return options


def launch_chromium(playwright: Any, **overrides: Any) -> Any:
    """Launch Debian's chromium headless through Playwright.

    Works with both APIs: with ``async_playwright()`` await the result
    (``browser = await launch_chromium(pw)``); with ``sync_playwright()`` it is
    the browser. Never run ``playwright install``: the tests drive the system
    browser only. ``overrides`` go to ``chromium.launch``.
    """
    return playwright.chromium.launch(**chromium_launch_options(**overrides))
