"""``/verify/{code}``: the result a certificate's code names, as the record holds it.

Public, and it shows only what the public board shows of an award winner of a published
program, with the ledger event that published it (seq, hash) and whether results changed
after it. A wrong code, or one whose program is not official (any more), is a 404 that says
nothing about why (no name, no program, the code not echoed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from starlette.requests import Request
from starlette.responses import Response

from scoreboard import Program, program_channel
from server.exports.codes import code, normal, secret
from server.exports.record_index import Official, RecordIndex
from server.exports.state import is_official, program_state

from .pages import html_page
from .render import Page


@dataclass
class Verifier:
    """One hub's codes (under its store's secret) and what its ledger says of publications."""

    key: str = ""
    codes: dict[str, tuple[str, str]] | None = None  # code → (program, competitor)
    index: RecordIndex | None = None


VERIFIERS: WeakKeyDictionary[Any, Verifier] = WeakKeyDictionary()


@dataclass
class Found:
    program: Program
    row: dict[str, Any]
    official: Official | None


async def lookup(hub: Any, text: str) -> Found | None:
    wanted = normal(text)
    if wanted is None:
        return None
    key = await secret(hub.ledger)
    if key is None:  # no certificate was made from this store yet
        return None
    v = VERIFIERS.setdefault(hub, Verifier())
    if v.codes is None or v.key != key:
        comp = hub.competition
        v.key, v.codes = (
            key,
            {
                code(key, comp.id, pid, cid): (pid, cid)
                for pid, prog in comp.programs.items()
                for cid in prog.competitors
            },
        )
    at = v.codes.get(wanted)
    if at is None:
        return None
    pid, cid = at
    if not is_official(program_state(hub.board, pid)):
        return None
    row = hub.board.view(program_channel(pid)).rows.get(cid)
    if row is None or not row.get("award"):
        return None
    v.index = await (v.index or RecordIndex()).update(hub.ledger)
    return Found(hub.competition.programs[pid], row, v.index.official.get(pid))


@html_page
async def verify(request: Request) -> Response:
    page = Page(request)
    found = await lookup(page.site.hub, request.path_params["code"])
    if found is None:
        return page.render(
            "error.html", status=404, message=page.t("No result is recorded under this code.")
        )
    return page.render(
        "public/verify.html",
        program=found.program,
        row=found.row,
        official=found.official,
        verify_code=normal(request.path_params["code"]),
    )
