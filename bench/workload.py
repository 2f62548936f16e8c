"""The one workload every system gets: a 40-competitor live program, its leaderboard, and the judges' marks."""

from __future__ import annotations

import json
from typing import Any

COMPETITORS = 40
JUDGES = 10  # J1..J10, judge Jk marks criterion Ck (two score aspects) of every competitor
ASPECTS_PER_JUDGE = 2
DELEGATIONS = ["SY", "DL", "AS", "FS", "BX", "JZ", "YK", "TL"]
NAMES = ["Li Wei", "Wang Fang", "Zhang Min", "Liu Yang", "Chen Jie", "Yang Lei", "Zhao Jun", "Huang Li"]
VALUES = ["6.5", "3.0", "8.5", "4.0"]  # consecutive rounds differ: every mark moves a total
PROGRAM = "bench"
CHANNEL = f"program:{PROGRAM}"


def leaderboard(version: int) -> dict[str, Any]:
    """The floor's and the peer's leaderboard: 40 rows, about 2.3 KB of compact JSON."""
    rows = []
    for i in range(COMPETITORS):
        rows.append({"r": i + 1, "b": str(101 + i), "name": NAMES[i % len(NAMES)],
                     "d": DELEGATIONS[i % len(DELEGATIONS)], "t": f"{95 - i * 1.25:.2f}"})  # fmt: skip
    return {"type": "leaderboard", "version": version, "program": PROGRAM, "rows": rows}


def encode(frame: dict[str, Any]) -> str:
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False)


def competition() -> dict[str, Any]:
    """The Scorecast competition file of the bench: one live program of 40 competitors, 10 judges, a chief."""
    criteria = []
    for j in range(1, JUDGES + 1):
        aspects = [{"id": f"C{j}-{a}", "type": "score", "range": ["0", "10"], "step": "0.5"}
                   for a in range(1, ASPECTS_PER_JUDGE + 1)]  # fmt: skip
        criteria.append({"id": f"C{j}", "aspects": aspects})
    competitors = [{"bib": str(101 + i), "name": {"zh": f"选手{i + 1}", "en": f"{NAMES[i % len(NAMES)]} {i + 1}"},
                    "delegation": DELEGATIONS[i % len(DELEGATIONS)]} for i in range(COMPETITORS)]  # fmt: skip
    judges: list[dict[str, Any]] = [{"id": f"J{j}", "delegation": "JURY",
                                     "assignments": [{"program": PROGRAM, "criteria": [f"C{j}"]}]}
                                    for j in range(1, JUDGES + 1)]  # fmt: skip
    judges.append({"id": "chief", "role": "chief", "delegation": "JURY", "assignments": [{"program": PROGRAM}]})
    return {
        "format": 1, "id": "bench", "name": {"zh": "基准", "en": "Bench Games"},
        "delegations": [{"code": c} for c in [*DELEGATIONS, "JURY"]],
        "programs": [{"id": PROGRAM, "name": {"zh": "基准项目", "en": "Bench program"}, "visibility": "live",
                      "places": 2, "criteria": criteria, "competitors": competitors,
                      "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}]}],
        "judges": judges,
    }  # fmt: skip


class Marks:
    """Judge ``j``'s n-th mark: a competitor, one of its aspects, a value unlike the one it replaces."""

    def __init__(self) -> None:
        self.count = [0] * (JUDGES + 1)

    def next(self, j: int) -> dict[str, Any]:
        n = self.count[j]
        self.count[j] += 1
        c = n % COMPETITORS
        a = (n // COMPETITORS) % ASPECTS_PER_JUDGE + 1
        rnd = n // (COMPETITORS * ASPECTS_PER_JUDGE)
        return {"type": "mark", "id": f"J{j}-{n}", "program": PROGRAM, "competitor": f"{PROGRAM}-{101 + c}",
                "aspect": f"C{j}-{a}", "value": VALUES[rnd % len(VALUES)]}  # fmt: skip
