"""Small builders for competition files and scoreboards used by the scoreboard tests.

A test writes only what its rule needs; everything else gets a plain default:
judges J1..J9 (no delegation) and a chief ``C`` assigned to every program,
competitors with bibs 1..n from alternating delegations.
"""

from __future__ import annotations

import itertools
from typing import Any

from scoreboard import MarkSubmitted, Scoreboard, load_competition
from scoreboard.events import Event

DELEGATIONS = ("SY", "DL", "BJ", "SH")
_ids = itertools.count(1)


def competitors(n: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        {"bib": str(i), "name": f"C{i}", "delegation": DELEGATIONS[(i - 1) % 2], **extra}
        for i in range(1, n + 1)
    ]


def program(
    pid: str = "p", aspects: list[dict[str, Any]] | None = None, n: int = 2, **kw: Any
) -> dict[str, Any]:
    """A program with one criterion ``A`` (no max) holding ``aspects``, and ``n`` competitors."""
    out: dict[str, Any] = {"id": pid, "places": 2, "rounding": "aspect"}
    if aspects is not None:
        out["criteria"] = [{"id": "A", "aspects": aspects}]
    out["competitors"] = competitors(n)
    out.update(kw)
    return out


def competition(*programs: dict[str, Any], judges: int = 9, **kw: Any) -> dict[str, Any]:
    def every() -> list[dict[str, Any]]:
        return [{"program": p["id"]} for p in programs]

    return {
        "id": "t",
        "delegations": [{"code": c} for c in DELEGATIONS],
        "programs": list(programs),
        "judges": [{"id": f"J{i}", "assignments": every()} for i in range(1, judges + 1)]
        + [{"id": "C", "role": "chief", "assignments": every()}],
        **kw,
    }


def board(*programs: dict[str, Any], **kw: Any) -> Scoreboard:
    return Scoreboard(load_competition(competition(*programs, **kw)))


def mark(pid: str, cid: str, aid: str, judge: str, value: str, ts: int = 0) -> MarkSubmitted:
    return MarkSubmitted(f"m{next(_ids)}", pid, cid, aid, judge, value, ts)


def panel(
    sb: Scoreboard, pid: str, cid: str, aid: str, values: list[str] | tuple[str, ...]
) -> None:
    """Judges J1, J2, ... each enter one of ``values`` for ``cid`` on ``aid``."""
    for i, v in enumerate(values, start=1):
        sb.apply(mark(pid, cid, aid, f"J{i}", v))


def apply_all(sb: Scoreboard, events: list[Event]) -> None:
    for e in events:
        sb.apply(e)


def rows(sb: Scoreboard, pid: str = "p", audience: str = "jury") -> dict[str, dict[str, Any]]:
    """The program's rows by competitor id (jury channel by default: everything shown)."""
    channel = f"program:{pid}" if audience == "public" else f"program:{pid}:jury"
    return {r["competitor"]["id"]: r for r in sb.snapshot(channel)["rows"]}


def order(sb: Scoreboard, pid: str = "p", audience: str = "jury") -> list[str]:
    channel = f"program:{pid}" if audience == "public" else f"program:{pid}:jury"
    return [r["competitor"]["id"] for r in sb.snapshot(channel)["rows"]]


def total(sb: Scoreboard, cid: str, pid: str = "p") -> str | None:
    value: str | None = rows(sb, pid)[cid]["total"]
    return value


def ranks(sb: Scoreboard, pid: str = "p") -> dict[str, int | None]:
    return {cid: r["rank"] for cid, r in rows(sb, pid).items()}


def awards(sb: Scoreboard, pid: str = "p") -> dict[str, str | None]:
    return {cid: r.get("award") for cid, r in rows(sb, pid).items()}
