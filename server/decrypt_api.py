"""解密 over HTTP: ``POST /judge/api/decrypt/{program}``, the chief's credential as
``Authorization: Bearer`` and a supervisor's in the body (``{"supervisor_token": ...}``).

The hub checks both credentials; the ``decrypt`` event names the chief as its author and the
supervisor who confirmed it, and the core refuses it without a supervisor
(``supervisor_required``) or before the review is finished (``review_not_finished``). From then
on every channel shows the program's names (``server/anonymity.py`` masks nothing more).
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from scoreboard import Decrypted, EventRefused

from .draw_api import STATUS, json_body
from .errors import ApiError, FrameError, LedgerUnavailable, error_response
from .guard import Throttled
from .hub import now_ms
from .logs import log
from .pad import NO_CACHE, bearer_judge
from .state import app_state, client_address


async def decrypt(request: Request) -> Response:
    st = app_state(request)
    pid = request.path_params["program"]
    try:
        author = await bearer_judge(st, request)
        if pid not in st.hub.competition.programs:
            raise ApiError(404, "unknown_program", f"program {pid!r} does not exist")
        body = await json_body(request)
        token = body.get("supervisor_token") or ""
        supervisor = ""
        if token:
            if not isinstance(token, str):
                raise ApiError(422, "invalid_value", "supervisor_token is a string")
            try:
                supervisor = await st.authenticate(token, client_address(request), "decrypt")
            except Throttled as e:
                raise ApiError(429, e.code, e.message, retry_after=e.retry_after) from None
            except FrameError as e:
                raise ApiError(401, "bad_credential", f"the supervisor's {e.message}") from None
        event = Decrypted(
            f"decrypt-{secrets.token_hex(6)}", pid, author, supervisor, now_ms(), gate="review"
        )
        seq, _ = await st.hub.submit(author, event)
    except ApiError as e:
        return error_response(e, NO_CACHE)
    except EventRefused as e:
        return error_response(ApiError(STATUS.get(type(e), 409), e.code, e.message), NO_CACHE)
    except LedgerUnavailable as e:
        return error_response(ApiError(503, e.code, e.message), NO_CACHE)
    log("decrypt.recorded", program=pid, seq=seq, author=author, supervisor=supervisor)
    return JSONResponse({"program": pid, "seq": seq, "supervisor": supervisor}, headers=NO_CACHE)


routes: list[BaseRoute] = [Route("/judge/api/decrypt/{program}", decrypt, methods=["POST"])]
