"""Who makes up a panel, and when the file's panel checks run: the three choices scoring.md §9
leaves open (docs/scoring-choices.md, "Panels"), each as a worked example."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from scoreboard import load_competition
from scoreboard.errors import CompetitionFileError
from tests.scoreboard.comp_builders import board, competition, mark, program, rows
from tests.scoreboard.test_loader import only, problems

JUDGEMENT = [{"id": "A1", "type": "judgement", "max": "3.00", "panel": 3}]


def two_judges_and_the_chief() -> dict[str, Any]:
    """Judges J1, J2 and the chief C assigned to p; A1 has a panel of 3."""
    return competition(program("p", JUDGEMENT, n=2), judges=2)


def test_a_chiefs_mark_counts_toward_the_panel() -> None:
    """J1 2, J2 3, the chief 1: the panel of 3 is complete, mean 2 → 3.00 × 2 / 3 = 2.00."""
    sb = board(program("p", JUDGEMENT, n=2), judges=2)
    sb.apply(mark("p", "p-1", "A1", "J1", "2"))
    sb.apply(mark("p", "p-1", "A1", "J2", "3"))
    assert rows(sb)["p-1"]["aspects"]["A1"]["state"] == "pending"
    assert rows(sb)["p-1"]["total"] is None
    sb.apply(mark("p", "p-1", "A1", "C", "1"))
    row = rows(sb)["p-1"]
    assert row["aspects"]["A1"] == {
        "value": "2.00",
        "state": "complete",
        "marks": {"J1": "2", "J2": "3", "C": "1"},
        "spread": "2",
        "disagreement": False,
    }
    assert row["total"] == "2.00"
    assert sb.programs["p"].results["p-1"].total == Fraction(2)


def test_the_file_check_counts_the_chief_as_the_core_does() -> None:
    """Two judges and the chief can fill a panel of 3, so the file loads; take the chief's
    assignment away and nobody can: the file is refused."""
    assert load_competition(two_judges_and_the_chief()).programs["p"].aspects["A1"].panel == 3
    data = two_judges_and_the_chief()
    data["judges"][2]["assignments"] = [{"program": "p", "aspects": []}]  # C marks nothing
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    assert info.value.problems == [
        "programs[p].criteria[A].aspects[A1].panel is 3, but only 2 judges are assigned to "
        "aspect A1 of p (J1, J2): it can never be marked; assign more judges or lower the panel"
    ]


def test_a_program_nobody_is_assigned_to_is_not_checked() -> None:
    """Importing the marking scheme before the judges: no judge at all, the file loads."""
    data = two_judges_and_the_chief()
    data["judges"] = []
    assert load_competition(data).programs["p"].id == "p"
    # one judge assigned is a staffed program: then the panel must be fillable
    data["judges"] = [{"id": "J1", "assignments": [{"program": "p"}]}]
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    assert info.value.problems == [
        "programs[p].criteria[A].aspects[A1].panel is 3, but only 1 judge is assigned to "
        "aspect A1 of p (J1): it can never be marked; assign more judges or lower the panel"
    ]


def test_panel_checks_wait_for_a_file_that_holds_together() -> None:
    """J1 and J2 mark criterion B only (A1's panel of 3 is short: J3 and the chief), and B1
    has a bad step. Only the step is reported; once it is fixed, the short panel is."""

    def short_panel(d: dict[str, Any]) -> None:
        for j in d["judges"][:2]:
            j["assignments"] = [{"program": "p", "criteria": ["B"]}]

    def and_a_bad_step(d: dict[str, Any]) -> None:
        short_panel(d)
        d["programs"][0]["criteria"][1]["aspects"][2].update(step="0.7", range=["0", "10"])

    found = problems(and_a_bad_step)
    assert found == [
        "programs[p].criteria[B].aspects[B3].step 0.7 never reaches the maximum 10 from 0: "
        "use a step that divides 10"
    ]
    assert only(short_panel) == (
        "programs[p].criteria[A].aspects[A1].panel is 3, but only 2 judges are assigned to "
        "aspect A1 of p (J3, C): it can never be marked; assign more judges or lower the panel"
    )
