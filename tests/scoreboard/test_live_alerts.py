"""Disagreement alerts are live (issue 11): a jury row's aspect shows a spread beyond the
tolerance as soon as two entries exist; the panel is held, or falls back to the mean, only
when it is complete (scoring.md §9.5)."""

from __future__ import annotations

from typing import Any

from scoreboard import MarkWithdrawn
from tests.scoreboard.comp_builders import board, mark, panel, program, rows


def judged(action: str = "hold", tolerance: str = "1") -> Any:
    agreement = {"tolerance": tolerance, "action": action}
    return board(
        program(
            aspects=[
                {"id": "X", "type": "judgement", "max": "3.00", "panel": 3, "agreement": agreement}
            ]
        )
    )


def entry(sb: Any) -> dict[str, Any]:
    cell: dict[str, Any] = rows(sb)["p-1"]["aspects"]["X"]
    return cell


def test_two_entries_beyond_the_tolerance_alert_at_once() -> None:
    sb = judged()
    sb.apply(mark("p", "p-1", "X", "J1", "1"))
    assert entry(sb)["spread"] is None and entry(sb)["disagreement"] is False
    sb.apply(mark("p", "p-1", "X", "J2", "3"))  # the 1 and 3, tolerance 1
    assert entry(sb) == {
        "value": None,
        "state": "pending",  # the panel is not complete: nothing is held yet
        "marks": {"J1": "1", "J2": "3"},
        "spread": "2",
        "disagreement": True,
    }
    sb.apply(mark("p", "p-1", "X", "J3", "2"))
    assert entry(sb)["state"] == "disagreement" and entry(sb)["disagreement"] is True
    sb.apply(mark("p", "p-1", "X", "J1", "2"))  # J1 re-marks: {2, 3, 2} agrees
    assert entry(sb)["state"] == "complete"
    assert (entry(sb)["spread"], entry(sb)["disagreement"]) == ("1", False)


def test_a_spread_equal_to_the_tolerance_is_no_alert() -> None:
    sb = judged()
    panel(sb, "p", "p-1", "X", ["2", "3"])
    assert (entry(sb)["spread"], entry(sb)["disagreement"]) == ("1", False)


def test_a_withdrawn_entry_ends_the_alert() -> None:
    sb = judged()
    panel(sb, "p", "p-1", "X", ["0", "3"])
    assert entry(sb)["disagreement"] is True
    sb.apply(MarkWithdrawn("w", "p", "p-1", "X", "J2", 0))
    assert (entry(sb)["spread"], entry(sb)["disagreement"]) == (None, False)


def test_falling_back_to_the_mean_alerts_until_the_panel_is_complete() -> None:
    sb = judged("mean")
    panel(sb, "p", "p-1", "X", ["1", "3"])
    assert entry(sb)["disagreement"] is True and entry(sb)["state"] == "pending"
    sb.apply(mark("p", "p-1", "X", "J3", "2"))  # complete: the mean of all is used
    assert entry(sb)["state"] == "complete" and entry(sb)["disagreement"] is False
    assert entry(sb)["spread"] == "2"


def test_no_agreement_rule_no_alert() -> None:
    sb = board(
        program(
            aspects=[{"id": "X", "type": "score", "range": ["0", "10"], "step": "0.5", "panel": 2}]
        )
    )
    panel(sb, "p", "p-1", "X", ["0", "9.5"])
    assert (entry(sb)["spread"], entry(sb)["disagreement"]) == ("9.5", False)


def test_the_public_rows_show_no_marks_and_no_alert() -> None:
    sb = judged()
    panel(sb, "p", "p-1", "X", ["1", "3"])
    assert "aspects" not in rows(sb, audience="public")["p-1"]
