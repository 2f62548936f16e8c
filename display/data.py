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
from server.state import app_state

PUBLIC_CHANNEL_PREFIXES = ("program:", "overview", "ticker")


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
        return self.snapshot(program_channel(pid))

    def overview(self) -> dict[str, Any]:
        return self.snapshot("overview")

    def visibilities(self) -> dict[str, str]:
        return {r["id"]: r["visibility"] for r in self.overview()["rows"]}

    def ticker(self, program: str | None = None) -> dict[str, Any]:
        """The latest result per competitor, without programs that are hidden now (they may have been live before)."""
        snap = self.snapshot("ticker")
        vis = self.visibilities()
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
            rows.append(r)
        snap["rows"] = rows
        return snap

    def medals(self) -> dict[str, Any]:
        snap = self.overview()
        return {"version": snap["version"], "rows": snap["medals"]}

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
                snap = self.snapshot(program_channel(prog.id))
                row = next(r for r in snap["rows"] if r["competitor"]["id"] == cid)
                return prog, snap, row
        raise NotFound("competitor", cid)

    def delegation_entries(self, code: str) -> Iterator[tuple[Program, str, dict[str, Any]]]:
        """(program, visibility, public row) for each of the delegation's competitors."""
        if code not in self.competition.delegations:
            raise NotFound("delegation", code)
        for prog in self.competition.programs.values():
            if not any(c.delegation == code for c in prog.competitors.values()):
                continue
            snap = self.snapshot(program_channel(prog.id))
            for row in snap["rows"]:
                if row["competitor"].get("delegation") == code:
                    yield prog, snap["visibility"], row
