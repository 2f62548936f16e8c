"""团体总分 (issue 16 item 5): national-format programs' 一/二/三等奖 counted in the medal table
(``count_awards``) with points (``medal_points``), beside WorldSkills medals; a delegation that
won nothing is listed without a rank (the medal table's shape is unchanged)."""

from __future__ import annotations

from typing import Any

from scoreboard import Scoreboard, VisibilityChanged, load_competition
from tests.scoreboard.comp_builders import competition, mark, program

BANDS = {"type": "bands", "awards": ["一等奖", "二等奖", "三等奖"], "percents": ["20", "30", "50"]}
MEDALS = {"type": "medals", "awards": ["gold", "silver", "bronze"]}


def board(**kw: Any) -> Scoreboard:
    """``nat`` (national format, 10 competitors: 2 first, 3 second, 5 third prizes) and ``ws``
    (medals, 3 competitors); delegations by bib as listed."""
    nat_dels = ["SY", "SY", "DL", "DL", "DL", "BJ", "BJ", "BJ", "BJ", "BJ"]
    nat = program(
        "nat",
        aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
        competitors=[
            {"bib": str(i + 1), "name": f"n{i}", "delegation": d} for i, d in enumerate(nat_dels)
        ],
        awards=[BANDS],
    )
    ws = program(
        "ws",
        aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
        competitors=[
            {"bib": str(i + 1), "name": f"w{i}", "delegation": d}
            for i, d in enumerate(["BJ", "SY", "DL"])
        ],
        awards=[MEDALS],
    )
    sb = Scoreboard(load_competition(competition(nat, ws, **kw)))
    for pid, n in (("nat", 10), ("ws", 3)):
        for i in range(n):
            sb.apply(mark(pid, f"{pid}-{i + 1}", "S", "J1", str(95 - 5 * i)))
        sb.apply(VisibilityChanged(f"v{pid}", pid, "published", "C", 0))
    return sb


def table(sb: Scoreboard) -> dict[str, tuple[Any, dict[str, int], int]]:
    return {m["delegation"]: (m["rank"], m["medals"], m["points"]) for m in sb.medal_table()}


def test_without_count_awards_prizes_are_not_medals_and_nothing_won_is_not_ranked() -> None:
    t = table(board())
    assert t["BJ"] == (1, {"gold": 1, "silver": 0, "bronze": 0}, 0)
    assert t["SY"][0] == 2 and t["DL"][0] == 3
    assert all(rank is None for d, (rank, medals, _) in t.items() if not any(medals.values()))
    assert [m["delegation"] for m in board().medal_table()][:3] == ["BJ", "SY", "DL"]


def test_count_awards_with_points_is_the_team_total() -> None:
    sb = board(count_awards=["一等奖", "二等奖", "三等奖"], medal_points=[5, 3, 2])
    t = table(sb)
    # nat: SY 2 first; DL 3 second; BJ 5 third. ws: BJ gold, SY silver, DL bronze
    assert t["BJ"] == (1, {"gold": 1, "silver": 0, "bronze": 5}, 5 + 5 * 2)
    assert t["SY"] == (2, {"gold": 2, "silver": 1, "bronze": 0}, 2 * 5 + 3)
    assert t["DL"] == (3, {"gold": 0, "silver": 3, "bronze": 1}, 3 * 3 + 2)
    ranked = [m for m in sb.medal_table() if m["rank"] is not None]
    assert [m["delegation"] for m in ranked] == ["BJ", "SY", "DL"]  # 15, 13, 11 points
    assert [m["rank"] for m in ranked] == [1, 2, 3]
    others = [m for m in sb.medal_table() if m["rank"] is None]
    assert others and all(m["total"] == 0 and m["points"] == 0 for m in others)


def test_a_program_with_medals_keeps_counting_its_medals_only() -> None:
    # the medals program's names are the columns; a prize name never counts in it
    sb = board(count_awards=["一等奖", "二等奖", "三等奖"])
    t = table(sb)
    assert sum(sum(m.values()) for _, m, _ in t.values()) == 10 + 3
