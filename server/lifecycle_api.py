"""The lifecycle over HTTP: the desk's detail behind a credential, the public's summary.

- ``GET /judge/api/lifecycle/{program}`` (``Authorization: Bearer <token>``): for the
  program's chief, a supervisor, a reviewer or an arbitrator, everything
  (``scoreboard.lifecycle.report``: the next gate and what it is missing, overrides, the
  review with its seed and error rate, appeals, corrections, history); for a delegation
  leader, the window and their own delegation's appeals; judges are refused (``wrong_role``).
- ``GET /api/v1/programs/{id}/lifecycle``: what every public board's header says (stage,
  objection deadline, completed marking, public appeals, corrections).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from scoreboard import program_channel
from scoreboard.lifecycle import for_leader, report
from scoreboard.model import Role
from scoreboard.program import ProgramState
from scoreboard.program.anonymous import masked

from . import masked_views
from .anonymity import sees_codes
from .errors import ApiError, error_response
from .pad import NO_CACHE, bearer_judge
from .state import app_state

DESK_ROLES = (Role.CHIEF, Role.SUPERVISOR, Role.REVIEWER, Role.ARBITRATOR)
PUBLIC_FIELDS = ("visibility", "lifecycle", "progress", "moving", "appeals", "corrections")


def _program_id(request: Request) -> str:
    st = app_state(request)
    pid: str = request.path_params["program"]
    if pid not in st.hub.competition.programs:
        raise ApiError(404, "unknown_program", f"program {pid!r} does not exist")
    return pid


async def desk(request: Request) -> Response:
    st = app_state(request)
    try:
        who = st.hub.competition.judges[await bearer_judge(st, request)]
        pid = _program_id(request)
    except ApiError as e:
        return error_response(e, NO_CACHE)
    state = st.hub.board.programs[pid]
    if who.role is Role.LEADER:
        if sees_codes(who, state):  # 公示 (a leader's part) comes after decryption
            return JSONResponse({"program": pid, "stage": state.lifecycle.stage.value,
                                 "open": False, "competitors": [], "appeals": [],
                                 "seq": st.hub.applied}, headers=NO_CACHE)  # fmt: skip
        return JSONResponse(
            {**for_leader(state, who.delegation), "seq": st.hub.applied}, headers=NO_CACHE
        )
    if who.role not in DESK_ROLES or (
        (who.role is Role.CHIEF or who.assignments) and not who.assigned(pid)
    ):
        return error_response(
            ApiError(403, "wrong_role", f"the lifecycle of {pid} is for its jury desk"), NO_CACHE
        )
    masked_reader = sees_codes(who, state)
    order = masked_views.order(state) if masked_reader else None  # cut by code, not by bib
    data = {**report(state, order), "fair": fair(state)}
    if masked_reader:  # an anonymous program before decryption: codes only
        shown = masked_views.report(state, data)
        if shown is None:
            return error_response(
                ApiError(503, "withheld", f"the lifecycle of {pid} cannot be shown under codes"),
                NO_CACHE,
            )
        data = shown
    return JSONResponse({**data, "seq": st.hub.applied}, headers=NO_CACHE)


def fair(state: ProgramState) -> dict[str, Any]:
    """The draw and the codes as the desk shows them (no competitor: who drew what is the list)."""
    d = state.draw
    return {
        "anonymous": state.program.anonymous,
        "encrypted": masked(state),
        "draws": state.draws,
        "marking_started": state.marks_applied > 0,
        "draw": None
        if d is None
        else {
            k: getattr(d, k)
            for k in ("seed_input", "head_seq", "head_hash", "reason", "author", "ts")
        },
    }


async def public(request: Request) -> Response:
    st = app_state(request)
    request.path_params["program"] = request.path_params["id"]
    pid = _program_id(request)
    header = st.hub.board.view(program_channel(pid)).header
    return JSONResponse(
        {"program": pid, **{k: header.get(k) for k in PUBLIC_FIELDS}}, headers=NO_CACHE
    )


routes: list[BaseRoute] = [
    Route("/judge/api/lifecycle/{program}", desk),
    Route("/api/v1/programs/{id}/lifecycle", public),
]
