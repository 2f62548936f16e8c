"""The one workload every system gets: a 40-competitor live program, its leaderboard, and the judges' marks."""

from __future__ import annotations

import json
from typing import Any

COMPETITORS = 40
JUDGES = 10  # J1..J10, judge Jk marks criterion Ck (two score aspects) of every competitor
ASPECTS_PER_JUDGE = 2
DELEGATIONS = ["SY", "DL", "AS", "FS", "BX", "JZ", "YK", "TL"]
NAMES = [
    "Li Wei",
    "Wang Fang",
    "Zhang Min",
    "Liu Yang",
    "Chen Jie",
    "Yang Lei",
    "Zhao Jun",
    "Huang Li",
]
VALUES = ["6.5", "3.0", "8.5", "4.0"]  # consecutive rounds differ: every mark moves a total
PROGRAM = "bench"
CHANNEL = f"program:{PROGRAM}"


def leaderboard(version: int) -> dict[str, Any]:
    """The floor's and the peer's leaderboard: 40 rows, about 2.3 KB of compact JSON."""
    rows = []
    for i in range(COMPETITORS):
        rows.append(
            {
                "r": i + 1,
                "b": str(101 + i),
                "name": NAMES[i % len(NAMES)],
                "d": DELEGATIONS[i % len(DELEGATIONS)],
                "t": f"{95 - i * 1.25:.2f}",
            }
        )
    return {"type": "leaderboard", "version": version, "program": PROGRAM, "rows": rows}


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def program_id(i: int) -> str:
    return PROGRAM if i == 0 else f"{PROGRAM}{i + 1}"


def competition(programs: int = 1) -> dict[str, Any]:
    """The Scorecast competition file of the bench: live programs of 40 competitors, 10 judges, a chief.

    The fan-out bench uses one program; the restart bench a competition of several alike.
    """
    criteria = []
    for j in range(1, JUDGES + 1):
        aspects = [
            {"id": f"C{j}-{a}", "type": "score", "range": ["0", "10"], "step": "0.5"}
            for a in range(1, ASPECTS_PER_JUDGE + 1)
        ]
        criteria.append({"id": f"C{j}", "aspects": aspects})
    competitors = [
        {
            "bib": str(101 + i),
            "name": {"zh": f"选手{i + 1}", "en": f"{NAMES[i % len(NAMES)]} {i + 1}"},
            "delegation": DELEGATIONS[i % len(DELEGATIONS)],
        }
        for i in range(COMPETITORS)
    ]
    pids = [program_id(i) for i in range(programs)]
    judges: list[dict[str, Any]] = [
        {
            "id": f"J{j}",
            "delegation": "JURY",
            "assignments": [{"program": p, "criteria": [f"C{j}"]} for p in pids],
        }
        for j in range(1, JUDGES + 1)
    ]
    judges.append(
        {
            "id": "chief",
            "role": "chief",
            "delegation": "JURY",
            "assignments": [{"program": p} for p in pids],
        }
    )
    return {
        "format": 1,
        "id": "bench",
        "name": {"zh": "基准", "en": "Bench Games"},
        "delegations": [{"code": c} for c in [*DELEGATIONS, "JURY"]],
        "programs": [
            {
                "id": p,
                "name": {"zh": f"基准项目{i + 1}", "en": f"Bench program {i + 1}"},
                "visibility": "live",
                "places": 2,
                "criteria": criteria,
                "competitors": competitors,
                "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
            }
            for i, p in enumerate(pids)
        ],
        "judges": judges,
    }


class Marks:
    """Judge ``j``'s n-th mark: a competitor, one of its aspects, a value unlike the one it replaces."""

    def __init__(self) -> None:
        self.count: dict[tuple[int, str], int] = {}

    def next(self, j: int, program: str = PROGRAM) -> dict[str, Any]:
        n = self.count.get((j, program), 0)
        self.count[j, program] = n + 1
        c = n % COMPETITORS
        a = (n // COMPETITORS) % ASPECTS_PER_JUDGE + 1
        rnd = n // (COMPETITORS * ASPECTS_PER_JUDGE)
        return {
            "type": "mark",
            "id": f"J{j}-{program}-{n}",
            "program": program,
            "competitor": f"{program}-{101 + c}",
            "aspect": f"C{j}-{a}",
            "value": VALUES[rnd % len(VALUES)],
        }
