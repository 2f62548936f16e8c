"""What an amendment would move of a program's results once it has left marking (issue 14:
``scoreboard/lifecycle/amended.py``): nothing while marking, a name never; a medal rule, a
maximum or a competitor in review, in 公示 and after final; a medal winner's delegation and the
medal table's medal_points, count_awards and delegations."""

from __future__ import annotations

import copy
from typing import Any

from scoreboard import Scoreboard, load_competition
from scoreboard.lifecycle.amended import moved, moved_on_record, refusal
from tests.scoreboard.comp_builders import competition, mark, program
from tests.scoreboard.test_incremental_overview import _advance

SCORE = [{"id": "S", "type": "score", "range": ["0", "10"], "step": "1"}]
MEDALS = {"type": "medals", "awards": ["gold", "silver", "bronze"]}


def doc() -> dict[str, Any]:
    data = competition(program("p", SCORE, n=4, awards=[MEDALS]), program("q", SCORE, n=2))
    data["judges"].append({"id": "SUP", "role": "supervisor"})
    return data


def marked() -> tuple[Scoreboard, list[Any]]:
    sb = Scoreboard(load_competition(doc()))
    events: list[Any] = [mark("p", f"p-{i}", "S", "J1", str(10 - i)) for i in range(1, 5)]
    for e in events:
        sb.apply(e)
    return sb, events


def edited(change: str) -> Any:
    data = doc()
    p = data["programs"][0]
    if change == "two medals":
        p["awards"] = [{"type": "medals", "awards": ["gold", "silver"]}]
    elif change == "name":
        p["competitors"][0]["name"] = "Corrected"
    elif change == "other program":
        data["programs"][1]["awards"] = [MEDALS]
    elif change == "max":
        p["criteria"][0]["aspects"][0]["range"] = ["0", "20"]
    elif change == "bib":
        p["competitors"][0].update(id="p-1", bib="101")  # the same competitor, a new bib
    elif change == "winner's delegation":  # p-1 won gold for SY
        p["competitors"][0]["delegation"] = "DL"
    elif change == "fourth's delegation":  # p-4 won nothing
        p["competitors"][3]["delegation"] = (
            "BJ" if p["competitors"][3]["delegation"] != "BJ" else "SH"
        )
    elif change == "medal_points":
        data["medal_points"] = [10, 1, 1]
    elif change == "count_awards":
        data["count_awards"] = ["一等奖", "二等奖", "三等奖"]
    elif change == "delegations":
        data["delegations"].append({"code": "XJ"})
    elif change == "delegation's name":
        data["delegations"][0]["name"] = "沈阳"
    return load_competition(copy.deepcopy(data))


def to(sb: Scoreboard, events: list[Any], stage: str, i: int) -> None:
    for e in _advance("p", stage)(i):
        sb.apply(e)
        events.append(e)


def test_while_marking_nothing_is_moved_and_a_name_never() -> None:
    sb, _ = marked()
    assert moved(sb.programs, edited("two medals")) == []
    to(sb, [], "review", 1)
    assert moved(sb.programs, edited("name")) == []
    assert moved(sb.programs, edited("other program")) == []  # q is still marking


def test_a_moved_award_in_review_and_in_publication_is_named_with_its_fix() -> None:
    sb, events = marked()
    to(sb, events, "review", 1)
    found = moved(sb.programs, edited("two medals"))
    assert [str(m) for m in found] == ["p (review): p-3: award bronze → –"]
    code, message = refusal(found)
    assert code == "program_in_review" and "scorecast lifecycle reopen p" in message
    to(sb, events, "publication", 2)
    found = moved(sb.programs, edited("two medals"))
    code, message = refusal(found)
    assert code == "results_published" and "--appeal" in message
    # the same from the record alone (a stopped hub's store)
    assert moved_on_record(load_competition(doc()), enumerate(events), edited("two medals")) == (
        found
    )
    to(sb, events, "final", 3)
    assert refusal(moved(sb.programs, edited("two medals")))[0] == "results_published"


def test_a_wider_range_keeps_every_result_and_a_removed_program_is_named() -> None:
    sb, events = marked()
    to(sb, events, "review", 1)
    assert moved(sb.programs, edited("max")) == []  # the same marks, the same totals
    data = doc()
    data["programs"] = data["programs"][1:]
    for j in data["judges"]:
        j["assignments"] = [a for a in j.get("assignments", []) if a["program"] != "p"]
    found = moved(sb.programs, load_competition(data))
    assert [str(m) for m in found] == ["p (review): *: the program removed"]


def final() -> tuple[Scoreboard, list[Any]]:
    sb, events = marked()
    to(sb, events, "review", 1)
    to(sb, events, "publication", 2)
    to(sb, events, "final", 3)
    return sb, events


def test_a_medal_winners_delegation_moves_the_medal_table_and_a_name_or_bib_does_not() -> None:
    sb, events = final()
    before = [(r["delegation"], r["medals"]["gold"]) for r in sb.medal_table() if r["total"]]
    assert ("SY", 1) in before  # p-1's gold counts for SY on the public table
    found = moved(sb.programs, edited("winner's delegation"))
    assert [str(m) for m in found] == ["p (final): p-1: delegation SY → DL"]
    code, message = refusal(found)
    assert code == "results_published" and "p-1: delegation SY → DL" in message
    assert (
        moved_on_record(load_competition(doc()), enumerate(events), edited("winner's delegation"))
        == found
    )
    for allowed in ("name", "bib", "fourth's delegation", "delegation's name"):
        assert moved(sb.programs, edited(allowed)) == [], allowed  # no medal changes hands


def test_the_medal_tables_inputs_move_every_program_past_marking_with_medals() -> None:
    sb, _ = marked()
    for change in ("medal_points", "count_awards", "delegations"):
        assert moved(sb.programs, edited(change)) == []  # marking: the amendment's point
    to(sb, [], "review", 1)
    found = moved(sb.programs, edited("medal_points"))
    assert [str(m) for m in found] == ["p (review): *: the medal table's medal_points – → 10, 1, 1"]
    assert refusal(found)[0] == "program_in_review"
    to(sb, [], "publication", 2)
    to(sb, [], "final", 3)
    found = moved(sb.programs, edited("delegations"))
    assert [str(m) for m in found] == ["p (final): *: the medal table's delegations + XJ"]
    code, message = refusal(found)
    assert code == "results_published" and "medal table" in message
    assert moved(sb.programs, edited("count_awards")) == []  # p counts its own medals


def test_count_awards_move_a_program_whose_prizes_they_count() -> None:
    data = doc()
    data["programs"][0]["awards"] = [
        {"type": "bands", "awards": ["一等奖", "二等奖", "三等奖"], "percents": ["25", "25", "50"]}
    ]
    sb = Scoreboard(load_competition(copy.deepcopy(data)))
    for e in [mark("p", f"p-{i}", "S", "J1", str(10 - i)) for i in range(1, 5)]:
        sb.apply(e)
    to(sb, [], "review", 1)
    data["count_awards"] = ["一等奖", "二等奖", "三等奖"]  # the prizes now count as medals
    found = moved(sb.programs, load_competition(copy.deepcopy(data)))
    assert [str(m) for m in found] == [
        "p (review): *: the medal table's count_awards – → 一等奖, 二等奖, 三等奖"
    ]  # q, still marking, is not named: its results may change anyway
    assert refusal(found)[0] == "program_in_review"
