"""``POST /api/v1/amendments``: the organizer amends the competition on a running hub (issue 13).

The body is JSON with a ``reason`` (kept on the record) and one change:

* ``"competition": {...}`` — the whole amended document (what ``scorecast amend`` sends);
* ``"add_judge": {"id", "name", "delegation", "role", "assignments"}`` — the answer carries the
  new judge's credential, shown once (stored hashed, like ``scorecast credentials``);
* ``"assign_judge": {"judge", "assignments"}``;
* ``"correct_competitor": {"competitor", "name"?, "delegation"?, "bib"?, "members"?, …}``;
* ``"set_status": {"program", "competitor", "status"}`` — recorded as a status event.

Only a credential whose role is ``organizer`` may amend; every change is a ledger event with
its author (the credential's id), time and reason, and a refusal changes nothing.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from scoreboard import EventRefused, StatusChanged
from scoreboard.kinds import Role

from . import amend_ops, in_force
from .auth import digest, new_token
from .errors import AmendmentRefused, ApiError
from .hub import now_ms
from .logs import log
from .pad import NO_CACHE, STATIC, bearer_judge
from .state import AppState, app_state

CHANGES = ("competition", *amend_ops.OPS, "set_status")


async def _organizer(st: AppState, request: Request) -> str:
    author = await bearer_judge(st, request)
    if st.hub.competition.judges[author].role is not Role.ORGANIZER:
        raise ApiError(
            403,
            "wrong_role",
            "only an organizer may amend the competition; use an organizer's credential",
        )
    return author


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise ApiError(
            400, "malformed", "the body must be JSON: {reason, and one change}"
        ) from None
    if not isinstance(body, dict):
        raise ApiError(400, "malformed", "the body must be a JSON object: {reason, and one change}")
    return body


async def amendments(request: Request) -> Response:
    st = app_state(request)
    author = await _organizer(st, request)
    body = await _body(request)
    reason = body.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise AmendmentRefused("an amendment needs a reason (it is kept on the record)")
    asked = [c for c in CHANGES if c in body]
    if len(asked) != 1 or set(body) - {"reason", *CHANGES}:
        raise ApiError(400, "malformed", f"send a reason and exactly one of: {', '.join(CHANGES)}")
    [change] = asked
    hub = st.hub
    if change == "set_status":
        return await _set_status(st, author, body["set_status"], reason)
    if change == "competition":
        data, summary = body["competition"], ""
    else:
        data, summary = amend_ops.OPS[change](hub.data, body[change])
    data, competition = in_force.parse(data)
    seq, changes = await in_force.amend_running(hub, data, competition, reason, author, summary)
    summary = summary or f"the competition document amended ({len(changes)} change(s))"
    answer: dict[str, Any] = {
        "seq": seq,
        "summary": summary,
        "changes": [str(c) for c in changes],
    }
    if change == "add_judge":
        jid = body["add_judge"]["id"]
        token = new_token(jid)
        await hub.ledger.put_credential(jid, digest(token))
        answer["credential"] = token  # shown once
        log("hub.credential_issued", judge=jid, author=author)
    return JSONResponse(answer)


async def _set_status(st: AppState, author: str, change: Any, reason: str) -> Response:
    if not isinstance(change, dict) or not {"program", "competitor", "status"} <= set(change):
        raise ApiError(400, "malformed", "set_status needs {program, competitor, status}")
    event = StatusChanged(
        str(uuid.uuid4()),
        str(change["program"]),
        str(change["competitor"]),
        str(change["status"]),
        author,
        now_ms(),
        reason,
    )
    try:
        seq, _ = await st.hub.submit(author, event)
    except EventRefused as e:  # nothing changed
        raise ApiError(409, e.code, e.message) from None
    return JSONResponse({"seq": seq, "summary": f"{event.competitor} is {event.status}"})


async def overview(request: Request) -> Response:
    """``GET /api/v1/amendments``: what the organizer's desk shows: the judges (with their
    assignments), delegations, programs and competitors, and every amendment on the record."""
    st = app_state(request)
    await _organizer(st, request)
    comp = st.hub.competition
    amendments = [
        {
            "seq": seq,
            "ts": body.get("ts"),
            "author": body.get("author", ""),
            "reason": body.get("reason", ""),
            "summary": body.get("summary", ""),
            "kind": body.get("kind"),
        }
        for seq, _, body in await st.hub.ledger.records()
    ]
    return JSONResponse(
        {
            "judges": st.hub.data.get("judges", []),
            "delegations": [{"code": d.code, "name": d.name} for d in comp.delegations.values()],
            "programs": [
                {
                    "id": p.id,
                    "name": p.name,
                    "criteria": list(p.criteria),
                    "competitors": [
                        {**c.public(), "status": st.hub.board.programs[p.id].statuses[c.id].value}
                        for c in p.competitors.values()
                    ],
                }
                for p in comp.programs.values()
            ],
            "amendments": amendments[::-1],
        }
    )


async def desk(request: Request) -> Response:
    """``/organizer``: the organizer's desk (``judge_client/static/organizer.js``)."""
    return FileResponse(STATIC / "organizer.html", headers=NO_CACHE)


routes = [
    Route("/organizer", desk),
    Route("/api/v1/amendments", amendments, methods=["POST"]),
    Route("/api/v1/amendments", overview, methods=["GET"]),
]
