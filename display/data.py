"""What the screens read: the hub's PUBLIC channels only, never the jury ones.

Every page and feed is built from ``program:<id>``, ``overview`` and
``ticker`` snapshots, where the scoring core has already applied each
program's visibility; the competition model adds only names and the marking
scheme's labels, which are public.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.requests import HTTPConnection

from scoreboard import Competition, Program, program_channel
from scoreboard.board import public_codes
from scoreboard.board.public_codes import start_row
from server.state import app_state

from .lifecycle import mark_rows

PUBLIC_CHANNEL_PREFIXES = ("program:", "overview", "ticker")


def medal_view(overview: dict[str, Any]) -> dict[str, Any]:
    """The medal table as the screens show it (``medalView`` in static/live.js is the same).

    As the Olympic and WorldSkills tables do, only delegations that won a medal are
    ranked; the others follow them, unranked (``rank`` None, ``no_medal``), so that
    every delegation is listed but none is "1st with no medals". With no medal won
    at all the table is empty and ``state`` says why: ``no_results`` (no program's
    results final yet) or ``no_medals`` (final programs, no medal among them);
    else ``ranked``. The core's rows and order are kept: it ranks by medals, so
    the medal winners come first. ``not_counted``: the programs in 公示, whose medals
    the table does not count yet.
    """
    rows = overview.get("medals") or []
    won = [r for r in rows if int(r.get("total") or 0) > 0]
    not_counted = int(overview.get("not_counted") or 0)
    if not won:
        final = any(p.get("lifecycle") == "final" for p in overview.get("rows") or [])
        return {
            "state": "no_medals" if final else "no_results",
            "rows": [],
            "not_counted": not_counted,
        }
    rest = [{**r, "rank": None, "no_medal": True} for r in rows if r not in won]
    return {"state": "ranked", "rows": won + rest, "not_counted": not_counted}


class NotFound(Exception):
    def __init__(self, what: str, ident: str) -> None:
        super().__init__(f"{what} {ident!r} does not exist")
        self.what = what
        self.ident = ident


class Site:
    """One request's read-only view of the hub."""

    def __init__(self, conn: HTTPConnection) -> None:
        self.hub = app_state(conn).hub

    @property
    def competition(self) -> Competition:
        return self.hub.competition

    def snapshot(self, channel: str) -> dict[str, Any]:
        if channel.endswith(":jury") or not channel.startswith(PUBLIC_CHANNEL_PREFIXES):
            raise ValueError(f"screens read public channels only, not {channel!r}")
        return self.hub.board.snapshot(channel)

    def program_model(self, pid: str) -> Program:
        prog = self.competition.programs.get(pid)
        if prog is None:
            raise NotFound("program", pid)
        return prog

    def board(self, pid: str) -> dict[str, Any]:
        self.program_model(pid)
        return mark_rows(self.snapshot(program_channel(pid)))

    def overview(self) -> dict[str, Any]:
        return self.snapshot("overview")

    def visibilities(self) -> dict[str, str]:
        return {r["id"]: r["visibility"] for r in self.overview()["rows"]}

    def stages(self) -> dict[str, str]:
        return {r["id"]: r.get("lifecycle", "marking") for r in self.overview()["rows"]}

    def ticker(self, program: str | None = None) -> dict[str, Any]:
        """The latest result per competitor, without programs that are hidden now (they may have been live before)."""
        snap = self.snapshot("ticker")
        vis = self.visibilities()
        stages = self.stages()
        rows, seen = [], set()
        for r in snap["rows"]:  # newest first: keep each competitor's latest result
            key = (r["program"], r["competitor"]["id"])
            if (
                vis.get(r["program"]) == "hidden"
                or (program is not None and r["program"] != program)
                or key in seen
            ):
                continue
            seen.add(key)
            # its program's stage; no 暂定 once it is under review, in 公示 or final
            stage = stages.get(r["program"], "marking")
            rows.append(
                {
                    **r,
                    "stage": stage,
                    "provisional": r.get("provisional", False) and stage == "marking",
                }
            )
        snap["rows"] = rows
        return snap

    def medals(self) -> dict[str, Any]:
        snap = self.overview()
        return {"version": snap["version"], **medal_view(snap)}

    def medal_names(self) -> list[str]:
        """The medal columns of the medal table (the longest medal list of any program)."""
        names: tuple[str, ...] = ()
        for prog in self.competition.programs.values():
            if len(prog.medal_names()) > len(names):
                names = prog.medal_names()
        return list(names)

    def award_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for prog in self.competition.programs.values():
            for rule in prog.awards:
                for a in rule.awards:
                    seen[a] = None
        return list(seen)

    def delegation_names(self) -> dict[str, dict[str, str]]:
        return {code: dict(d.name) for code, d in self.competition.delegations.items()}

    def find_competitor(self, cid: str) -> tuple[Program, dict[str, Any], dict[str, Any]]:
        """(program, the program's public snapshot, the competitor's public row)."""
        for prog in self.competition.programs.values():
            if cid in prog.competitors:
                snap = mark_rows(self.snapshot(program_channel(prog.id)))
                # an anonymous program shown by codes has no row under the id (nor is a row
                # under a code that is also an id, "03", its): the start list's
                coded = public_codes.coded(self.hub.board.programs[prog.id])
                rows = [] if coded else snap["rows"]
                row = next((r for r in rows if r["competitor"]["id"] == cid), None)
                return prog, snap, row or start_row(prog.competitors[cid].public())
        raise NotFound("competitor", cid)

    def delegation_entries(self, code: str) -> Iterator[tuple[Program, str, dict[str, Any]]]:
        """(program, visibility, public row) for each of the delegation's competitors."""
        if code not in self.competition.delegations:
            raise NotFound("delegation", code)
        for prog in self.competition.programs.values():
            if not any(c.delegation == code for c in prog.competitors.values()):
                continue
            snap = mark_rows(self.snapshot(program_channel(prog.id)))
            for row in snap["rows"]:
                if row["competitor"].get("delegation") == code:
                    yield prog, snap["visibility"], row
