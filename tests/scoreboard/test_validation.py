"""Refusals, workflow and visibility (scoring.md §3, §8; architecture invariant 8).

Every refusal carries a stable code and a message that names the fix, and
changes nothing: every channel's snapshot and version stay as they were.
"""

from __future__ import annotations

from typing import Any

import pytest

from scoreboard import (
    EntryMade,
    EventRefused,
    InvalidValue,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    Scoreboard,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
    event_from_dict,
    event_to_dict,
    load_competition,
)
from scoreboard.events import Event
from scoreboard.program import TRANSITIONS
from tests.scoreboard.comp_builders import competition, mark, panel, program, rows

MEDALS = {"type": "medals", "awards": ["gold", "silver", "bronze"]}


def make_board(visibility: str = "live") -> Scoreboard:
    """Program ``p``: criteria A (judgement panel of 3, A2 measurement) and B (score 0–10 step 0.5).

    J1–J3 mark everything; J4 is assigned to criterion B only; J5 is from SY (as is competitor 1);
    J6 is assigned to no program; C is the chief.
    """
    prog = program(
        criteria=[
            {
                "id": "A",
                "aspects": [
                    {"id": "A1", "type": "judgement", "max": "2.00", "panel": 3},
                    {"id": "A2", "type": "measurement", "max": "0.50"},
                ],
            },
            {
                "id": "B",
                "aspects": [{"id": "B1", "type": "score", "range": ["0", "10"], "step": "0.5"}],
            },
        ],
        awards=[MEDALS],
        visibility=visibility,
        n=3,
    )
    data = competition(prog, judges=3)
    data["judges"] += [
        {"id": "J4", "assignments": [{"program": "p", "criteria": ["B"]}]},
        {"id": "J5", "delegation": "SY", "assignments": [{"program": "p"}]},
        {"id": "J6"},
    ]
    return Scoreboard(load_competition(data))


def state_of(sb: Scoreboard) -> dict[str, Any]:
    return {ch: (sb.version(ch), sb.snapshot(ch)) for ch in sb.channels()}


def refused(sb: Scoreboard, event: Event, code: str, *fix: str) -> EventRefused:
    """Assert ``event`` is refused with ``code``, a message containing ``fix``, and no change."""
    before = state_of(sb)
    with pytest.raises(EventRefused) as info:
        sb.check(event)
    assert info.value.code == code, info.value.message
    with pytest.raises(EventRefused) as info:
        sb.apply(event)
    err = info.value
    assert err.code == code, err.message
    for words in fix:
        assert words in err.message, err.message
    assert state_of(sb) == before
    return err


def lock(cid: str = "p-1", criterion: str = "", author: str = "C") -> Locked:
    return Locked(f"l-{cid}-{criterion}", "p", cid, author, 0, criterion)


def unlock(
    cid: str = "p-1", reason: str = "re-mark after appeal", criterion: str = "", author: str = "C"
) -> Unlocked:
    return Unlocked(f"u-{cid}-{criterion}", "p", cid, author, 0, reason, criterion)


def visibility(value: str, author: str = "C") -> VisibilityChanged:
    return VisibilityChanged(f"v-{value}", "p", value, author, 0)


# -- each refusal code ---------------------------------------------------------------


def test_unknown_program() -> None:
    refused(
        make_board(),
        mark("nope", "p-1", "A1", "J1", "2"),
        "unknown_program",
        "'nope'",
        "/api/v1/programs",
    )


def test_unknown_competitor() -> None:
    refused(
        make_board(),
        mark("p", "p-99", "A1", "J1", "2"),
        "unknown_competitor",
        "'p-99'",
        "check the bib",
    )


def test_unknown_aspect() -> None:
    refused(make_board(), mark("p", "p-1", "Z9", "J1", "2"), "unknown_aspect", "'Z9'", "A1")


def test_unknown_judge() -> None:
    refused(
        make_board(),
        mark("p", "p-1", "A1", "JX", "2"),
        "unknown_judge",
        "'JX'",
        "your own credential",
    )


@pytest.mark.parametrize(
    ("aspect", "value", "fix"),
    [("A1", "4", "from 0 to 3"), ("A1", "-1", "from 0 to 3"), ("B1", "10.5", "from 0 to 10")],
)
def test_out_of_range(aspect: str, value: str, fix: str) -> None:
    refused(make_board(), mark("p", "p-1", aspect, "J1", value), "out_of_range", fix)


@pytest.mark.parametrize(
    ("aspect", "value", "fix"), [("A1", "2.5", "steps of 1"), ("B1", "7.25", "steps of 0.5")]
)
def test_off_step(aspect: str, value: str, fix: str) -> None:
    refused(make_board(), mark("p", "p-1", aspect, "J1", value), "off_step", fix)


@pytest.mark.parametrize(
    ("aspect", "value", "fix"),
    [
        ("B1", "abc", "enter a number"),
        ("B1", "", "enter a number"),
        ("B1", "NaN", "enter a number"),
        ("A2", "maybe", 'enter "pass" or "fail"'),
    ],
)
def test_invalid_value(aspect: str, value: str, fix: str) -> None:
    refused(make_board(), mark("p", "p-1", aspect, "J1", value), "invalid_value", fix)


def test_invalid_visibility_and_status_values() -> None:
    sb = make_board()
    refused(sb, visibility("secret"), "invalid_value", "live, frozen, hidden or published")
    refused(sb, StatusChanged("s", "p", "p-1", "RET", "C", 0), "invalid_value", "DNS, DNF or DSQ")


def test_not_assigned() -> None:
    sb = make_board()
    refused(
        sb, mark("p", "p-1", "A1", "J4", "2"), "not_assigned", "ask the chief expert to assign you"
    )
    refused(
        sb, mark("p", "p-1", "B1", "J6", "2"), "not_assigned", "ask the chief expert to assign you"
    )
    refused(sb, SignedOff("so", "p", "p-1", "J6", 0), "not_assigned", "J6")
    sb.apply(mark("p", "p-1", "B1", "J4", "7"))  # J4's own criterion: fine


def test_conflict_of_interest() -> None:
    sb = make_board()
    refused(
        sb, mark("p", "p-1", "B1", "J5", "7"), "conflict_of_interest", "another judge must mark"
    )
    sb.apply(mark("p", "p-2", "B1", "J5", "7"))  # competitor 2 is from DL


def test_conflict_of_interest_can_be_switched_off() -> None:
    data = competition(
        program(
            aspects=[{"id": "X", "type": "score", "range": ["0", "10"]}], conflict_of_interest=False
        )
    )
    data["judges"][0]["delegation"] = "SY"
    Scoreboard(load_competition(data)).apply(mark("p", "p-1", "X", "J1", "5"))


def test_locked() -> None:
    sb = make_board()
    sb.apply(lock())
    refused(
        sb, mark("p", "p-1", "A1", "J1", "2"), "locked", "ask the chief to unlock it with a reason"
    )
    sb.apply(mark("p", "p-2", "A1", "J1", "2"))  # other competitors stay open


def test_lock_one_criterion() -> None:
    sb = make_board()
    sb.apply(lock(criterion="A"))
    refused(sb, mark("p", "p-1", "A1", "J1", "2"), "locked")
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    refused(sb, lock(criterion="Q"), "unknown_criterion", "'Q'")
    refused(sb, lock(criterion="A"), "already_locked")


def test_signed_off() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(SignedOff("so", "p", "p-1", "J1", 0))
    refused(sb, mark("p", "p-1", "B1", "J1", "8"), "signed_off", "ask the chief expert to unlock")
    refused(sb, MarkWithdrawn("w", "p", "p-1", "B1", "J1", 0), "signed_off")
    refused(sb, SignedOff("so2", "p", "p-1", "J1", 0), "already_signed_off")
    # the sign-off binds only that judge, only for that competitor
    sb.apply(mark("p", "p-1", "B1", "J2", "8"))
    sb.apply(mark("p", "p-2", "B1", "J1", "8"))
    assert rows(sb)["p-1"]["signed_off"] == ["J1"]


def test_no_mark_to_withdraw() -> None:
    sb = make_board()
    refused(sb, MarkWithdrawn("w", "p", "p-1", "B1", "J1", 0), "no_mark", "no mark of yours")
    sb.apply(mark("p", "p-1", "B1", "J2", "7"))
    refused(sb, MarkWithdrawn("w", "p", "p-1", "B1", "J1", 0), "no_mark")  # J2's mark is not J1's


def test_wrong_role() -> None:
    sb = make_board()
    for event in (
        lock(author="J1"),
        visibility("hidden", author="J1"),
        StatusChanged("s", "p", "p-1", "DNS", "J1", 0),
    ):
        refused(sb, event, "wrong_role", "ask the chief")
    refused(sb, lock(author="JX"), "unknown_judge")


def test_reason_required() -> None:
    sb = make_board()
    sb.apply(lock())
    refused(sb, unlock(reason=""), "reason_required", "say why")
    refused(sb, unlock(reason="   "), "reason_required")


def test_not_locked() -> None:
    sb = make_board()
    refused(sb, unlock(), "not_locked", "nothing to unlock")
    sb.apply(lock(criterion="A"))
    refused(sb, unlock(), "not_locked")  # the whole competitor was never locked, only A


def test_invalid_transition() -> None:
    sb = make_board()
    sb.apply(visibility("published"))
    for v in ("live", "frozen", "hidden", "published"):
        refused(sb, visibility(v), "invalid_transition", "published results are final")


def test_program_published() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(visibility("published"))
    refused(sb, mark("p", "p-1", "B1", "J1", "8"), "program_published", "results are final")
    refused(sb, MarkWithdrawn("w", "p", "p-1", "B1", "J1", 0), "program_published")


def test_unknown_channel() -> None:
    with pytest.raises(EventRefused) as info:
        make_board().snapshot("program:nope")
    assert info.value.code == "unknown_channel"


# -- invalid events from their dict form -------------------------------------------------

GOOD = event_to_dict(MarkSubmitted("m1", "p", "p-1", "B1", "J1", "7", 1))


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (None, "must be an object"),
        ([GOOD], "must be an object"),
        ({**GOOD, "kind": "vote"}, "unknown event kind 'vote'; use one of mark"),
        ({**GOOD, "kind": ["mark"]}, "unknown event kind"),
        ({k: v for k, v in GOOD.items() if k != "kind"}, "unknown event kind None"),
        ({**GOOD, "colour": "red"}, "unknown field(s) colour"),
        ({**GOOD, "ts": "1"}, "'ts' must be an integer"),
        ({**GOOD, "ts": 1.5}, "'ts' must be an integer"),
        ({**GOOD, "ts": True}, "'ts' must be an integer"),
        ({**GOOD, "judge": 7}, "'judge' must be a string"),
        ({**GOOD, "value": None}, "'value' must be a string"),
        ({**GOOD, "value": True}, "'value' must be a string"),
        ({**GOOD, "value": ["7"]}, "'value' must be a string"),
        ({k: v for k, v in GOOD.items() if k != "judge"}, "needs the field 'judge'"),
    ],
)
def test_invalid_event(data: Any, words: str) -> None:
    with pytest.raises(InvalidValue) as info:
        event_from_dict(data)
    assert info.value.code == "invalid_event"
    assert words in info.value.message


def test_event_round_trip_every_kind() -> None:
    events: list[Event] = [
        MarkSubmitted("m", "p", "p-1", "B1", "J1", "7", 1, "pad-1"),
        MarkWithdrawn("w", "p", "p-1", "B1", "J1", 2),
        SignedOff("s", "p", "p-1", "J1", 3),
        Locked("l", "p", "p-1", "C", 4, "A", "end of module"),
        Unlocked("u", "p", "p-1", "C", 5, "appeal", "A"),
        VisibilityChanged("v", "p", "frozen", "C", 6),
        StatusChanged("t", "p", "p-1", "DNF", "C", 7, "injury"),
    ]
    for e in events:
        assert event_from_dict(event_to_dict(e)) == e


def test_numeric_value_is_taken_as_typed() -> None:
    assert event_from_dict({**GOOD, "value": 7}).value == "7"  # type: ignore[union-attr]
    assert event_from_dict({**GOOD, "value": 8.5}).value == "8.5"  # type: ignore[union-attr]


# -- workflow ----------------------------------------------------------------------------


def test_lock_then_unlock_with_reason_reopens() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(lock())
    assert rows(sb)["p-1"]["locked"] == ["*"]
    refused(sb, mark("p", "p-1", "B1", "J1", "8"), "locked")
    refused(sb, unlock(reason=""), "reason_required")
    refused(sb, unlock(author="J1"), "wrong_role")
    sb.apply(unlock())
    assert rows(sb)["p-1"]["locked"] == []
    sb.apply(mark("p", "p-1", "B1", "J1", "8"))
    assert rows(sb)["p-1"]["criteria"]["B"] == "8.00"


def test_unlock_reopens_signed_off_marks() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(SignedOff("so", "p", "p-1", "J1", 0))
    sb.apply(lock())
    sb.apply(unlock())
    sb.apply(mark("p", "p-1", "B1", "J1", "8"))
    assert rows(sb)["p-1"]["total"] == "8.00"


def test_withdrawn_mark_makes_the_panel_pending_again() -> None:
    sb = make_board()
    panel(sb, "p", "p-1", "A1", ["2", "3", "2"])
    assert rows(sb)["p-1"]["aspects"]["A1"]["state"] == "complete"
    sb.apply(MarkWithdrawn("w", "p", "p-1", "A1", "J2", 0))
    row = rows(sb)["p-1"]
    assert row["aspects"]["A1"] == {
        "value": None,
        "state": "pending",
        "marks": {"J1": "2", "J3": "2"},
        "spread": "0",
        "disagreement": False,
    }
    assert row["total"] is None and row["rank"] is None


def test_status_change_and_back() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(StatusChanged("s1", "p", "p-1", "DSQ", "C", 0))
    assert (rows(sb)["p-1"]["status"], rows(sb)["p-1"]["total"]) == ("DSQ", None)
    sb.apply(StatusChanged("s2", "p", "p-1", "ok", "C", 0))
    assert (rows(sb)["p-1"]["status"], rows(sb)["p-1"]["total"], rows(sb)["p-1"]["rank"]) == (
        "ok",
        "7.00",
        1,
    )


# -- visibility --------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["live", "frozen", "hidden"])
@pytest.mark.parametrize("target", ["live", "frozen", "hidden", "published"])
def test_visibility_transitions(start: str, target: str) -> None:
    sb = make_board(visibility=start)
    event = visibility(target)
    if target == start:
        refused(sb, event, "invalid_transition", "it can go to")
        return
    sb.apply(event)
    assert sb.snapshot("program:p")["visibility"] == target
    assert sb.snapshot("program:p:jury")["visibility"] == target
    assert {r["id"]: r["visibility"] for r in sb.snapshot("overview")["rows"]} == {"p": target}


def test_published_is_final() -> None:
    assert TRANSITIONS[next(v for v in TRANSITIONS if v.value == "published")] == set()


def test_frozen_public_board_stops_and_shows_pending_jury_stays_live() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(mark("p", "p-2", "B1", "J1", "6"))
    sb.apply(visibility("frozen"))
    public_before = sb.snapshot("program:p")
    assert public_before["visibility"] == "frozen"
    sb.apply(mark("p", "p-2", "B1", "J1", "9"))  # p-2 overtakes p-1 after the freeze
    public = sb.snapshot("program:p")
    pub = {r["competitor"]["id"]: r for r in public["rows"]}
    assert [r["competitor"]["id"] for r in public["rows"]] == [
        "p-1",
        "p-2",
        "p-3",
    ]  # the frozen order
    assert (pub["p-1"]["rank"], pub["p-2"]["rank"]) == (1, 2)  # the frozen ranks
    assert pub["p-2"]["total"] == "6.00" and pub["p-2"]["pending"] is True
    assert pub["p-1"]["total"] == "7.00" and pub["p-1"]["pending"] is True  # p-1's rank changed too
    assert "pending" not in pub["p-3"]
    jury = rows(sb)
    assert (jury["p-2"]["total"], jury["p-2"]["rank"], jury["p-1"]["rank"]) == ("9.00", 1, 2)
    # a mark for a competitor with no result yet also shows as pending
    sb.apply(mark("p", "p-3", "B1", "J1", "1"))
    assert rows(sb, audience="public")["p-3"]["pending"] is True
    assert rows(sb, audience="public")["p-3"]["total"] is None
    # unfreezing shows everything
    sb.apply(visibility("live"))
    pub = rows(sb, audience="public")
    assert (pub["p-2"]["total"], pub["p-2"]["rank"]) == ("9.00", 1)
    assert not any("pending" in r for r in pub.values())


def test_frozen_from_the_start_of_the_competition() -> None:
    sb = make_board(visibility="frozen")
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    pub = rows(sb, audience="public")
    assert pub["p-1"]["total"] is None and pub["p-1"]["pending"] is True
    assert rows(sb)["p-1"]["total"] == "7.00"


def test_frozen_ticker_stops() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    version = sb.version("ticker")
    sb.apply(visibility("frozen"))
    sb.apply(mark("p", "p-2", "B1", "J1", "8"))
    assert sb.version("ticker") == version


def test_a_paper_mark_reaches_the_ticker_when_the_two_entries_agree() -> None:
    """双人录入: the second, agreeing entry puts the judge's mark in, and the ticker tells it as
    it tells a mark from a pad; the first entry, or a mismatch, changes no total and tells
    nothing."""
    data = competition(program("p", [{"id": "a", "type": "score", "max": "10",
                                      "range": ["0", "10"], "step": "0.5"}],
                               n=2, double_entry=True, visibility="live"))  # fmt: skip
    data["judges"] += [{"id": "O1", "role": "operator"}, {"id": "O2", "role": "operator"}]
    sb = Scoreboard(load_competition(data))

    def entry(eid: str, op: str, value: str, cid: str) -> EntryMade:
        return EntryMade(eid, "p", cid, "a", "J1", value, "S-1", op, 7)

    sb.apply(entry("e1", "O1", "8.5", "p-1"))
    sb.apply(entry("e2", "O2", "9", "p-2"))
    assert sb.snapshot("ticker")["rows"] == []
    sb.apply(entry("e3", "O2", "8.5", "p-1"))
    items = sb.snapshot("ticker")["rows"]
    assert [(i["competitor"]["id"], i["total"], i["ts"]) for i in items] == [("p-1", "8.50", 7)]


def test_hidden_public_sees_only_that_the_program_runs() -> None:
    sb = make_board(visibility="hidden")
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    public = sb.snapshot("program:p")
    assert public["visibility"] == "hidden"
    for r in public["rows"]:
        assert r["rank"] is None and r["total"] is None
        assert set(r) == {"rank", "competitor", "total"}
    assert rows(sb)["p-1"]["total"] == "7.00"
    assert sb.snapshot("ticker")["rows"] == []


def test_live_to_hidden_removes_results_from_public_rows() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    sb.apply(visibility("hidden"))
    for r in sb.snapshot("program:p")["rows"]:
        assert (r["rank"], r["total"], r.get("criteria"), r.get("award")) == (
            None,
            None,
            None,
            None,
        )


def test_published_shows_awards_to_the_public_live_does_not() -> None:
    sb = make_board()
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    assert "award" not in rows(sb, audience="public")["p-1"]
    assert rows(sb)["p-1"]["award"] == "gold"  # the jury sees it all along
    assert all(not any(m["medals"].values()) for m in sb.snapshot("overview")["medals"])
    sb.apply(visibility("published"))
    assert rows(sb, audience="public")["p-1"]["award"] == "gold"
    medals = {m["delegation"]: m["medals"]["gold"] for m in sb.snapshot("overview")["medals"]}
    assert medals["SY"] == 1


def test_hidden_to_published_reveals() -> None:
    sb = make_board(visibility="hidden")
    sb.apply(mark("p", "p-1", "B1", "J1", "7"))
    updates = sb.apply(visibility("published"))
    public = [u.delta for u in updates if u.channel == "program:p"]
    assert public and any(
        r.get("total") == "7.00" and r.get("award") == "gold" for r in public[0]["rows"]
    )


def test_hiding_a_program_takes_its_results_off_the_ticker() -> None:
    from scoreboard import Scoreboard, VisibilityChanged, apply_delta, load_competition
    from tests.hubkit import small_competition

    board = Scoreboard(load_competition(small_competition()))
    before = board.snapshot("ticker")
    ups = board.apply(MarkSubmitted("m1", "weld", "weld-1", "B1", "weld-j1", "7.5", 1))
    assert any(u.channel == "ticker" for u in ups)
    assert board.snapshot("ticker")["rows"][0]["total"] == "7.50"
    held = board.snapshot("ticker")
    ups = board.apply(VisibilityChanged("v1", "weld", "hidden", "weld-chief", 2))
    ticker = [u.delta for u in ups if u.channel == "ticker"]
    assert ticker and ticker[0]["removed"] == [held["rows"][0]["id"]]
    assert board.snapshot("ticker")["rows"] == [] and "7.50" not in str(board.snapshot("ticker"))
    assert apply_delta(held, ticker[0]) == board.snapshot("ticker")
    assert before["rows"] == []
