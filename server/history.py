"""``GET /api/v1/programs/{id}/history``: a program's record for its jury (issue 13).

Every ledger event about the program (marks, withdrawals, sign-offs, locks, unlocks,
visibility and status changes) and every amendment of the competition, oldest first, each with
its seq, time, author, kind and fields, as ``scorecast export-ledger`` writes them. Filters:
``competitor``, ``judge`` (the events a judge made), ``after`` (a seq: the next page) and
``limit`` (at most 1,000 events; ``next`` is the ``after`` of the next page, or null).

For the program's jury only: a judge or chief assigned to it, or an organizer
(``Authorization: Bearer <credential>``); the public never sees marks by judge. A judge of an
anonymous program reads it under the codes of their layer until decryption
(``server/history_mask.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from scoreboard.kinds import Role

from .anonymity import judge_masked
from .audit import export_line
from .errors import ApiError
from .history_mask import Masker
from .ledger import RECORD_KINDS
from .pad import bearer_judge
from .state import app_state

MAX_LIMIT = 1000
READ = 5000  # events read from the ledger at once


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "malformed", f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise ApiError(400, "malformed", f"{name} must be between {low} and {high}")
    return value


def concerns(body: dict[str, Any], pid: str, competitor: str | None, judge: str | None) -> bool:
    if body.get("kind") in RECORD_KINDS:
        return competitor is None and judge is None
    if body.get("program") != pid:
        return False
    if competitor is not None and body.get("competitor") != competitor:
        return False
    return judge is None or (body.get("judge") or body.get("author")) == judge


async def history(request: Request) -> Response:
    st = app_state(request)
    pid = request.path_params["id"]
    comp = st.hub.competition
    if pid not in comp.programs:
        raise ApiError(
            404, "unknown_program", f"program {pid!r} does not exist; see GET /api/v1/programs"
        )
    who = comp.judges[await bearer_judge(st, request)]
    if who.role is not Role.ORGANIZER and not who.assigned(pid):
        raise ApiError(
            403, "wrong_role", f"only the jury of {pid} (or an organizer) may read its history"
        )
    after = _int(request, "after", 0, 0, 2**62)
    limit = _int(request, "limit", 200, 1, MAX_LIMIT)
    competitor = request.query_params.get("competitor")
    judge = request.query_params.get("judge")
    state = None if who.role is Role.ORGANIZER else judge_masked(st.hub, who.id, pid)
    masker = Masker(state, who) if state is not None else None
    code = competitor
    if masker is not None and competitor is not None:
        # a judge who marks under codes filters by the code; an id is no code
        competitor = masker.competitor(competitor) or "\0"
    events: list[dict[str, Any]] = []
    last = st.hub.applied
    while len(events) < limit and after < last:
        batch = await st.hub.ledger.read(after, READ)
        if not batch:
            break
        for seq, key, body in batch:
            after = seq
            if seq > last:
                break
            if concerns(body, pid, competitor, judge):
                line = export_line(seq, key, body, None)
                line.pop("hash", None)
                if body.get("kind") in RECORD_KINDS:
                    line["fields"] = {k: body.get(k) for k in ("author", "reason", "fingerprint")}
                shown = masker.line(line) if masker is not None else line
                if shown is not None and masker is not None and code is not None:
                    shown = shown if masker.shows(shown, code) else None
                if shown is not None:
                    events.append(shown)
                if len(events) == limit:
                    break
        await asyncio.sleep(0)  # a long ledger must not hold the loop
    more = len(events) == limit and after < last
    return JSONResponse({"program": pid, "events": events, "next": after if more else None})


routes = [Route("/api/v1/programs/{id}/history", history)]
