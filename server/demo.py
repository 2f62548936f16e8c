"""``scorecast demo``: the sample competition, a hub, and simulated judges marking at a steady pace."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import tempfile
from pathlib import Path

import uvicorn

from scoreboard import EventRefused, event_from_dict, event_to_dict
from server.simulate import simulated_marks

from . import competition_file
from .app import create_app
from .auth import digest, new_token
from .config import Settings
from .hub import Hub, now_ms
from .ledger import LedgerUnavailable
from .logs import log
from .run import uvicorn_config
from .state import state_of


async def judges(hub: Hub, rate: float, seed: int) -> None:
    """Submit the simulated marks through the hub's own path (check, ledger, ack, fan-out)."""
    marks = simulated_marks(hub.competition, seed)
    done = 0
    for mark in marks:
        event = event_from_dict({**event_to_dict(mark), "ts": now_ms()})
        while True:
            try:
                await hub.submit(mark.judge, event)
                done += 1
            except (
                EventRefused
            ) as e:  # e.g. marked already in an earlier demo run on the same ledger
                log("demo.mark_refused", code=e.code, id=mark.id)
            except (
                LedgerUnavailable
            ):  # Redis is down: resend the same mark, as a judge's client does
                await asyncio.sleep(1.0)
                continue
            break
        await asyncio.sleep(1 / rate)
    log("demo.finished", marks=done)


async def run_demo(settings: Settings, rate: float, seed: int) -> None:
    data, competition = competition_file.load(settings.competition or None)
    app = create_app(settings, data, competition)
    server = uvicorn.Server(uvicorn_config(settings, app))
    serving = asyncio.create_task(server.serve())
    while not server.started:
        if serving.done():
            await serving  # raises what stopped it (e.g. the port is taken)
            return
        await asyncio.sleep(0.05)
    hub: Hub = state_of(app).hub
    tokens = {}
    for jid in competition.judges:
        tokens[jid] = new_token(jid)
        await hub.ledger.put_credential(jid, digest(tokens[jid]))
    base = f"http://{settings.host}:{settings.port}"
    first = next(iter(competition.programs))
    chief = next((j for j in competition.judges.values() if j.role.value == "chief"), None)
    judge = next((j for j in competition.judges.values() if j.role.value == "judge"), None)
    organizer = next((j for j in competition.judges.values() if j.role.value == "organizer"), None)
    lines = [
        "",
        "Scorecast demo is running — simulated judges are marking now.",
        f"  public site        {base}/",
        f"  venue display      {base}/display/program/{first}",
        f"  medal table        {base}/display/medals",
        f"  overlay (OBS)      {base}/overlay/lower-third",
        f"  API                {base}/api/v1/programs",
        f"  live feed          ws://{settings.host}:{settings.port}/ws/live",
    ]
    if judge is not None:
        lines.append(f"  judge pad          {base}/judge#token={tokens[judge.id]}")
    if chief is not None:
        lines.append(f"  chief expert desk  {base}/judge#token={tokens[chief.id]}")
    if organizer is not None:
        lines.append(f"  organizer desk     {base}/organizer#token={tokens[organizer.id]}")
    lines.append("Press Ctrl+C to stop.\n")
    print("\n".join(lines), flush=True)
    simulation = asyncio.create_task(judges(hub, rate, seed))
    try:
        await serving
    finally:
        simulation.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await simulation


def demo(settings: Settings, rate: float = 8.0, seed: int = 1) -> int:
    if settings.store == Settings().store:  # a fresh ledger each run unless one is given
        tmp = Path(tempfile.mkdtemp(prefix="scorecast-demo-"))
        settings = dataclasses.replace(settings, store=f"sqlite:///{tmp / 'demo.db'}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_demo(settings, rate, seed))
    return 0
