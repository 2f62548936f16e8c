"""An anonymous program's desk before decryption lists competitors by code, never by bib.

The public lists the bibs in the board's order; a jury frame or the lifecycle report that
listed codes in that order would pair each code with a bib."""

from __future__ import annotations

from typing import Any

from scoreboard.lifecycle.report import report
from scoreboard.program.anonymous import codes, desk_layer
from server import masked_views
from server.jury_codes import Rewriter
from tests.scoreboard.comp_builders import board, mark, program
from tests.scoreboard.test_draw_event import drawn

ASPECTS = [
    {"id": "a", "type": "measurement", "max": "10"},
    {"id": "b", "type": "measurement", "max": "10"},
]


def drawn_board() -> Any:
    sb = board(program("p", ASPECTS, n=6, anonymous=True, visibility="hidden"))
    sb.apply(drawn(sb, "77"))
    book = codes(sb.programs["p"], desk_layer(sb.programs["p"].program))
    by_bib = [book[f"p-{i}"] for i in range(1, 7)]
    assert by_bib != sorted(by_bib)  # the draw does not keep bib order
    return sb


def test_the_jury_frame_lists_the_unranked_and_the_tied_by_code() -> None:
    sb = drawn_board()
    state = sb.programs["p"]
    shown = Rewriter(state).frame(sb.snapshot("program:p:jury"))
    listed = [r["competitor"]["id"] for r in shown["rows"]]
    assert listed == sorted(listed)
    tie = {"unresolved_ties": [[f"p-{i}" for i in range(1, 7)]], "order": state.order}
    out = Rewriter(state).frame(tie)
    assert out["unresolved_ties"] == [sorted(out["unresolved_ties"][0])]
    for i in (2, 5):
        sb.apply(mark("p", f"p-{i}", "a", "J1", "0"))  # (not a bib: see the leak check)
    shown = Rewriter(state).frame(sb.snapshot("program:p:jury"))
    ranked = [r["competitor"]["id"] for r in shown["rows"] if r["rank"] is not None]
    rest = [r["competitor"]["id"] for r in shown["rows"] if r["rank"] is None]
    assert ranked == sorted(ranked) and len(ranked) == 2 and rest == sorted(rest)


def test_the_lifecycle_report_lists_codes_in_their_order() -> None:
    sb = drawn_board()
    state = sb.programs["p"]
    out = masked_views.report(state, report(state))
    assert out is not None
    marks = [m["competitor"] for m in out["gate"]["marks"]]
    assert len(marks) == 12 and marks == sorted(marks)
    assert [m["aspect"] for m in out["gate"]["marks"][:2]] == ["a", "b"]


def test_the_report_names_no_judge_per_code_under_conflict_of_interest() -> None:
    """A judge is not missing on their own delegation's competitors: a per-code list of who
    has not marked would tell which codes are that judge's delegation."""
    from scoreboard import Scoreboard, load_competition
    from tests.scoreboard.comp_builders import DELEGATIONS, competition

    p = program("p", ASPECTS, n=6, anonymous=True, visibility="hidden", conflict_of_interest=True)
    data = competition(p)
    data["judges"][0]["delegation"] = DELEGATIONS[0]
    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    state = sb.programs["p"]
    plain = report(state)
    assert len({tuple(m["judges"]) for m in plain["gate"]["marks"]}) == 2  # J1 on half of them
    out = masked_views.report(state, plain)
    assert out is not None and len(out["gate"]["marks"]) == 12
    assert all(m["judges"] == [] and m["have"] == 0 for m in out["gate"]["marks"])


def test_plain_number_bibs_do_not_withhold_marks_and_totals() -> None:
    """Bibs 1..6: a mark of 1 or a total of 4.00 names nobody, and the desk keeps updating;
    what names a competitor (its id, bib, name, a delegation, an id in a list or a key) is
    still not sent."""
    import pytest

    from server.jury_codes import JuryCodes, Leak

    sb = drawn_board()
    state = sb.programs["p"]
    assert [c.bib for c in state.program.competitors.values()] == [str(i) for i in range(1, 7)]
    channel = "program:p:jury"
    jury = JuryCodes(lambda: sb.programs)
    deltas = [u.delta for i in range(1, 7) for u in sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
              if u.channel == channel]  # fmt: skip
    assert deltas and all(jury.rewrite(channel, d) is not None for d in deltas)
    shown = jury.rewrite(channel, sb.snapshot(channel))
    assert shown is not None and len(shown["rows"]) == 6
    assert {r["total"] for r in shown["rows"]} == {"10.00"}
    assert masked_views.report(state, report(state)) is not None
    check = Rewriter(state).check
    for leak in (
        {"rows": [{"competitor": {"id": "03", "bib": "3"}}]},
        {"rows": [{"competitor": {"id": "03", "name": {"en": "C3"}}}]},
        {"order": ["p-3"]},
        {"unresolved_ties": [["02", "5"]]},
        {"marks": {"4": {"a": {"J1": "1"}}}},
        {"rows": [{"competitor": {"id": "03", "delegation": state.program.competitors["p-1"].delegation}}]},
    ):  # fmt: skip
        with pytest.raises(Leak):
            check(leak)


def test_the_review_set_lists_its_tied_members_by_code() -> None:
    sb = drawn_board()
    state = sb.programs["p"]
    for i in range(1, 7):  # everyone shares the first place: the board lists them by bib
        sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
    data = report(state)
    ids = [f"p-{i}" for i in range(1, 7)]
    data["review"] = {"top": ids, "members": ids, "sample": [], "corrected": []}
    out = masked_views.report(state, data)
    assert out is not None
    assert out["review"]["top"] == out["review"]["members"] == sorted(out["review"]["top"])
