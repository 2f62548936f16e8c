"""(1) The floor: a minimal ``websockets`` server; each mark broadcasts one pre-encoded leaderboard.

    python3 -m bench.floor_server --port 8001

A client that sends ``{"type": "subscribe"}`` gets the current board, then every
update. A client that sends ``{"type": "mark", "id": ...}`` is a judge: the
version grows by one, the board is encoded once (only the version changes) and
``websockets.broadcast`` writes the same message to every viewer; the judge
gets ``{"type": "ack", "id": ..., "version": ...}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed

from .workload import encode, leaderboard


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    args = p.parse_args()
    viewers: set[ServerConnection] = set()
    # Pre-encoded: only the version differs between updates.
    head, tail = encode(leaderboard(0)).split('"version":0', 1)
    version = 0

    def board() -> str:
        return f'{head}"version":{version}{tail}'

    async def handler(ws: ServerConnection) -> None:
        nonlocal version
        try:
            async for raw in ws:
                msg = json.loads(raw)
                kind = msg.get("type")
                if kind == "subscribe":
                    viewers.add(ws)
                    await ws.send(board())
                elif kind == "mark":
                    version += 1
                    broadcast(viewers, board())
                    await ws.send(
                        json.dumps({"type": "ack", "id": msg.get("id"), "version": version})
                    )
        except ConnectionClosed:
            pass
        finally:
            viewers.discard(ws)

    async def run() -> None:
        # The library's defaults (ping every 20 s) except compression, off for every system in the bench.
        async with serve(
            handler, "127.0.0.1", args.port, compression=None, max_queue=16, backlog=4096
        ):
            await asyncio.Future()

    asyncio.run(run())


if __name__ == "__main__":
    main()
