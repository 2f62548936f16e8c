"""Team events (scoring.md §6) and the overall best result across programs (§7)."""

from __future__ import annotations

from scoreboard import MarkSubmitted, Scoreboard, load_competition


def team_program() -> dict[str, object]:
    member = [
        {"id": f"M{m}A", "type": "score", "max": "10", "range": ["0", "10"], "step": "0.5"}
        for m in (1, 2)
    ]
    return {
        "id": "t",
        "delegations": [{"code": "SY"}, {"code": "DL"}, {"code": "AS"}],
        "programs": [
            {
                "id": "relay",
                "team": True,
                "places": 2,
                "criteria": [
                    {"id": f"M{m}", "name": f"member {m}", "max": "10", "aspects": [member[m - 1]]}
                    for m in (1, 2)
                ],
                "ranking": {"keys": ["total desc", "criterion:M1 desc"]},
                "competitors": [
                    {"bib": "1", "name": "沈阳队", "delegation": "SY", "members": ["王磊", "李娜"]},
                    {"bib": "2", "name": "大连队", "delegation": "DL", "members": ["张伟", "刘洋"]},
                    {"bib": "3", "name": "鞍山队", "delegation": "AS", "members": ["陈静", "杨帆"]},
                ],
            }
        ],
        "judges": [{"id": "j", "assignments": [{"program": "relay"}]}],
    }


def test_team_total_is_the_sum_of_its_members_and_ties_break_on_the_chain() -> None:
    board = Scoreboard(load_competition(team_program()))
    marks = {"relay-1": ("7", "8"), "relay-2": ("9", "6"), "relay-3": ("6.5", "6")}
    n = 0
    for team, (m1, m2) in marks.items():
        for aspect, value in (("M1A", m1), ("M2A", m2)):
            n += 1
            board.apply(MarkSubmitted(f"m{n}", "relay", team, aspect, "j", value, n))
    rows = board.snapshot("program:relay")["rows"]
    assert [(r["competitor"]["id"], r["total"], r["rank"]) for r in rows] == [
        ("relay-2", "15.00", 1),  # 9 + 6, ties 7 + 8 on the total and wins on member 1
        ("relay-1", "15.00", 2),
        ("relay-3", "12.50", 3),
    ]
    assert rows[0]["competitor"]["members"] == [
        {"zh": "张伟", "en": "张伟"},
        {"zh": "刘洋", "en": "刘洋"},
    ]
    assert rows[0]["criteria"] == {"M1": "9.00", "M2": "6.00"}


def test_overall_best_across_programs_keeps_every_tied_winner() -> None:
    from scoreboard import VisibilityChanged
    from tests.scoreboard.comp_builders import board, mark, program

    score = [{"id": "S", "type": "score", "range": ["0", "100"], "step": "1"}]
    std = {"centre": "500", "factor": "100", "spread": "sd", "places": 0}
    sb = board(
        program("a", score, n=2, standardisation=std),
        program("b", score, n=2, standardisation=std),
        program("c", score, n=2),
    )
    for pid in ("a", "b", "c"):
        sb.apply(mark(pid, f"{pid}-1", "S", "J1", "80"))
        sb.apply(mark(pid, f"{pid}-2", "S", "J1", "60"))
    jury = sb.snapshot("overview:jury")["overall_best"]
    # a and b each put their winner at 600; c has no standardisation and does not count
    assert [(b["program"], b["competitor"]["id"], b["standardised"]) for b in jury] == [
        ("a", "a-1", "600"),
        ("b", "b-1", "600"),
    ]
    assert sb.snapshot("overview")["overall_best"] == []  # nothing published yet
    sb.apply(VisibilityChanged("v", "b", "published", "C", 1))
    assert [b["competitor"]["id"] for b in sb.snapshot("overview")["overall_best"]] == ["b-1"]
