"""``GET /api/v1/…``: read-only JSON for integrators; ``/healthz``; ``/metrics``.

Everything served here is public: it comes from the public channels, where
visibility has already been applied by the scoring core.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from scoreboard import program_channel
from scoreboard.board import public_codes
from scoreboard.board.public_codes import start_row
from scoreboard.model import Aspect, AspectType

from .errors import ApiError
from .state import AppState
from .state import app_state as _st


def _program(st: AppState, pid: str) -> Any:
    prog = st.hub.competition.programs.get(pid)
    if prog is None:
        raise ApiError(
            404,
            "unknown_program",
            f"program {pid!r} does not exist; GET /api/v1/programs lists them",
        )
    return prog


def program_summary(st: AppState, pid: str) -> dict[str, Any]:
    view = st.hub.board.view("overview")
    return dict(view.rows[pid])


async def competition(request: Request) -> Response:
    st = _st(request)
    comp = st.hub.competition
    return JSONResponse(
        {
            "id": comp.id,
            "name": comp.name,
            "delegations": [{"code": d.code, "name": d.name} for d in comp.delegations.values()],
            "programs": [program_summary(st, pid) for pid in comp.programs],
        }
    )


async def programs(request: Request) -> Response:
    st = _st(request)
    return JSONResponse([program_summary(st, pid) for pid in st.hub.competition.programs])


async def program(request: Request) -> Response:
    st = _st(request)
    prog = _program(st, request.path_params["id"])
    scheme = [
        {
            "id": c.id,
            "name": c.name,
            "max": None if c.max is None else str(c.max),
            "round": c.round,
            "aspects": [
                {
                    "id": a.id,
                    "name": a.name,
                    "type": a.type.value,
                    "max": None if a.max is None else str(a.max),
                    "min": str(a.low),
                    "high": str(a.high),
                    "step": str(a.step),
                    "panel": a.panel,
                    **_banded(a),
                }
                for a in (prog.aspects[x] for x in c.aspects)
            ],
        }
        for c in prog.criteria.values()
    ]
    return JSONResponse(
        {
            **program_summary(st, prog.id),
            "places": prog.places,
            "lower_is_better": not prog.descending,
            "criteria": scheme,
            "components": [
                {"id": k.id, "name": k.name, "weight": str(k.weight)} for k in prog.components
            ],
        }
    )


def _banded(a: Aspect) -> dict[str, Any]:
    """A banded aspect's target and bands: the pad shows them instead of an open range."""
    if a.type is not AspectType.BANDED:
        return {}
    return {
        "nominal": None if a.nominal is None else str(a.nominal),
        "bands": [{"within": str(b.within), "points": str(b.points)} for b in a.bands],
    }


async def leaderboard(request: Request) -> Response:
    st = _st(request)
    prog = _program(st, request.path_params["id"])
    return JSONResponse(st.hub.board.snapshot(program_channel(prog.id)))


async def competitors(request: Request) -> Response:
    st = _st(request)
    prog = _program(st, request.path_params["id"])
    return JSONResponse([c.public() for c in prog.competitors.values()])


async def competitor(request: Request) -> Response:
    st = _st(request)
    cid = request.path_params["id"]
    for prog in st.hub.competition.programs.values():
        if cid in prog.competitors:
            view = st.hub.board.view(program_channel(prog.id))
            # an anonymous program shown by codes has no row under the id (public_codes), and a
            # row under a code that is also an id (competitor "03", station 03) is not its
            coded = public_codes.coded(st.hub.board.programs[prog.id])
            row = (None if coded else view.rows.get(cid)) or start_row(
                prog.competitors[cid].public()
            )
            return JSONResponse({"program": prog.id, "version": view.version, "row": row})
    raise ApiError(
        404, "unknown_competitor", f"competitor {cid!r} does not exist; ids look like welding-07"
    )


async def medals(request: Request) -> Response:
    st = _st(request)
    view = st.hub.board.view("overview")
    return JSONResponse(
        {
            "version": view.version,
            "medals": view.header["medals"],
            "not_counted": view.header.get("not_counted", 0),
        }
    )


async def healthz(request: Request) -> Response:
    st = _st(request)
    hub = st.hub
    ledger = await hub.ledger.status()
    broker = hub.broker.status()
    warnings = list(ledger.get("warnings", [])) + list(broker.get("warnings", []))
    ok = (
        bool(broker.get("connected", True))
        and bool(ledger.get("connected", True))
        and bool(ledger.get("writable", True))
        and hub.append_error is None
    )
    if hub.append_error is not None:
        warnings.append(f"the last ledger append failed: {hub.append_error}")
    body = {
        "status": "ok" if ok else "degraded",
        "seq": hub.applied,
        "ledger": ledger,
        "broker": broker,
        "viewers": hub.fanout.count(),
        "warnings": warnings,
    }
    return JSONResponse(body, status_code=200 if ok else 503)


async def ledger_head(request: Request) -> Response:
    """The last event this hub applied and its hash link (docs/operations.md, verifying)."""
    seq, head = await _st(request).hub.head()
    return JSONResponse({"seq": seq, "hash": head or None})


async def metrics(request: Request) -> Response:
    return PlainTextResponse(
        _st(request).hub.metrics.render(), media_type="text/plain; version=0.0.4"
    )


def openapi_document() -> dict[str, Any]:
    def op(summary: str, params: list[str] | None = None) -> dict[str, Any]:
        return {
            "get": {
                "summary": summary,
                "parameters": [
                    {"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                    for p in params or []
                ],
                "responses": {"200": {"description": "JSON"}, "404": {"description": "unknown id"}},
            }
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Scorecast API",
            "version": "1",
            "description": "Read-only results; see docs/protocol.md",
        },
        "paths": {
            "/api/v1/competition": op("The competition: name, delegations, programs"),
            "/api/v1/programs": op("Programs with their visibility and progress"),
            "/api/v1/programs/{id}": op("One program with its marking scheme", ["id"]),
            "/api/v1/programs/{id}/leaderboard": op("The program's public leaderboard", ["id"]),
            "/api/v1/programs/{id}/competitors": op("The program's competitors", ["id"]),
            "/api/v1/competitors/{id}": op("One competitor's public row", ["id"]),
            "/api/v1/medals": op(
                "The medal table by delegation (programs whose results are final; "
                "not_counted: the programs in 公示 it does not count yet)"
            ),
            "/api/v1/ledger/head": op("The ledger head this hub applied: seq and hash"),
            "/healthz": op("Liveness and backend status"),
            "/metrics": op("Prometheus metrics"),
        },
    }


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document())


routes = [
    Route("/api/v1/competition", competition),
    Route("/api/v1/programs", programs),
    Route("/api/v1/programs/{id}", program),
    Route("/api/v1/programs/{id}/leaderboard", leaderboard),
    Route("/api/v1/programs/{id}/competitors", competitors),
    Route("/api/v1/competitors/{id}", competitor),
    Route("/api/v1/medals", medals),
    Route("/api/v1/ledger/head", ledger_head),
    Route("/api/v1/openapi.json", openapi),
    Route("/healthz", healthz),
    Route("/metrics", metrics),
]
