"""``WS /ws/judge``: judges and chief experts authenticate, then send marks and get acks."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from scoreboard import EventRefused, event_from_dict

from .codec import (
    JUDGE_FRAMES,
    MSGPACK,
    SUBPROTOCOLS,
    FrameError,
    check,
    decode,
    encode_json,
    encode_msgpack,
)
from .hub import now_ms
from .ledger import LedgerUnavailable
from .logs import log
from .state import AppState, origin_allowed

# frame type → the event kind it becomes; the author is the authenticated judge, never the frame
EVENT_KINDS = {
    "mark": "mark",
    "withdraw": "withdraw",
    "signoff": "signoff",
    "lock": "lock",
    "unlock": "unlock",
    "visibility": "visibility",
    "status": "status",
}


class RateLimit:
    """A token bucket: ``rate`` messages per second, bursts of twice that."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self.tokens = rate * 2
        self.at = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.rate * 2, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def to_event(frame: dict[str, Any], judge: str, device: str, ts: int) -> dict[str, Any]:
    kind = EVENT_KINDS[frame["type"]]
    body = {k: v for k, v in frame.items() if k != "type"}
    body["kind"] = kind
    body["ts"] = ts
    if kind in ("mark", "withdraw", "signoff"):
        body["judge"] = judge
        if kind != "signoff":
            body["device"] = device
    else:
        body["author"] = judge
    return body


async def judge_endpoint(ws: WebSocket) -> None:
    st: AppState = ws.app.state.scorecast
    if not origin_allowed(ws, st.settings.origins()):
        await ws.close(code=1008, reason="Origin not allowed; add it to SCORECAST_ALLOWED_ORIGINS")
        return
    offered = ws.scope.get("subprotocols") or []
    subprotocol = next((p for p in offered if p in SUBPROTOCOLS), None)
    await ws.accept(subprotocol=subprotocol)
    binary = subprotocol == MSGPACK
    hub = st.hub
    metrics = hub.metrics
    metrics.inc("scorecast_connections", kind="judge")
    limit = RateLimit(st.settings.judge_rate)
    judge: str | None = None
    device = ""

    async def send(frame: dict[str, Any]) -> None:
        if binary:
            await ws.send_bytes(encode_msgpack(frame))
        else:
            await ws.send_text(encode_json(frame))

    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("bytes") if message.get("bytes") is not None else message.get("text")
            ref = None
            try:
                if data is None:
                    raise FrameError("malformed", "empty frame")
                if len(data) > st.settings.max_frame:
                    raise FrameError(
                        "frame_too_large",
                        f"frames are limited to {st.settings.max_frame} bytes; "
                        "send one mark per message",
                    )
                frame = check(decode(data), JUDGE_FRAMES)
                ref = frame.get("id")
                if not limit.allow():
                    raise FrameError(
                        "rate_limited",
                        f"more than {st.settings.judge_rate:g} messages a second; "
                        "slow down and resend what was not acknowledged",
                        ref,
                    )
                if frame["type"] == "ping":
                    await send({"type": "pong", "id": ref})
                    continue
                if frame["type"] == "auth":
                    judge = await st.authenticate(frame["token"])
                    device = frame.get("device", "")
                    await send(welcome(st, judge))
                    log("judge.authenticated", judge=judge, device=device)
                    continue
                if judge is None:
                    raise FrameError(
                        "unauthenticated", 'send {"type": "auth", "token": ...} first', ref
                    )
                event = event_from_dict(to_event(frame, judge, device, now_ms()))
                seq, duplicate = await hub.submit(judge, event)
                ack: dict[str, Any] = {"type": "ack", "id": ref, "seq": seq}
                if duplicate:
                    ack["duplicate"] = True
                else:
                    metrics.inc("scorecast_marks_accepted_total", kind=event.kind)
                await send(ack)
            except FrameError as e:
                metrics.inc("scorecast_marks_refused_total", code=e.code)
                error = {
                    "type": "error",
                    "id": e.ref if e.ref is not None else ref,
                    "code": e.code,
                    "message": e.message,
                }
                if e.code == "rate_limited":
                    error["retry"] = True
                await send(error)
            except EventRefused as e:
                metrics.inc("scorecast_marks_refused_total", code=e.code)
                log("judge.refused", judge=judge, id=ref, code=e.code)
                await send({"type": "error", "id": ref, "code": e.code, "message": e.message})
            except LedgerUnavailable as e:
                metrics.inc("scorecast_marks_refused_total", code="unavailable")
                await send(
                    {
                        "type": "error",
                        "id": ref,
                        "code": "unavailable",
                        "message": str(e),
                        "retry": True,
                    }
                )
            except WebSocketDisconnect:
                raise
            except Exception as e:  # noqa: BLE001 — one bad frame must not kill the connection
                log("judge.frame_failed", logging.ERROR, judge=judge, error=repr(e))
                await send(
                    {"type": "error", "id": None, "code": "internal", "message": "internal error"}
                )
    except WebSocketDisconnect:
        pass
    finally:
        metrics.inc("scorecast_connections", -1, kind="judge")


def welcome(st: AppState, judge_id: str) -> dict[str, Any]:
    judge = st.hub.competition.judges[judge_id]
    assignments = []
    for a in judge.assignments:
        prog = st.hub.competition.programs[a.program]
        aspects = [x.id for x in prog.aspects.values() if a.covers(x)]
        assignments.append({"program": a.program, "aspects": aspects})
    return {
        "type": "welcome",
        "protocol": 1,
        "judge": {
            "id": judge.id,
            "name": judge.name,
            "role": judge.role.value,
            "delegation": judge.delegation,
        },
        "assignments": assignments,
    }
