"""The lifecycle (issue 14): marking → review (复核) → 公示 → final, worked through by hand.

Gates say what is missing; an override needs a reason and a supervisor; the review set is
drawn from the recorded seed; corrections above the threshold widen the review; appeals only
in the window, an open one blocks final; an upheld appeal's correction shows as 更正.
"""

from __future__ import annotations

from typing import Any

import pytest

from scoreboard import EventRefused, MarkSubmitted, Scoreboard, VisibilityChanged
from scoreboard.events import Event, SignedOff
from scoreboard.lifecycle import gate
from scoreboard.lifecycle.events import GateOverridden, OverrideConfirmed
from scoreboard.review import review_set
from tests.scoreboard.comp_builders import rows
from tests.scoreboard.lifecycle_kit import (
    HOUR,
    AppealFiled,
    AppealRuled,
    Finalised,
    MarkCorrected,
    Reviewed,
    StageChanged,
    make,
    mark_all,
    nid,
    ranked,
    review_all,
    sign_all,
    to_publication,
    to_review,
)


def state_of(sb: Scoreboard) -> dict[str, Any]:
    return {ch: (sb.version(ch), sb.snapshot(ch)) for ch in sb.channels()}


def refused(sb: Scoreboard, event: Event, code: str, *words: str) -> None:
    before = state_of(sb)
    with pytest.raises(EventRefused) as info:
        sb.apply(event)
    assert info.value.code == code, info.value.message
    for w in words:
        assert w in info.value.message, info.value.message
    assert state_of(sb) == before


def stage(sb: Scoreboard) -> str:
    return sb.programs["p"].lifecycle.stage.value


def header(sb: Scoreboard, audience: str = "public") -> dict[str, Any]:
    channel = "program:p" if audience == "public" else "program:p:jury"
    return sb.snapshot(channel)


def test_the_review_gate_names_what_is_missing() -> None:
    sb = make(n=4)
    mark_all(sb, 4, skip=((2, "J2"), (3, "J1")))
    refused(sb, StageChanged(nid(), "p", "review", "C", 5, seed="s"), "gate_not_met", "2 panel")
    g = gate(sb.programs["p"], "review").to_dict(sb.programs["p"].program)
    assert [(m["bib"], m["aspect"], m["have"], m["need"], m["judges"]) for m in g["marks"]] == [
        ("2", "A1", 1, 2, ["J2"]),
        ("3", "A1", 1, 2, ["J1"]),
    ]
    assert g["counts"] == {"marks": 2, "signoffs": 6, "reviews": 0}
    # the public progress counts completed marking: 2 of 4
    assert header(sb)["progress"] == {"complete": 2, "of": 4}
    mark_all(sb, 4)
    sign_all(sb, 4, skip=((4, "J1"),))
    g = gate(sb.programs["p"], "review").to_dict(sb.programs["p"].program)
    assert g["marks"] == [] and g["signoffs"] == [{"competitor": "p-4", "bib": "4", "judge": "J1"}]
    refused(sb, StageChanged(nid(), "p", "review", "C", 5, seed="s"), "gate_not_met", "sign-off")
    sb.apply(SignedOff(nid(), "p", "p-4", "J1", 3))
    assert gate(sb.programs["p"], "review").met
    refused(sb, StageChanged(nid(), "p", "review", "J1", 5, seed="s"), "wrong_role")
    refused(sb, StageChanged(nid(), "p", "review", "C", 5), "seed_required")
    refused(sb, StageChanged(nid(), "p", "publication", "C", 5), "invalid_transition")
    to_review(sb)
    assert stage(sb) == "review" and header(sb)["progress"] == {"complete": 4, "of": 4}
    # marks are closed to the judges in the review
    refused(sb, MarkSubmitted(nid(), "p", "p-1", "A1", "J1", "3", 6), "in_review")


def test_an_override_needs_a_reason_and_a_supervisor() -> None:
    sb = make(n=4)
    mark_all(sb, 4)  # nobody signed off
    refused(sb, GateOverridden(nid(), "p", "review", " ", "C", 3), "reason_required")
    refused(sb, GateOverridden(nid(), "p", "review", "ok", "S", 3), "wrong_role")
    refused(sb, GateOverridden(nid(), "p", "publication", "ok", "C", 3), "wrong_gate")
    refused(sb, OverrideConfirmed(nid(), "p", "review", "S", 3), "no_override")
    sb.apply(GateOverridden(nid(), "p", "review", "judge 2 is in hospital; sheets signed", "C", 3))
    refused(sb, StageChanged(nid(), "p", "review", "C", 4, seed="s"), "gate_not_met", "supervisor")
    refused(sb, OverrideConfirmed(nid(), "p", "review", "C", 4), "wrong_role")
    sb.apply(OverrideConfirmed(nid(), "p", "review", "S", 4))
    to_review(sb)
    history = sb.programs["p"].lifecycle.history
    assert [h["what"] for h in history] == ["override", "override_confirm", "stage"]
    assert history[0]["reason"] == "judge 2 is in hospital; sheets signed"
    assert history[2]["override"] == ["C", "judge 2 is in hospital; sheets signed", "S"]
    # an override is used once: the next gate needs its own
    assert sb.programs["p"].lifecycle.confirmed == {}


def ready(n: int = 12, **lifecycle: Any) -> Scoreboard:
    sb = make(n=n, **lifecycle)
    mark_all(sb, n)
    sign_all(sb, n)
    return sb


def test_the_review_set_is_drawn_from_the_recorded_seed() -> None:
    sb = ready(n=30)
    order = ranked(sb)
    e = to_review(sb, seed="7f3a")
    lc = sb.programs["p"].lifecycle
    assert lc.review == review_set(order, "7f3a", "ab" * 32)
    assert lc.review is not None and lc.review.top == tuple(order[:10])
    assert len(lc.review.sample) == 3  # 15 % of the 20 others, rounded up
    # the same events give the same set; another seed another sample (for these two)
    other = ready(n=30)
    other.apply(e)
    assert other.programs["p"].lifecycle.review == lc.review
    third = ready(n=30)
    to_review(third, seed="other")
    t = third.programs["p"].lifecycle.review
    assert t is not None and t.top == lc.review.top and t.sample != lc.review.sample


def test_review_corrections_and_the_error_threshold() -> None:
    sb = ready(n=30, review_top=3, review_share="10%", error_threshold="20%")
    to_review(sb)
    lc = sb.programs["p"].lifecycle
    members = list(lc.members(ranked(sb)))
    assert len(members) == 3 + 3
    outsider = next(c for c in ranked(sb) if c not in members)
    refused(sb, Reviewed(nid(), "p", outsider, "R", 20), "not_in_review_set")
    refused(sb, Reviewed(nid(), "p", members[0], "J1", 20), "wrong_role")
    refused(
        sb, MarkCorrected(nid(), "p", members[0], "A1", "J1", "10", "", "R", 20), "reason_required"
    )
    refused(
        sb, MarkCorrected(nid(), "p", members[0], "A1", "J1", "11", "x", "R", 20), "out_of_range"
    )
    refused(sb, StageChanged(nid(), "p", "publication", "C", 30), "gate_not_met", "6 competitor(s)")
    before = rows(sb)[members[1]]["total"]
    sb.apply(MarkCorrected(nid(), "p", members[1], "A1", "J1", "10", "J1 keyed 1 for 10", "R", 20))
    assert rows(sb)[members[1]]["total"] != before
    for cid in members[:2]:
        sb.apply(Reviewed(nid(), "p", cid, "R", 21))
    refused(sb, Reviewed(nid(), "p", members[0], "R", 22), "already_reviewed")
    # 1 corrected of 2 reviewed: 50 % > 20 %: the review extends to everyone
    assert lc.error_rate() == 0.5 and lc.full_review
    todo = gate(sb.programs["p"], "publication").reviews
    assert set(todo) == set(ranked(sb)) - set(members[:2]) and len(todo) == 28
    review_all(sb)
    assert gate(sb.programs["p"], "publication").met
    to_publication(sb)
    assert stage(sb) == "publication"


def test_below_the_threshold_the_review_stays_a_sample() -> None:
    sb = ready(n=30, review_top=10, review_share="15%", error_threshold="10%")
    to_review(sb)
    lc = sb.programs["p"].lifecycle
    first = lc.members(ranked(sb))[:10]
    for cid in first:  # 10 reviewed, none corrected
        sb.apply(Reviewed(nid(), "p", cid, "R", 21))
    second = lc.members(ranked(sb))[10]
    sb.apply(MarkCorrected(nid(), "p", second, "A1", "J2", "0", "transposed", "R", 22))
    sb.apply(Reviewed(nid(), "p", second, "R", 23))
    assert lc.error_rate() == pytest.approx(1 / 11) and not lc.full_review  # 9.1 % ≤ 10 %
    review_all(sb)
    assert len(lc.reviewed) == 13


def in_publication(n: int = 6, window: str = "2h", **kw: Any) -> Scoreboard:
    sb = ready(n=n, review_top=n, appeal_window=window, **kw)
    to_review(sb)
    review_all(sb)
    to_publication(sb, ts=1000)
    return sb


def test_publication_makes_the_results_public_with_an_end_time() -> None:
    sb = make(n=6, visibility="hidden", review_top=6)
    mark_all(sb, 6)
    sign_all(sb, 6)
    public = header(sb)
    assert public["visibility"] == "hidden" and public["progress"] == {}
    assert all(r["total"] is None for r in public["rows"])
    to_review(sb)
    assert all(r["total"] is None for r in header(sb)["rows"])  # review keeps the visibility
    review_all(sb)
    to_publication(sb, ts=1000)
    public = header(sb)
    assert public["visibility"] == "published"
    assert public["lifecycle"] == {"stage": "publication", "objections_until": 1000 + 2 * HOUR}
    assert all(r["total"] is not None and r["provisional"] is False for r in public["rows"])
    assert {r.get("award") for r in public["rows"]} >= {"gold", "silver", "bronze"}


def test_appeals_only_in_the_window_and_an_open_one_blocks_final() -> None:
    sb = in_publication()
    end = 1000 + 2 * HOUR
    # p-1 is of SY, p-2 of DL
    refused(sb, AppealFiled(nid(), "p", "p-1", "wrong", "LDL", 2000), "not_your_delegation")
    refused(sb, AppealFiled(nid(), "p", "p-1", "wrong", "J1", 2000), "wrong_role")
    refused(sb, AppealFiled(nid(), "p", "p-1", "", "LSY", 2000), "reason_required")
    refused(sb, AppealFiled(nid(), "p", "p-1", "late", "LSY", end), "appeal_window_closed")
    sb.apply(AppealFiled("ap1", "p", "p-1", "A1 was 9, not 3", "LSY", 2000, aspect="A1"))
    refused(sb, AppealFiled("ap1", "p", "p-1", "again", "LSY", 2001), "duplicate_appeal")
    assert header(sb, "jury")["appeals"] == [{"competitor": "p-1", "aspect": "A1"}]
    assert header(sb)["appeals"] == []  # the public sees it only if the program says so
    refused(sb, Finalised(nid(), "p", end - 1), "window_open")
    refused(sb, Finalised(nid(), "p", end), "appeal_open")
    refused(sb, AppealRuled(nid(), "p", "ap1", "dismissed", "no", "C", end), "wrong_role")
    refused(sb, AppealRuled(nid(), "p", "ap1", "maybe", "no", "X", end), "invalid_value")
    refused(sb, AppealRuled(nid(), "p", "nope", "upheld", "no", "X", end), "unknown_appeal")
    sb.apply(AppealRuled(nid(), "p", "ap1", "dismissed", "the sheet says 3", "X", end + 1))
    refused(sb, AppealRuled(nid(), "p", "ap1", "upheld", "x", "X", end + 2), "appeal_ruled")
    refused(sb, Finalised(nid(), "p", end + 2, author="C"), "wrong_role")
    sb.apply(Finalised(nid(), "p", end + 2))
    assert stage(sb) == "final" and header(sb)["lifecycle"]["stage"] == "final"
    refused(sb, AppealFiled(nid(), "p", "p-1", "after", "LSY", end + 3), "appeal_window_closed")


def test_an_upheld_appeal_changes_the_result_and_shows_a_correction() -> None:
    sb = in_publication(appeals_public=True)
    cid = "p-2"  # of DL
    sb.apply(AppealFiled("ap2", "p", cid, "J2 marked another piece", "LDL", 2000))
    assert header(sb)["appeals"] == [{"competitor": cid, "aspect": None}]
    refused(
        sb,
        MarkCorrected(nid(), "p", cid, "A1", "J2", "10", "ruling", "C", 3000, appeal="ap2"),
        "ruling_required",
    )
    sb.apply(AppealRuled(nid(), "p", "ap2", "upheld", "J2 marked bib 3's piece", "X", 3000))
    previous = rows(sb, audience="public")[cid]["total"]
    refused(sb, MarkCorrected(nid(), "p", cid, "A1", "J2", "10", "x", "C", 3001), "ruling_required")
    refused(
        sb,
        MarkCorrected(nid(), "p", cid, "A1", "J2", "10", "x", "R", 3001, appeal="ap2"),
        "wrong_role",
    )
    sb.apply(
        MarkCorrected(nid(), "p", cid, "A1", "J2", "10", "upheld: ap2", "C", 3001, appeal="ap2")
    )
    now = rows(sb, audience="public")[cid]["total"]
    assert now != previous
    assert header(sb)["corrections"] == [
        {"competitor": cid, "bib": "2", "previous": previous, "value": now, "ts": 3001}
    ]
    sb.apply(Finalised(nid(), "p", 1000 + 2 * HOUR))
    # after final, still only through the ruling: a new version of the official result
    refused(
        sb,
        MarkCorrected(nid(), "p", "p-1", "A1", "J2", "1", "x", "C", 9 * HOUR, appeal="ap2"),
        "ruling_required",
    )
    sb.apply(
        MarkCorrected(nid(), "p", cid, "A1", "J1", "10", "ap2 too", "C", 9 * HOUR, appeal="ap2")
    )
    assert [c["ts"] for c in header(sb)["corrections"]] == [3001, 9 * HOUR]
    assert header(sb)["corrections"][1]["previous"] == now


def test_reopening_marking_from_review_drops_the_review() -> None:
    sb = ready(n=6)
    to_review(sb)
    refused(sb, StageChanged(nid(), "p", "marking", "C", 30), "reason_required")
    sb.apply(StageChanged(nid(), "p", "marking", "C", 30, reason="bib 4's sheet was found"))
    lc = sb.programs["p"].lifecycle
    assert lc.stage.value == "marking" and lc.review is None
    assert [h["what"] for h in lc.history] == ["stage", "reopen"]


def test_an_old_ledger_that_published_replays_to_the_same_result() -> None:
    """The old publish (visibility ``published``) is final at once: same totals, ranks and
    awards as before; the rows just no longer say provisional."""
    sb = make(n=6)
    mark_all(sb, 6, skip=((3, "J2"),))  # published with a mark missing, as it could be
    before = rows(sb, audience="jury")
    sb.apply(VisibilityChanged(nid(), "p", "published", "C", 5))
    after = rows(sb, audience="public")
    assert stage(sb) == "final" and sb.programs["p"].lifecycle.legacy
    for cid, r in before.items():
        assert (after[cid]["total"], after[cid]["rank"], after[cid].get("award")) == (
            r["total"],
            r["rank"],
            r.get("award"),
        )
        assert after[cid]["provisional"] is False


def test_the_lifecycle_table_is_read_and_checked() -> None:
    from fractions import Fraction as F

    from scoreboard import CompetitionFileError

    sb = make(n=2, review_top=3, review_share="20%", error_threshold=10, appeal_window="90min")
    rules = sb.programs["p"].program.lifecycle
    assert (rules.review_top, rules.review_share, rules.error_threshold) == (3, F(1, 5), F(1, 10))
    assert rules.appeal_window_ms == 90 * 60_000 and not rules.appeals_public
    with pytest.raises(CompetitionFileError) as info:
        make(n=2, review_share="150%", appeal_window="2 days", colour="red")
    text = "\n".join(info.value.problems)
    assert "programs[p].lifecycle.colour is not a known field" in text
    assert "review_share must be between 0% and 100%" in text
    assert 'appeal_window must be a duration like "2h"' in text


def test_a_leader_needs_a_delegation() -> None:
    from scoreboard import CompetitionFileError, load_competition
    from tests.scoreboard.comp_builders import competition, program

    data = competition(program(n=2, aspects=[{"id": "A1", "type": "score", "range": ["0", "10"]}]))
    data["judges"].append({"id": "L", "role": "leader"})
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    assert "delegation is missing: a leader appeals for their own delegation" in str(info.value)


def test_a_delegation_has_one_leader() -> None:
    from scoreboard import CompetitionFileError, load_competition
    from tests.scoreboard.comp_builders import competition, program

    data = competition(program(n=2, aspects=[{"id": "A1", "type": "score", "range": ["0", "10"]}]))
    deleg = data["delegations"][0]["code"]
    data["judges"].append({"id": "L1", "role": "leader", "delegation": deleg})
    load_competition(data)
    data["judges"].append({"id": "L2", "role": "leader", "delegation": deleg})
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    assert f"delegation {deleg!r} has 2 leaders ('L1', 'L2'); keep one" in str(info.value)
