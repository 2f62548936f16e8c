"""The lifecycle through a real hub: the people of the procedure, and the steps as frames.

``with_people`` adds to a competition a supervisor ``sup``, a reviewer ``rev`` (every
program), the leaders ``lead-<CODE>`` of each delegation, and an arbitrator ``arb``;
``official`` takes a fully marked program through sign-off, review, 公示 and final.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

import httpx

from tests.hubkit import Client, HubProcess, judge

_ids = itertools.count(1)


def frame_id(type_: str) -> str:
    """A fresh message id, ``mark-n701``: the counter runs over the whole session, and a bare
    ``mark-701`` read as bib 701 in the anonymity tests' leak check whenever the counter passed
    700 during one of them (CI, full suite)."""
    return f"{type_}-n{next(_ids)}"


def with_people(comp: dict[str, Any], **lifecycle: dict[str, Any]) -> dict[str, Any]:
    every = [{"program": p["id"]} for p in comp["programs"]]
    comp["judges"] += [
        {"id": "sup", "role": "supervisor"},
        {"id": "rev", "role": "reviewer", "assignments": every},
        {"id": "arb", "role": "arbitrator"},
    ] + [
        {"id": f"lead-{d['code']}", "role": "leader", "delegation": d["code"]}
        for d in comp["delegations"]
    ]
    for p in comp["programs"]:
        if p["id"] in lifecycle:
            p["lifecycle"] = lifecycle[p["id"]]
    return comp


async def step(c: Client, type_: str, **fields: Any) -> dict[str, Any]:
    """Send one frame; the hub's ack or error for it."""
    fid = frame_id(type_)
    await c.send({"type": type_, "id": fid, **fields})
    return await c.recv_until(lambda f: f.get("id") == fid and f["type"] in ("ack", "error"))


async def ok(c: Client, type_: str, **fields: Any) -> dict[str, Any]:
    answer = await step(c, type_, **fields)
    assert answer["type"] == "ack", answer
    return answer


def desk(hub: HubProcess, who: str, program: str) -> dict[str, Any]:
    r = httpx.get(
        f"{hub.http}/judge/api/lifecycle/{program}",
        headers={"Authorization": f"Bearer {hub.tokens[who]}"},
    )
    assert r.status_code == 200, r.text
    return dict(r.json())


def public_board(hub: HubProcess, program: str) -> dict[str, Any]:
    return dict(httpx.get(f"{hub.http}/api/v1/programs/{program}/leaderboard").json())


async def wait_stage(hub: HubProcess, program: str, stage: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while public_board(hub, program)["lifecycle"]["stage"] != stage:
        assert time.monotonic() < deadline, public_board(hub, program)["lifecycle"]
        await asyncio.sleep(0.2)


async def sign_off_all(hub: HubProcess, program: str, judges: list[str]) -> None:
    for jid in judges:
        j = await judge(hub, jid)
        for cid in [r["competitor"]["id"] for r in public_board(hub, program)["rows"]]:
            answer = await step(j, "signoff", program=program, competitor=cid)
            assert answer["type"] == "ack" or answer["code"] == "already_signed_off", answer


async def review_everyone(hub: HubProcess, program: str) -> None:
    rev = await judge(hub, "rev")
    report = desk(hub, "rev", program)
    for cid in report["review"]["members"]:
        if cid not in report["review"]["reviewed"]:
            await ok(rev, "reviewed", program=program, competitor=cid)


async def official(hub: HubProcess, program: str, judges: list[str], final: bool = True) -> None:
    """A marked program through sign-off, review, 公示 and (``final``) the end of its window."""
    await sign_off_all(hub, program, judges)
    chief = await judge(hub, f"{program}-chief")
    await ok(chief, "stage", program=program, stage="review")
    await review_everyone(hub, program)
    await ok(chief, "stage", program=program, stage="publication")
    if final:
        await wait_stage(hub, program, "final")
