"""The draw (抽签) over HTTP, behind the chief's credential (``Authorization: Bearer``).

- ``POST /judge/api/draw/{program}`` with ``{"seed_input": ..., "reason": ...}``: the hub reads
  its ledger head (seq and hash link), derives the draw (``scoreboard/program/drawing.py``),
  records it as a ``draw`` event and answers the draw list; a redraw needs ``reason``.
- ``GET /judge/api/draw/{program}``: the recorded draw list (404 ``not_drawn`` before a draw).

The chief draws. The list maps workstation numbers and codes to names: for an anonymous program
before decryption it is the key, read by a supervisor or the organizer (who print it for the
competitors to sign), and the chief's answer leaves its rows out (``masked_views.draw_list``);
judges never read it.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from scoreboard import DrawMade, EventRefused, InvalidValue, NotAllowed, StateConflict, UnknownId
from scoreboard.model import Role
from scoreboard.program.drawing import derive

from . import masked_views
from .anonymity import NAMES, judge_masked
from .draw_cli import WORDS, render
from .errors import ApiError, LedgerUnavailable, error_response
from .hub import now_ms
from .logs import log
from .pad import NO_CACHE, bearer_judge
from .state import AppState, app_state

STATUS = {InvalidValue: 422, NotAllowed: 403, StateConflict: 409, UnknownId: 404}


def draw_list(st: AppState, pid: str, event: DrawMade, seq: int | None = None) -> dict[str, Any]:
    """The draw as the competitors confirm it: one row a workstation, with names."""
    prog = st.hub.competition.programs[pid]
    state = st.hub.board.programs[pid]
    position = {cid: i + 1 for i, cid in enumerate(event.order)}
    rows = []
    for i, (cid, code) in enumerate(zip(event.stations, event.codes, strict=True)):
        c = prog.competitors[cid]
        rows.append(
            {
                "workstation": i + 1,
                "order": position[cid],
                "code": code,
                "id": cid,
                "bib": c.bib,
                "name": c.name,
                "delegation": c.delegation,
            }
        )
    return {
        "program": pid,
        "program_name": prog.name,
        "competition": st.hub.competition.name,
        "seq": seq,
        "draws": state.draws,
        "seed_input": event.seed_input,
        "head_seq": event.head_seq,
        "head_hash": event.head_hash,
        "author": event.author,
        "reason": event.reason,
        "ts": event.ts,
        "rows": rows,
    }


async def _chief(st: AppState, request: Request, pid: str, read: bool = False) -> str:
    """The chief of ``pid`` (or, to ``read`` the list, a supervisor or the organizer)."""
    judge_id = await bearer_judge(st, request)
    prog = st.hub.competition.programs.get(pid)
    if prog is None:
        raise ApiError(404, "unknown_program", f"program {pid!r} does not exist")
    judge = st.hub.competition.judges[judge_id]
    if read and judge.role in NAMES and (not judge.assignments or judge.assigned(pid)):
        return judge_id
    if judge.role is not Role.CHIEF or not judge.assigned(pid):
        raise ApiError(403, "wrong_role", f"only the chief expert of {pid} holds its draw")
    return judge_id


def shown(st: AppState, judge_id: str, pid: str, data: dict[str, Any]) -> dict[str, Any]:
    """The draw list as ``judge_id`` may read it: without its key while they see codes."""
    state = judge_masked(st.hub, judge_id, pid)
    return masked_views.draw_list(data, state) if state is not None else data


async def draw(request: Request) -> Response:
    st = app_state(request)
    pid = request.path_params["program"]
    try:
        author = await _chief(st, request, pid, read=request.method == "GET")
        if request.method == "GET":
            event = st.hub.board.programs[pid].draw
            if event is None:
                raise ApiError(404, "not_drawn", f"{pid} has not been drawn; POST a seed input")
            return JSONResponse(shown(st, author, pid, draw_list(st, pid, event)), headers=NO_CACHE)
        body = await json_body(request)
        seed_input, reason = body.get("seed_input", ""), body.get("reason", "")
        if not isinstance(seed_input, str) or not isinstance(reason, str):
            raise ApiError(422, "invalid_value", "seed_input and reason are strings")
        head_seq, head_hash = await st.hub.head()
        result = derive(st.hub.competition.programs[pid], seed_input, head_hash)
        event = DrawMade(
            body.get("id") or f"draw-{secrets.token_hex(6)}",
            pid,
            author,
            now_ms(),
            seed_input,
            head_seq,
            head_hash,
            result.stations,
            result.order,
            result.codes,
            reason,
        )
        seq, _ = await st.hub.submit(author, event)
    except ApiError as e:
        return error_response(e, NO_CACHE)
    except EventRefused as e:
        return error_response(ApiError(STATUS.get(type(e), 409), e.code, e.message), NO_CACHE)
    except LedgerUnavailable as e:
        return error_response(ApiError(503, e.code, e.message), NO_CACHE)
    log(
        "draw.recorded", program=pid, seq=seq, author=author, head_seq=head_seq, redraw=bool(reason)
    )
    return JSONResponse(shown(st, author, pid, draw_list(st, pid, event, seq)), headers=NO_CACHE)


async def printable(request: Request) -> Response:
    """``GET /judge/api/draw/{program}/list?lang=zh|en``: the list to print and sign (HTML)."""
    st = app_state(request)
    pid = request.path_params["program"]
    lang = request.query_params.get("lang", "zh")
    try:
        who = await _chief(st, request, pid, read=True)
        if lang not in WORDS:
            raise ApiError(400, "invalid_value", "lang is zh or en")
        event = st.hub.board.programs[pid].draw
        if event is None:
            raise ApiError(404, "not_drawn", f"{pid} has not been drawn")
        data = shown(st, who, pid, draw_list(st, pid, event))
        if data.get("sealed"):
            raise ApiError(
                403,
                "sealed",
                f"the draw list of {pid} is the key of its codes: the supervisor prints it",
            )
    except ApiError as e:
        return error_response(e, NO_CACHE)
    return HTMLResponse(render(data, lang, with_codes=False), headers=NO_CACHE)


async def json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise ApiError(400, "malformed", 'send a JSON object: {"seed_input": ...}') from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed", 'send a JSON object: {"seed_input": ...}')
    return body


routes: list[BaseRoute] = [
    Route("/judge/api/draw/{program}", draw, methods=["GET", "POST"]),
    Route("/judge/api/draw/{program}/list", printable),
]
