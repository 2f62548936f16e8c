"""The hub's errors: one tree, each error carrying its code for the wire, and one mapping.

Library code raises these; ``error_frame`` turns any of them into the
``{"type": "error", ...}`` frame of ``/ws/judge`` and ``/ws/live``,
``error_response`` into the JSON body and status of the HTTP API, and only the
CLI (``server/cli.py``) turns them into a message and an exit status.

* :exc:`ScorecastError` — ``code``, ``message``, ``status`` (HTTP), ``exit_status`` (CLI)
    * :exc:`ConfigError` — the hub cannot start as configured (exit 1)
        * :exc:`SettingError` — a flag or ``SCORECAST_…`` value of the wrong type
        * :exc:`CompetitionFileUnusable` — unreadable, not TOML/JSON, or refused by the core
        * :exc:`UnknownBackend` — a store or broker URL with no backend
        * :exc:`UnknownJudge` — ``scorecast credentials --judge`` names no judge
        * :exc:`CompetitionDiffers` — the file is not the competition the ledger holds (exit 4)
        * :exc:`AmendmentRefused` — ``scorecast amend`` would invalidate events (exit 4)
        * ``server.redis_url.RedisURLError`` — a Redis URL that cannot be used (also a ValueError)
    * :exc:`BackendError` — a ledger or broker failed
        * :exc:`BackendUnreachable` — cannot connect at start (exit 1)
        * :exc:`LedgerCorrupt` — the ledger file is not a Scorecast ledger (exit 3)
        * :exc:`LedgerUnavailable` — cannot be written/read now: ``unavailable``, retry
        * :exc:`BrokerUnavailable` — cannot publish now (other hubs catch up from the ledger)
    * :exc:`ClientError` — a client sent something the hub does not take
        * :exc:`FrameError` — a WebSocket frame (``malformed``, ``unknown_type``, …)
        * :exc:`ApiError` — an HTTP API request (``not_found``, …)

The scoring core's own errors (``scoreboard.errors``: ``EventRefused`` for a mark
out of range, a locked competitor, an unknown channel) are not hub errors; they
carry their wire code too, and ``error_frame`` maps them alike.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from scoreboard import ScoreboardError


class ScorecastError(Exception):
    """The root of the hub's errors: ``code`` goes on the wire, ``message`` names the fix."""

    code = "internal"
    status = 500
    exit_status = 1
    retry = False

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ConfigError(ScorecastError):
    code = "config"


class SettingError(ConfigError):
    pass


class CompetitionFileUnusable(ConfigError):
    pass


class UnknownBackend(ConfigError):
    pass


class UnknownJudge(ConfigError):
    pass


class CompetitionDiffers(ConfigError):
    code = "competition_differs"
    exit_status = 4


class AmendmentRefused(ConfigError):
    code = "amendment_refused"
    status = 409  # on a running hub: POST /api/v1/amendments
    exit_status = 4


class BackendError(ScorecastError):
    code = "unavailable"
    status = 503


class BackendUnreachable(BackendError):
    pass


class LedgerCorrupt(BackendError):
    """The ledger file exists but is not a readable Scorecast ledger."""

    exit_status = 3


class LedgerUnavailable(BackendError):
    """The ledger cannot be written now; the client should retry (nothing was acknowledged)."""

    retry = True


class BrokerUnavailable(BackendError):
    pass


class ClientError(ScorecastError):
    status = 400


class FrameError(ClientError):
    """A frame the hub cannot take; ``ref`` is the frame's ``id`` when it is safe to echo."""

    def __init__(self, code: str, message: str, ref: Any = None) -> None:
        super().__init__(message, code)
        self.ref = ref
        self.retry = code == "rate_limited"


class ApiError(ClientError):
    def __init__(
        self, status: int, code: str, message: str, retry_after: int | None = None
    ) -> None:
        super().__init__(message, code)
        self.status = status
        self.retry_after = retry_after  # seconds: a 429's Retry-After


def error_frame(e: Exception, ref: Any = None, *, with_id: bool = True) -> dict[str, Any]:
    """The error frame for ``e`` (anything else is ``internal``, its details left in the log)."""
    if isinstance(e, FrameError) and e.ref is not None:
        ref = e.ref
    if isinstance(e, ScorecastError | ScoreboardError):
        frame: dict[str, Any] = {"type": "error", "id": ref, "code": e.code, "message": e.message}
    else:
        frame = {"type": "error", "id": None, "code": "internal", "message": "internal error"}
    if not with_id:
        del frame["id"]
    if isinstance(e, ScorecastError) and e.retry:
        frame["retry"] = True
        retry_after = getattr(e, "retry_after", None)  # server/guard.py's Throttled
        if retry_after is not None:
            frame["retry_after"] = retry_after
    return frame


def error_response(e: ScorecastError, headers: dict[str, str] | None = None) -> JSONResponse:
    """The HTTP API's error body: ``{"error": {"code", "message"}}`` with the error's status."""
    body: dict[str, Any] = {"code": e.code, "message": e.message}
    retry_after = getattr(e, "retry_after", None)
    if retry_after is not None:
        body["retry_after"] = retry_after
        headers = {**(headers or {}), "Retry-After": str(retry_after)}
    return JSONResponse({"error": body}, status_code=e.status, headers=headers)
