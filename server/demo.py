"""``scorecast demo``: the sample competition, a hub, and simulated judges marking at a steady pace."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from scoreboard import Competition, EventRefused, load_competition
from scoreboard.lifecycle.gates import ranked
from scoreboard.model import Judge, Layer, Role
from scoreboard.program.entries import has_entries
from server.simulate_steps import Step, simulated_steps

from . import anonymity, competition_file, draw_cli
from .anonymity import layers
from .app import create_app
from .auth import digest, new_token
from .config import Settings
from .errors import FrameError
from .hub import Hub
from .hub_request import call_hub
from .ledger import LedgerUnavailable
from .logs import log
from .run import probe, uvicorn_config
from .state import state_of
from .ws_judge import submit_frame

# 公示 in the demo: time to file an appeal by hand, short enough to watch the result go final
DEMO_WINDOW = "2min"


def demo_competition(path: str | None, window: str) -> tuple[dict[str, Any], Competition]:
    """The competition the demo runs: the sample with every program's 公示 shortened to
    ``window`` (the file says 2 h); a file of the user's own as it is written."""
    data, competition = competition_file.load(path)
    if path:
        return data, competition
    data = copy.deepcopy(data)
    for prog in data["programs"]:
        prog["lifecycle"] = {**prog.get("lifecycle", {}), "appeal_window": window}
    return data, load_competition(data)


async def people(hub: Hub, base: str, tokens: dict[str, str], rate: float, seed: int) -> None:
    """Play the simulated people's steps (``server.simulate_steps``) at ``rate`` a second, each
    through the path the real one takes: a frame through ``/ws/judge``'s (code typed, check,
    ledger, ack, fan-out), the draw and decryption through their HTTP endpoints."""
    done = 0
    for step in simulated_steps(hub.competition, seed):
        while True:
            try:
                await perform(hub, base, tokens, step)
                done += 1
            except (EventRefused, FrameError) as e:  # e.g. done already: a kept ledger (--store)
                log("demo.step_refused", code=e.code, id=step.frame["id"], type=step.frame["type"])
            except LedgerUnavailable:  # Redis is down: resend the same frame, as a client does
                await asyncio.sleep(1.0)
                continue
            break
        await asyncio.sleep(1 / rate)
    log("demo.finished", steps=done)


async def perform(hub: Hub, base: str, tokens: dict[str, str], step: Step) -> None:
    frame, actor = step.frame, step.actor
    kind, pid = frame["type"], frame["program"]
    if kind == "draw":  # as `scorecast draw --seed-input` does
        args = argparse.Namespace(
            hub=base, token=tokens[actor], program=pid, seed_input=frame["seed_input"], reason=""
        )
        await asyncio.to_thread(_http, draw_cli.call, args)
    elif kind == "decrypt":  # the chief, with the supervisor's credential
        url = f"{base}/judge/api/decrypt/{pid}"
        body = {"supervisor_token": tokens[frame["supervisor"]]}
        await asyncio.to_thread(_http, _post, url, tokens[actor], body)
    elif kind == "review":  # the reviewer re-checks each competitor of the set (under its code)
        state = hub.board.programs[pid]
        for cid in state.lifecycle.members(ranked(state)):
            if cid not in state.lifecycle.reviewed:
                one = {"type": "reviewed", "id": f"{frame['id']}-{cid}", "program": pid,
                       "competitor": cid}  # fmt: skip
                await submit_frame(hub, actor, "simulator", typed(hub, actor, one))
    else:
        await submit_frame(hub, actor, "simulator", typed(hub, actor, frame))


def typed(hub: Hub, actor: str, frame: dict[str, str]) -> dict[str, str]:
    """What the person types: in an anonymous program before decryption, the code written on
    the work (the layer of the aspect, or the judge's), not the competitor."""
    state = anonymity.judge_masked(hub, actor, frame["program"])
    if state is None or frame["type"] not in anonymity.FRAMES:
        return frame
    book = anonymity.code_book(state, hub.competition.judges[actor], frame.get("aspect"))
    return {**frame, "competitor": book.get(frame["competitor"], frame["competitor"])}


def _post(url: str, token: str, body: dict[str, str]) -> Any:
    return call_hub(url, token, body, who="demo")


def _http(call: Callable[..., Any], *args: Any) -> None:
    """An HTTP step; a refusal (``SystemExit``, as the CLI reports it) is logged, not raised."""
    try:
        call(*args)
    except SystemExit as e:
        log("demo.step_refused", message=str(e))


async def run_demo(settings: Settings, rate: float, seed: int, window: str) -> None:
    data, competition = demo_competition(settings.competition or None, window)
    # the ledger records the competition it runs on, as `scorecast serve`'s does: the exports and
    # a restart then read the demo's 公示 windows, not the sample file's
    data, competition = await probe(settings.store, data, competition)
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
        f"  talent (employers) {base}/talent",
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
    lines += fair_play_lines(competition, base, tokens)
    if not settings.competition:
        lines.append(
            f"Each program is signed off, reviewed and published for objections (公示) when its "
            f"marking ends; 公示 lasts {window} here, then the result is final (最终成绩)."
        )
    lines.append("Press Ctrl+C to stop.\n")
    print("\n".join(lines), flush=True)
    local = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    own = f"http://{local}:{settings.port}"  # the draw and decryption: through the hub's HTTP
    simulation = asyncio.create_task(people(hub, own, tokens, rate, seed))
    try:
        await serving
    finally:
        simulation.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await simulation


def fair_play_lines(competition: Competition, base: str, tokens: dict[str, str]) -> list[str]:
    """Where to watch the draw, the codes and decryption, and the double entry: each person's
    URL (docs/organizers.md, "Fair play in the demo")."""
    lines = []
    judges = list(competition.judges.values())
    sup = _of(judges, Role.SUPERVISOR)
    for prog in competition.programs.values():
        staff = [j for j in judges if j.assigned(prog.id)]
        people: list[tuple[str, Judge | None]] = []
        if prog.anonymous:
            lines.append(f"  {prog.id}: anonymous (加密): drawn, marked under codes, decrypted")
            for layer in (Layer.WORKSTATION, Layer.CODE):
                marker = next((j for j in staff if j.role is Role.JUDGE and
                               layers(prog, j) == [layer]), None)  # fmt: skip
                people.append((f"judge ({layer.value})", marker))
            people += [("reviewer", _of(staff, Role.REVIEWER)), ("supervisor", sup)]
        if has_entries(prog):
            lines.append(f"  {prog.id}: paper sheets typed by two operators (双人录入)")
            people += [("data entry", j) for j in staff if j.role is Role.OPERATOR]
        if prog.anonymous or has_entries(prog):
            people.append(("chief desk", _of(staff, Role.CHIEF)))
        for label, who in people:
            if who is not None:
                lines.append(f"    {label:<20}{base}/judge#token={tokens[who.id]}")
    return lines


def _of(judges: list[Judge], role: Role) -> Judge | None:
    return next((j for j in judges if j.role is role), None)


def demo(settings: Settings, rate: float = 8.0, seed: int = 1, window: str | None = None) -> int:
    if settings.store == Settings().store:  # a fresh ledger each run unless one is given
        tmp = Path(tempfile.mkdtemp(prefix="scorecast-demo-"))
        settings = dataclasses.replace(settings, store=f"sqlite:///{tmp / 'demo.db'}")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run_demo(settings, rate, seed, window or DEMO_WINDOW))
    return 0
