"""A real Redis replication group under Sentinel: one primary, one replica, three sentinels.

Every process is a real ``redis-server`` on a free loopback port (``--sentinel`` for the
sentinels), owned by one test and killed at its end. ``url`` is the hub's
``redis+sentinel://`` URL for the group.
"""

from __future__ import annotations

import time
from pathlib import Path

import redis

from tests.helpers import RedisServer, free_port

SERVICE = "scorecast"


class SentinelGroup:
    def __init__(self, executable: str, directory: Path, *, down_after_ms: int = 1000) -> None:
        self.executable = executable
        self.dir = Path(directory)
        self.down_after_ms = down_after_ms
        self.primary = RedisServer(executable, self.dir / "primary")
        self.replica = RedisServer(
            executable,
            self.dir / "replica",
            extra_args=["--replicaof", "127.0.0.1", str(self.primary.port)],
        )
        self.sentinels: list[RedisServer] = []
        for i in range(3):
            self.sentinels.append(self._sentinel(self.dir / f"sentinel-{i}"))

    def _sentinel(self, directory: Path) -> RedisServer:
        directory.mkdir(parents=True, exist_ok=True)
        port = free_port()
        conf = directory / "sentinel.conf"  # a sentinel rewrites its config: one file each
        conf.write_text(
            f"port {port}\nbind 127.0.0.1\ndir {directory}\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.primary.port} 2\n"
            f"sentinel down-after-milliseconds {SERVICE} {self.down_after_ms}\n"
            f"sentinel failover-timeout {SERVICE} 5000\n"
            f"sentinel parallel-syncs {SERVICE} 1\n"
        )
        server = RedisServer(self.executable, directory, port=port, persistence=False)
        server.command = lambda: [  # type: ignore[method-assign]
            self.executable,
            str(conf),
            "--sentinel",
            "--logfile",
            str(server.log_path),
        ]
        return server

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{SERVICE}/0"

    def start(self) -> SentinelGroup:
        self.primary.start()
        self.replica.start()
        self.wait_replicated(self.primary, timeout=10)
        for s in self.sentinels:
            s.start()
        self.wait_sentinels_agree(self.primary.port, timeout=10)
        return self

    def master_port(self) -> int | None:
        """The port the sentinels' majority names as primary now."""
        seen: dict[int, int] = {}
        for s in self.sentinels:
            if not s.running:
                continue
            try:
                client = redis.Redis(port=s.port, socket_timeout=0.5)
                host_port = client.execute_command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", SERVICE)
                client.close()
            except redis.RedisError:
                continue
            if host_port:
                port = int(host_port[1])
                seen[port] = seen.get(port, 0) + 1
        best = max(seen.items(), key=lambda kv: kv[1], default=None)
        return best[0] if best and best[1] >= 2 else None

    def wait_sentinels_agree(self, port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.master_port() == port and self._sentinels_know_replica():
                return
            time.sleep(0.1)
        raise TimeoutError(f"the sentinels did not agree on the primary :{port} in {timeout}s")

    def _sentinels_know_replica(self) -> bool:
        for s in self.sentinels:
            client = redis.Redis(port=s.port, socket_timeout=0.5)
            try:
                if not client.execute_command("SENTINEL", "REPLICAS", SERVICE):
                    return False
            finally:
                client.close()
        return True

    def wait_replicated(self, primary: RedisServer, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            client = redis.Redis(port=primary.port, socket_timeout=0.5)
            try:
                info = client.info("replication")
            finally:
                client.close()
            if (
                info.get("connected_slaves", 0) >= 1
                and info.get("slave0", {}).get("state") == "online"
            ):
                return
            time.sleep(0.05)
        raise TimeoutError(f"no replica came online on :{primary.port} in {timeout}s")

    def kill_primary(self, timeout: float = 20) -> int:
        """SIGKILL the primary; wait for the sentinels to promote the replica. Its port."""
        old = self.primary.port
        self.primary.kill()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            port = self.master_port()
            if port is not None and port != old:
                return port
            time.sleep(0.1)
        raise TimeoutError(f"no failover within {timeout}s")

    def kill(self) -> None:
        for server in [*self.sentinels, self.replica, self.primary]:
            server.kill()
