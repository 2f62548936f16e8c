"""A program for the lifecycle tests, and the people of its procedure.

Program ``p``: one aspect A1 (score 0–10 by 0.5, a panel of two: J1 and J2), ``n`` competitors
alternating between SY and DL; C is the chief, S a supervisor, R a reviewer, LSY and LDL the
two delegations' leaders, X an arbitrator. 公示 lasts ``window``.
"""

from __future__ import annotations

import itertools
from typing import Any

from scoreboard import Scoreboard, load_competition
from scoreboard.events import Event, MarkSubmitted, SignedOff
from scoreboard.lifecycle.events import (
    AppealFiled,
    AppealRuled,
    Finalised,
    MarkCorrected,
    Reviewed,
    StageChanged,
)
from tests.scoreboard.comp_builders import competition, program

HOUR = 3_600_000
_ids = itertools.count(1)


def people() -> list[dict[str, Any]]:
    every = [{"program": "p"}]
    return [
        {"id": "S", "role": "supervisor"},
        {"id": "R", "role": "reviewer", "assignments": every},
        {"id": "LSY", "role": "leader", "delegation": "SY"},
        {"id": "LDL", "role": "leader", "delegation": "DL"},
        {"id": "X", "role": "arbitrator"},
    ]


def make(n: int = 12, visibility: str = "live", **lifecycle: Any) -> Scoreboard:
    prog = program(
        visibility=visibility,
        aspects=[{"id": "A1", "type": "score", "range": ["0", "10"], "step": "0.5", "panel": 2}],
        n=n,
        awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
    )
    if lifecycle:
        prog["lifecycle"] = lifecycle
    data = competition(prog, judges=2)
    data["judges"] += people()
    return Scoreboard(load_competition(data))


def nid(prefix: str = "e") -> str:
    return f"{prefix}{next(_ids)}"


def value(i: int) -> str:
    return str((i * 7) % 20 / 2)  # distinct enough, on the 0.5 step


def mark_all(sb: Scoreboard, n: int, skip: tuple[tuple[int, str], ...] = ()) -> None:
    for i in range(1, n + 1):
        for j in ("J1", "J2"):
            if (i, j) not in skip:
                sb.apply(MarkSubmitted(nid("m"), "p", f"p-{i}", "A1", j, value(i), 1))


def sign_all(sb: Scoreboard, n: int, skip: tuple[tuple[int, str], ...] = ()) -> None:
    for i in range(1, n + 1):
        for j in ("J1", "J2"):
            if (i, j) not in skip:
                sb.apply(SignedOff(nid("s"), "p", f"p-{i}", j, 2))


def to_review(sb: Scoreboard, seed: str = "seed-1", ts: int = 10) -> Event:
    e = StageChanged(nid("st"), "p", "review", "C", ts, seed=seed, head="ab" * 32)
    sb.apply(e)
    return e


def review_all(sb: Scoreboard, corrected: tuple[str, ...] = ()) -> None:
    """R reviews everyone the review must cover, correcting J1's mark on ``corrected``."""
    lc = sb.programs["p"].lifecycle
    while True:
        todo = [c for c in lc.members(ranked(sb)) if c not in lc.reviewed]
        if not todo:
            return
        cid = todo[0]
        if cid in corrected:
            sb.apply(MarkCorrected(nid("c"), "p", cid, "A1", "J1", "10", "keyed wrong", "R", 20))
        sb.apply(Reviewed(nid("r"), "p", cid, "R", 21))


def ranked(sb: Scoreboard) -> list[str]:
    from scoreboard.lifecycle.gates import ranked as ranked_of

    return ranked_of(sb.programs["p"])


def to_publication(sb: Scoreboard, ts: int = 1000) -> None:
    sb.apply(StageChanged(nid("st"), "p", "publication", "C", ts))


__all__ = [
    "HOUR",
    "AppealFiled",
    "AppealRuled",
    "Finalised",
    "MarkCorrected",
    "Reviewed",
    "StageChanged",
    "make",
    "mark_all",
    "nid",
    "review_all",
    "sign_all",
    "to_publication",
    "to_review",
]
