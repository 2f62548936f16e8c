"""Start the hub under uvicorn; issue credentials."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import segno
import uvicorn

from scoreboard import Competition

from . import competition_file, record
from .app import create_app
from .auth import digest, new_token
from .config import Settings
from .errors import UnknownJudge
from .ledger import namespace, open_ledger
from .logs import setup
from .ws_live import LiveShortcut, websocket_protocol
from .ws_read_ahead import bounded

MAX_WS_MESSAGE = (
    1 << 20
)  # uvicorn closes with 1009 above this; the hub answers an error above max_frame


def http_protocol(header_timeout: float) -> Any:
    """uvicorn's h11 protocol with a deadline on every request head: a client that connects and
    sends nothing, or sends half its headers, is closed after ``header_timeout`` seconds (uvicorn
    itself waits forever for the first request, and for a second one once bytes of it arrived)."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HubH11Protocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._await_head()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._await_head()

        def connection_lost(self, exc: Exception | None) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            super().connection_lost(exc)

        def handle_websocket_upgrade(self, event: Any) -> None:
            # The connection is the WebSocket protocol's now: a pending timer would keep this
            # protocol (its parser, flow control and headers, about 1.5 KB) for header_timeout.
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None
            super().handle_websocket_upgrade(event)

        def _await_head(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
            waiting_after = self.cycle  # a new request head replaces the cycle
            self._head_timer = self.loop.call_later(header_timeout, self._head_late, waiting_after)

        def _head_late(self, waiting_after: object) -> None:
            t = self.transport
            if self.cycle is waiting_after and t.get_protocol() is self and not t.is_closing():
                t.close()  # no whole request head in time (an upgraded WebSocket is not ours)

    return HubH11Protocol


def uvicorn_config(settings: Settings, app: object) -> uvicorn.Config:
    # /ws/live past Starlette's layers, on a lighter WebSocket protocol that lets fan-out write frames
    # straight to each connection (server/ws_live.py, server/fanout.py)
    return uvicorn.Config(
        LiveShortcut(app),
        host=settings.host,
        port=settings.port,
        ws_max_size=MAX_WS_MESSAGE,
        log_level="warning",
        lifespan="on",
        http=http_protocol(settings.header_timeout),
        timeout_keep_alive=max(1, round(settings.keep_alive)),
        ws_ping_interval=settings.ws_ping_interval,
        ws_ping_timeout=settings.ws_ping_timeout,
        ws=bounded(websocket_protocol()),  # read-ahead bounded by bytes too
        # per-message deflate compresses every frame once per socket (its
        # context is per connection): that defeats encode-once fan-out
        ws_per_message_deflate=False,
    )


async def probe(
    store: str, data: dict[str, Any], competition: Competition
) -> tuple[dict[str, Any], Competition]:
    """Open the ledger once before uvicorn starts and bind it to the competition
    (``record.bind``): ``LedgerCorrupt``, ``BackendUnreachable`` or ``CompetitionDiffers`` then
    reach the CLI as a clear message, not a failed lifespan. Returns the competition in force."""
    ledger = open_ledger(store, namespace(competition.id))
    await ledger.open()
    try:
        return await record.bind(ledger, data, competition)
    finally:
        await ledger.close()


def serve(settings: Settings) -> int:
    data, competition = competition_file.load(settings.competition or None)
    setup(settings.log_level)
    data, competition = asyncio.run(probe(settings.store, data, competition))
    app = create_app(settings, data, competition)
    uvicorn.Server(uvicorn_config(settings, app)).run()
    return 0


async def issue_credentials(
    settings: Settings, only: list[str], qr_dir: str | None = None, base_url: str | None = None
) -> int:
    _, competition = competition_file.load(settings.competition or None)
    unknown = [j for j in only if j not in competition.judges]
    if unknown:
        raise UnknownJudge(
            f"unknown judge id(s): {', '.join(unknown)}; see the judges in the competition file"
        )
    base = (base_url or f"http://{settings.host}:{settings.port}").rstrip("/")
    if qr_dir is not None:
        Path(qr_dir).mkdir(parents=True, exist_ok=True)
    ledger = open_ledger(settings.store, namespace(competition.id))
    await ledger.open()
    try:
        print("# judge credentials: shown once, stored hashed in", settings.store)
        for jid, judge in competition.judges.items():
            if only and jid not in only:
                continue
            token = new_token(jid)
            await ledger.put_credential(jid, digest(token))
            line = f"{jid}\t{judge.role.value}\t{token}"
            if qr_dir is not None:
                url = f"{base}/judge#token={token}"
                segno.make(url, error="m").save(str(Path(qr_dir) / f"{jid}.svg"), scale=6, border=2)
                line += f"\t{url}"
            print(line)
    finally:
        await ledger.close()
    return 0
