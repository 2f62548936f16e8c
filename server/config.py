"""Settings as data: every setting has a type, a default, an environment variable and help.

Read from flags first, then ``SCORECAST_<NAME>`` environment variables, then
the default. ``docs/configuration.md`` documents each one (a test checks it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from typing import Any

from .errors import SettingError

HELP: dict[str, str] = {
    "competition": "competition file (.toml or .json); default: the bundled sample competition",
    "store": "ledger URL: sqlite:///path/to/ledger.db (default), redis://host:port/db or "
    "redis+sentinel://s1:26379,s2:26379/<service>/db (?wait=N: ack once N replicas hold it)",
    "broker": "broker URL: memory:// (default, one process), redis://host:port/db or "
    "redis+sentinel://… (several hubs)",
    "host": "interface to listen on",
    "port": "TCP port to listen on",
    "allowed_origins": "comma-separated Origins allowed on /ws/judge besides the hub's own ('*' allows any)",
    "max_frame": "largest WebSocket message accepted from a client, in bytes",
    "judge_rate": "messages per second a judge connection may send (burst: twice this)",
    "viewer_queue": "updates queued for one viewer before it is skipped to a fresh snapshot",
    "fanout_window_ms": "least milliseconds between two writes of one channel to its viewers: "
    "updates within it go out together at its end (0: each loop turn's updates at once)",
    "history": "deltas kept per channel for viewers that resume with an old version",
    "snapshot_every": "ledger events between state snapshots (faster restart)",
    "gc_sweep": "seconds between collections of the whole heap; in between, what survives a full "
    "collection is frozen so the next one is short (0: Python's collector as it is)",
    "log_level": "debug, info, warning or error",
    "auth_timeout": "seconds a /ws/judge connection has to authenticate before it is closed (1008)",
    "max_unauthenticated": "unauthenticated /ws/judge connections one client address may hold",
    "header_timeout": "seconds a client has to send a request's headers (silent sockets closed)",
    "keep_alive": "seconds an idle HTTP keep-alive connection stays open",
    "ws_ping_interval": "seconds between the hub's WebSocket pings",
    "ws_ping_timeout": "seconds without a pong before a WebSocket is closed as dead",
    "auth_failures": "failed authentications in a minute (per address, per judge) before a lockout",
    "auth_lockout_max": "longest lockout in seconds (1 s after the limit, doubling each failure)",
}


@dataclass
class Settings:
    competition: str = ""
    store: str = "sqlite:///scorecast.db"
    broker: str = "memory://"
    host: str = "127.0.0.1"
    port: int = 8000
    allowed_origins: str = ""
    max_frame: int = 16384
    judge_rate: float = 50.0
    viewer_queue: int = 64
    fanout_window_ms: float = 25.0
    history: int = 512
    snapshot_every: int = 10000
    gc_sweep: float = 3600.0
    log_level: str = "info"
    auth_timeout: float = 10.0
    max_unauthenticated: int = 20
    header_timeout: float = 10.0
    keep_alive: float = 5.0
    ws_ping_interval: float = 20.0
    ws_ping_timeout: float = 20.0
    auth_failures: int = 10
    auth_lockout_max: float = 300.0

    @classmethod
    def load(
        cls, overrides: dict[str, Any] | None = None, environ: dict[str, str] | None = None
    ) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = (overrides or {}).get(f.name)
            if raw is None:
                raw = env.get(f"SCORECAST_{f.name.upper()}")
            if raw is None:
                continue
            kind: type[Any] = type(f.default)
            try:
                values[f.name] = kind(raw)
            except ValueError:
                raise SettingError(
                    f"setting {f.name} = {raw!r} is not a valid {kind.__name__}: {HELP[f.name]}"
                ) from None
        return cls(**values)

    def origins(self) -> set[str]:
        return {o.strip() for o in self.allowed_origins.split(",") if o.strip()}
