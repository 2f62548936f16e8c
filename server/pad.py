"""The browser judge pad and chief expert desk, served by the hub at ``/judge``.

``server.app`` mounts ``routes``. The page's files live with the judge side, in
``judge_client/static`` (plain JS, no build step); marks go over ``/ws/judge`` and the chief's live board over ``/ws/live``.
Two small JSON endpoints help the page, both behind the judge's credential
(``Authorization: Bearer <token>``):

- ``GET /judge/api/me``: the judge, and per assigned program what the ledger holds of
  theirs (marks, sign-offs), the locks, and the competitors they may not mark
  (conflict of interest), so a pad opened on a new tablet shows what was entered before;
- ``GET /judge/api/panel/{program}``: for the program's chief, who judges which aspects
  (judges and chiefs: not the reviewers or data-entry operators assigned), so the desk can
  show who has not marked what.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from scoreboard import Competition, Program, program_channel
from scoreboard.model import Judge, Role

from . import anonymity
from .errors import ApiError, FrameError, error_response
from .guard import Throttled
from .operator_view import operator_program
from .state import AppState, app_state, client_address

STATIC = Path(__file__).resolve().parent.parent / "judge_client" / "static"
NO_CACHE = {"Cache-Control": "no-cache"}
# who marks, so the desk's panel lists them: a reviewer or a data-entry operator assigned to
# the program marks nothing of their own (the desk counted them as judges who had not marked)
MARKERS = (Role.JUDGE, Role.CHIEF)


class PadStatic(StaticFiles):
    """Static assets that the browser revalidates, so a hub upgrade reaches every tablet."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers.update(NO_CACHE)
        return response


async def bearer_judge(st: AppState, request: Request) -> str:
    """The judge (or chief, organizer, …) whose credential the request carries as a Bearer token."""
    auth = request.headers.get("authorization", "")
    token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else ""
    if not token:
        raise ApiError(
            401, "bad_credential", "send the judge credential as Authorization: Bearer <token>"
        )
    try:
        return await st.authenticate(token, client_address(request), "judge_api")
    except Throttled as e:
        raise ApiError(429, e.code, e.message, retry_after=e.retry_after) from None
    except FrameError as e:  # bad_credential
        raise ApiError(401, "bad_credential", e.message) from None


def _mine(st: AppState, judge_id: str, pid: str) -> dict[str, Any]:
    hub = st.hub
    prog = hub.competition.programs[pid]
    judge = hub.competition.judges[judge_id]
    view = hub.board.view(program_channel(pid, "jury"))
    marks: dict[str, dict[str, str]] = {}
    signed: list[str] = []
    locked: dict[str, list[str]] = {}
    part: dict[str, list[str]] = {}
    for cid, row in view.rows.items():
        mine = {
            aid: a["marks"][judge_id]
            for aid, a in row.get("aspects", {}).items()
            if judge_id in a["marks"]
        }
        if mine:
            marks[cid] = mine
        if judge_id in row.get("signed_off", []):
            signed.append(cid)
        if judge_id in row.get("signed_layers", {}):  # one layer of two (layer_rule.py)
            part[cid] = row["signed_layers"][judge_id]
        if row.get("locked"):
            locked[cid] = list(row["locked"])
    return {
        "visibility": view.header.get("visibility"),
        "aspects": [a.id for a in prog.aspects.values() if judge.assigned(pid, a)],
        "marks": marks,
        "signed_off": signed,
        "locked": locked,
        "conflicts": _conflicts(prog, judge),
        **({"signed_layers": part} if part else {}),
    }


def _entry(st: AppState, judge: Judge, pid: str) -> dict[str, Any]:
    mine = _mine(st, judge.id, pid)
    if judge.role is Role.OPERATOR:  # 双人录入: the entry screen's view
        return operator_program(st.hub, judge, pid, mine)
    state = anonymity.judge_masked(st.hub, judge.id, pid)
    return mine if state is None else anonymity.me_program(state, judge, mine)


def _conflicts(prog: Program, judge: Judge) -> list[str]:
    if not prog.conflict_of_interest or judge.delegation is None:
        return []
    return [cid for cid, c in prog.competitors.items() if c.delegation == judge.delegation]


async def me(request: Request) -> Response:
    st = app_state(request)
    try:
        judge_id = await bearer_judge(st, request)
    except ApiError as e:
        return error_response(e, NO_CACHE)
    judge = st.hub.competition.judges[judge_id]
    return JSONResponse(
        {
            "seq": st.hub.applied,
            "judge": {
                "id": judge.id,
                "name": judge.name,
                "role": judge.role.value,
                "delegation": judge.delegation,
            },
            "programs": {pid: _entry(st, judge, pid) for pid in judge.programs()},
        },
        headers=NO_CACHE,
    )


async def panel(request: Request) -> Response:
    st = app_state(request)
    try:
        judge_id = await bearer_judge(st, request)
    except ApiError as e:
        return error_response(e, NO_CACHE)
    comp: Competition = st.hub.competition
    pid = request.path_params["program"]
    prog = comp.programs.get(pid)
    chief = comp.judges[judge_id]
    if prog is None or chief.role is not Role.CHIEF or not chief.assigned(pid):
        return error_response(
            ApiError(403, "wrong_role", f"only the chief expert of {pid} sees its panel"), NO_CACHE
        )
    masked = anonymity.judge_masked(st.hub, judge_id, pid) is not None
    judges = [
        {
            "id": j.id,
            "name": j.name,
            "role": j.role.value,
            "delegation": j.delegation,
            "aspects": [a.id for a in prog.aspects.values() if j.assigned(pid, a)],
            # under codes, whose delegation a code is would show: not said (the desk waits
            # for every judge of an aspect)
            "conflicts": [] if masked else _conflicts(prog, j),
        }
        for j in comp.judges.values()
        if j.assigned(pid) and j.role in MARKERS
    ]
    return JSONResponse({"program": pid, "judges": judges}, headers=NO_CACHE)


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", headers=NO_CACHE)


routes: list[BaseRoute] = [
    Route("/judge", page),
    Route("/judge/api/me", me),
    Route("/judge/api/panel/{program}", panel),
    Mount("/judge/static", PadStatic(directory=STATIC), name="judge-static"),
]
