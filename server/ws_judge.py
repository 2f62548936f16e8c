"""``WS /ws/judge``: judges and chief experts authenticate, then send marks and get acks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

from starlette.websockets import WebSocket, WebSocketDisconnect

from scoreboard import EntryMade, Event, EventRefused, event_from_dict
from scoreboard.kinds import Role
from scoreboard.program.entries import CHIEF_RESOLVES, entered, entry_status, reused

from . import anonymity
from .codec import JUDGE_FRAMES, MSGPACK, SUBPROTOCOLS, check, decode
from .errors import FrameError, LedgerUnavailable, error_frame
from .hub import Hub, now_ms
from .judge_answers import Answers
from .lifecycle import prepare
from .logs import log
from .resends import check_resend
from .state import AppState, app_state, client_address, origin_allowed


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
    """The event a frame becomes; the author is the authenticated judge, never the frame."""
    kind = frame["type"]
    body = {k: v for k, v in frame.items() if k != "type"}
    body["kind"] = kind
    body["ts"] = ts
    if kind in ("mark", "withdraw", "signoff"):
        body["judge"] = judge
        if kind != "signoff":
            body["device"] = device
    else:
        body["author"] = judge
    if kind == "entry":  # a mismatch is the chief's to resolve (program/entries.py)
        body["policy"] = CHIEF_RESOLVES
    return body


async def judge_endpoint(ws: WebSocket) -> None:
    st = app_state(ws)
    if not origin_allowed(ws, st.settings.origins()):
        await ws.close(code=1008, reason="Origin not allowed; add it to SCORECAST_ALLOWED_ORIGINS")
        return
    offered = ws.scope.get("subprotocols") or []
    subprotocol = next((p for p in offered if p in SUBPROTOCOLS), None)
    await ws.accept(subprotocol=subprotocol)
    address = client_address(ws)
    if not st.unauthenticated.admit(address):
        await ws.close(1013, "too many unauthenticated connections from this address; retry later")
        return
    session = JudgeSession(ws, st, binary=subprotocol == MSGPACK)
    st.hub.metrics.inc("scorecast_connections", kind="judge")
    deadline = asyncio.create_task(session.auth_deadline(st.settings.auth_timeout))
    counted = True  # against the address's unauthenticated connections, until it authenticates
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("bytes") if message.get("bytes") is not None else message.get("text")
            await session.take(data)
            # one frame a connection per loop turn: a burst from hundreds of judges is applied
            # over many short turns, not one long one that holds every screen and ack
            await asyncio.sleep(0)
            if counted and session.judge is not None:
                counted = False
                deadline.cancel()
                st.unauthenticated.release(address)
    except WebSocketDisconnect:
        pass
    finally:
        session.abandon()
        if counted:
            st.unauthenticated.release(address)
        deadline.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await deadline
        st.hub.metrics.inc("scorecast_connections", -1, kind="judge")


AUTH: dict[type, Any] = {str: '"auth"', bytes: b"auth"}  # in a frame that may be an auth
WINDOW = 64  # frames of one connection answered at once (the judge client sends up to 32)


class Turn:
    """An answer's place in its connection's order: it waits for the previous one to be sent."""

    def __init__(self, previous: asyncio.Future[None] | None) -> None:
        self.previous = previous

    async def wait(self) -> None:
        if self.previous is not None and not self.previous.done():
            await asyncio.shield(self.previous)


class JudgeSession:
    """One judge connection: authenticate once, then each frame gets an ack or an error."""

    def __init__(self, ws: WebSocket, st: AppState, binary: bool) -> None:
        self.last: asyncio.Future[None] | None = None  # set once the latest frame is answered
        self.inflight: set[asyncio.Task[None]] = set()
        self.ws = ws
        self.st = st
        self.binary = binary
        self.answers = Answers(ws, binary, st.hub.metrics)
        self.limit = RateLimit(st.settings.judge_rate)
        self.judge: str | None = None
        self.device = ""
        self.address = client_address(ws)

    async def auth_deadline(self, seconds: float) -> None:
        """Close the connection if it has not authenticated ``seconds`` after its accept."""
        await asyncio.sleep(seconds)
        if self.judge is not None:
            return
        self.st.hub.metrics.inc("scorecast_connections_refused_total", reason="auth_timeout")
        log("judge.auth_timeout", address=self.address, seconds=seconds)
        with contextlib.suppress(Exception):
            await self.send(
                {
                    "type": "error",
                    "id": None,
                    "code": "auth_timeout",
                    "message": f'send {{"type": "auth", "token": ...}} within {seconds:g} s',
                }
            )
            self.answers.flush()  # the error before the close frame
            await self.ws.close(1008, f"not authenticated within {seconds:g} s")

    async def send(self, frame: dict[str, Any], turn: Turn | None = None) -> None:
        if turn is not None:
            await turn.wait()  # answers go out in the order the frames arrived
        await self.answers.send(frame)  # framed once; a loop turn's answers in one write

    async def take(self, data: str | bytes | None) -> None:
        """Start answering one frame. Once authenticated, up to ``WINDOW`` frames are answered
        at once: each is checked and applied in arrival order (its task starts before the next
        frame's) and they wait for their commits together, so marks sent without waiting for
        acks share group commits; the answers still go out one by one in arrival order."""
        if self.judge is None or (data is not None and AUTH[type(data)] in data):
            # authentication comes first, alone: frames after it are the new judge's
            while self.inflight:
                await asyncio.wait(self.inflight)
            await self.receive(data, Turn(None))
            return
        while len(self.inflight) >= WINDOW:
            await asyncio.wait(self.inflight, return_when=asyncio.FIRST_COMPLETED)
        turn, self.last = Turn(self.last), asyncio.get_running_loop().create_future()
        task = asyncio.create_task(self.receive(data, turn, self.last))
        self.inflight.add(task)
        task.add_done_callback(self.inflight.discard)

    def abandon(self) -> None:
        """The connection closed: unanswered frames stay applied and durable (a resend is
        answered ``duplicate``), their answers are not sent."""
        for task in self.inflight:
            task.cancel()

    async def receive(
        self, data: str | bytes | None, turn: Turn, answered: asyncio.Future[None] | None = None
    ) -> None:
        """Answer one frame; one bad frame never ends the connection."""
        try:
            await self._receive(data, turn)
        finally:
            if answered is not None and not answered.done():
                answered.set_result(None)

    async def _receive(self, data: str | bytes | None, turn: Turn) -> None:
        metrics = self.st.hub.metrics
        ref: Any = None
        try:
            frame = self.check(data)
            ref = frame.get("id")
            await self.handle(frame, ref, turn)
        except (FrameError, EventRefused, LedgerUnavailable) as e:
            metrics.inc("scorecast_marks_refused_total", code=e.code)
            if isinstance(e, EventRefused):
                log("judge.refused", judge=self.judge, id=ref, code=e.code)
            await self.send(error_frame(e, ref), turn)
        except WebSocketDisconnect:
            raise
        except Exception as e:  # noqa: BLE001 — one bad frame must not kill the connection
            log("judge.frame_failed", logging.ERROR, judge=self.judge, error=repr(e))
            await self.send(error_frame(e), turn)

    def check(self, data: str | bytes | None) -> dict[str, Any]:
        max_frame = self.st.settings.max_frame
        if data is None:
            raise FrameError("malformed", "empty frame")
        if len(data) > max_frame:
            raise FrameError(
                "frame_too_large",
                f"frames are limited to {max_frame} bytes; send one mark per message",
            )
        frame = check(decode(data), JUDGE_FRAMES)
        if not self.limit.allow():
            raise FrameError(
                "rate_limited",
                f"more than {self.st.settings.judge_rate:g} messages a second; "
                "slow down and resend what was not acknowledged",
                frame.get("id"),
            )
        return frame

    async def handle(self, frame: dict[str, Any], ref: Any, turn: Turn) -> None:
        if frame["type"] == "ping":
            await self.send({"type": "pong", "id": ref}, turn)
            return
        if frame["type"] == "auth":
            self.judge = await self.st.authenticate(frame["token"], self.address, "ws_judge")
            self.device = frame.get("device", "")
            await self.send(welcome(self.st, self.judge), turn)
            log("judge.authenticated", judge=self.judge, device=self.device)
            return
        if self.judge is None:
            raise FrameError("unauthenticated", 'send {"type": "auth", "token": ...} first', ref)
        seq, duplicate, event = await submit_frame(self.st.hub, self.judge, self.device, frame)
        ack: dict[str, Any] = {"type": "ack", "id": ref, "seq": seq}
        if duplicate:
            ack["duplicate"] = True
        else:
            self.st.hub.metrics.inc("scorecast_marks_accepted_total", kind=event.kind)
        if isinstance(event, EntryMade):  # 双人录入: did it agree with the other operator's?
            ack["entry"] = entry_status(self.st.hub.board.programs[event.program], event)
        await self.send(ack, turn)


async def submit_frame(
    hub: Hub, judge: str, device: str, frame: dict[str, Any]
) -> tuple[int, bool, Event]:
    """A checked frame of ``judge`` through the hub: the lifecycle's extra fields, the code typed
    made the competitor, checked, committed and applied; (seq, duplicate, event). Refusals name
    codes only (``anonymity.refusal``). The demo's simulated people take this path too."""
    frame = await prepare(hub, frame)
    inner = frame
    try:
        inner = anonymity.incoming(hub, judge, frame)  # a code typed: the competitor
        event = event_from_dict(to_event(inner, judge, device, now_ms()))
        if isinstance(event, EntryMade) and event.program in hub.board.programs:
            taken = f"{judge}:{event.id}" in hub.keys  # the key hub.submit takes for a resend
            reused(hub.board.programs[event.program], event, taken)  # not a resend: refused
        seq, duplicate = await hub.submit(judge, event)
        if duplicate:
            await check_resend(hub, frame, event, seq)  # another event under a used id
    except EventRefused as e:
        raise anonymity.refusal(hub, judge, inner, e) from None
    return seq, duplicate, event


def welcome(st: AppState, judge_id: str) -> dict[str, Any]:
    judge = st.hub.competition.judges[judge_id]
    assignments = []
    for a in judge.assignments:
        prog = st.hub.competition.programs[a.program]
        aspects = [x.id for x in prog.aspects.values() if a.covers(x)]
        entry: dict[str, Any] = {"program": a.program, "aspects": aspects}
        paper = [x for x in aspects if entered(prog, x)]
        if paper and judge.role is Role.JUDGE:  # 双人录入: typed by data entry, not on the pad
            entry["paper"] = paper
        if anonymity.judge_masked(st.hub, judge_id, a.program) is not None:
            entry["anonymous"] = True  # competitors come as codes: GET /judge/api/me
        assignments.append(entry)
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
