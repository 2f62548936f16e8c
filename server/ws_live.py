"""``WS /ws/live``: subscribe to channels with the version held; get what was missed, then deltas."""

from __future__ import annotations

import asyncio

from starlette.websockets import WebSocket, WebSocketDisconnect

from scoreboard.model import Role

from .codec import LIVE_FRAMES, MSGPACK, SUBPROTOCOLS, FrameError, check, decode
from .fanout import Encoded, Viewer
from .state import AppState


def may_read(st: AppState, judge: str | None, channel: str) -> bool:
    """Public channels are open; jury channels need the program's chief (any chief for overview:jury)."""
    if not channel.endswith(":jury"):
        return True
    if judge is None:
        return False
    j = st.hub.competition.judges.get(judge)
    if j is None or j.role is not Role.CHIEF:
        return False
    if channel == "overview:jury":
        return True
    program = channel.split(":")[1]
    return j.assigned(program)


async def live_endpoint(ws: WebSocket) -> None:
    st: AppState = ws.app.state.scorecast
    hub = st.hub
    offered = ws.scope.get("subprotocols") or []
    subprotocol = next((p for p in offered if p in SUBPROTOCOLS), None)
    await ws.accept(subprotocol=subprotocol)
    binary = subprotocol == MSGPACK

    async def send(payload: str | bytes) -> None:
        if isinstance(payload, bytes):
            await ws.send_bytes(payload)
        else:
            await ws.send_text(payload)

    async def close(code: int, reason: str) -> None:
        try:
            await ws.close(code=code, reason=reason)
        except Exception:  # noqa: BLE001 — the socket may already be gone
            pass

    viewer = Viewer(send, close, binary, st.settings.viewer_queue, hub.snapshot_frame, hub.metrics)
    viewer.task = asyncio.create_task(viewer.run())
    hub.metrics.inc("scorecast_connections", kind="viewer")
    judge: str | None = None
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            data = message.get("bytes") if message.get("bytes") is not None else message.get("text")
            try:
                if data is None or len(data) > 4096:
                    raise FrameError("frame_too_large", "live frames are small: subscribe, unsubscribe, auth, ping")
                frame = check(decode(data), LIVE_FRAMES)
                kind = frame["type"]
                if kind == "ping":
                    viewer.push_now(Encoded({"type": "pong", "id": frame.get("id")}))
                elif kind == "auth" or (kind == "subscribe" and "token" in frame):
                    judge = await st.authenticate(frame["token"])
                if kind == "subscribe":
                    channel = frame["channel"]
                    hub.board.view(channel)  # unknown channel → error
                    if not may_read(st, judge, channel):
                        raise FrameError("forbidden", f"{channel} is for the jury; subscribe with a chief credential")
                    if channel in viewer.channels:
                        hub.fanout.remove(channel, viewer)
                    # no await between reading the version and subscribing: nothing can slip between
                    for item in hub.resume_frames(channel, frame.get("version")):
                        viewer.push_now(item)
                    hub.fanout.add(channel, viewer)
                elif kind == "unsubscribe":
                    hub.fanout.remove(frame["channel"], viewer)
            except FrameError as e:
                viewer.push_now(Encoded({"type": "error", "id": e.ref, "code": e.code, "message": e.message}))
            except Exception as e:  # unknown channel from the board
                code = getattr(e, "code", None)
                if code is None:
                    raise
                viewer.push_now(Encoded({"type": "error", "code": code, "message": str(e)}))
    except WebSocketDisconnect:
        pass
    finally:
        hub.fanout.drop(viewer)
        viewer.closed = True
        viewer.task.cancel()
        hub.metrics.inc("scorecast_connections", -1, kind="viewer")

