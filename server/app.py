"""The ASGI app: routes, and a lifespan that opens the ledger and broker and closes them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, WebSocketRoute

from display.routes import routes as display_routes
from scoreboard import Competition

from . import amend_api, api, decrypt_api, draw_api, history, lifecycle_api, pad, record
from .broker import open_broker
from .config import Settings
from .errors import ScorecastError, error_response
from .gc_monitor import GcMonitor
from .gc_policy import GcPolicy
from .headers import SecuredStarlette
from .hub import Hub, competition_tag
from .ledger import EventOrder, namespace, open_ledger
from .ledger.redis import redacted
from .lifecycle import Clock
from .logs import log, setup
from .loop_monitor import LoopMonitor
from .state import AppState
from .ws_judge import judge_endpoint
from .ws_live import live_endpoint


def create_app(settings: Settings, data: dict[str, Any], competition: Competition) -> Starlette:
    setup(settings.log_level)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        topic = namespace(competition.id)
        ledger = open_ledger(settings.store, topic)
        broker_url = settings.broker
        if ledger.order is EventOrder.GLOBAL and broker_url.startswith("memory://"):
            # A shared ledger with a one-process broker would never hear of other hubs' events.
            broker_url = settings.store
            log(
                "broker.defaulted",
                broker=redacted(broker_url),
                reason="a shared ledger needs a shared broker",
            )
        hub = Hub(
            competition,
            competition_tag(data),
            ledger,
            open_broker(broker_url, topic),
            history=settings.history,
            snapshot_every=settings.snapshot_every,
            fanout_window=settings.fanout_window_ms / 1000,
        )
        hub.data, hub.fingerprint = data, record.fingerprint(data)
        await hub.start()
        monitor = LoopMonitor(hub.metrics)
        monitor.start()
        collector = GcMonitor(hub.metrics)
        collector.start()
        policy = GcPolicy(settings.gc_sweep)  # after the restore's own freeze (Hub._restore)
        policy.start()
        clock = Clock(hub)  # the end of 公示 (server/lifecycle.py)
        clock.start()
        app.state.scorecast = AppState(settings, hub)
        log(
            "hub.started",
            store=redacted(settings.store),
            broker=redacted(broker_url),
            programs=len(competition.programs),
        )
        try:
            yield
        finally:
            await clock.stop()
            await monitor.stop()
            collector.stop()
            await policy.stop()
            await hub.stop()
            log("hub.stopped", seq=hub.applied)

    async def hub_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, ScorecastError):  # pragma: no cover — registered for these only
            raise exc
        return error_response(exc)

    routes: list[BaseRoute] = [
        WebSocketRoute("/ws/judge", judge_endpoint),
        WebSocketRoute("/ws/live", live_endpoint),
        *api.routes,
        *lifecycle_api.routes,
        *amend_api.routes,
        *history.routes,
        *display_routes,
        *pad.routes,
        *draw_api.routes,
        *decrypt_api.routes,
    ]
    return SecuredStarlette(
        routes=routes, lifespan=lifespan, exception_handlers={ScorecastError: hub_error}
    )
