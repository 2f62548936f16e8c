"""Anonymous programs in the core (issue 15): the file's fields, codes, what waits, decryption."""

from __future__ import annotations

import pytest

from scoreboard import (
    CompetitionFileError,
    Decrypted,
    EventRefused,
    VisibilityChanged,
    load_competition,
)
from scoreboard.model import Layer
from scoreboard.program.anonymous import codes, masked, open_panels
from tests.scoreboard.comp_builders import board, competition, mark, order, program, ranks
from tests.scoreboard.test_draw_event import drawn

ASPECTS = [{"id": "a", "type": "measurement", "max": "10"}]


def anonymous(**kw: object) -> dict[str, object]:
    p = program("p", ASPECTS, n=4, anonymous=True, visibility="hidden", **kw)
    return p


def test_an_anonymous_program_starts_hidden_and_names_its_layers() -> None:
    comp = load_competition(competition(anonymous(anonymous_layer="code")))
    assert comp.programs["p"].anonymous and comp.programs["p"].layer("a") is Layer.CODE
    with pytest.raises(CompetitionFileError, match='set visibility = "hidden"'):
        load_competition(competition(program("p", ASPECTS, anonymous=True)))
    two = program("p", ASPECTS, n=2)
    two["criteria"][0]["anonymous_layer"] = "code"
    with pytest.raises(CompetitionFileError, match="set anonymous = true"):
        load_competition(competition(two))


def test_marks_wait_for_the_draw_and_the_program_stays_hidden_until_decryption() -> None:
    sb = board(anonymous())
    state = sb.programs["p"]
    assert masked(state) and codes(state, Layer.WORKSTATION) == {}
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "a", "J1", "1"))
    assert e.value.code == "not_drawn"
    d = drawn(sb, "77")
    sb.apply(d)
    assert codes(state, Layer.WORKSTATION) == {cid: f"0{i + 1}" for i, cid in enumerate(d.stations)}
    assert codes(state, Layer.CODE) == dict(zip(d.stations, d.codes, strict=True))
    with pytest.raises(EventRefused) as e:
        sb.apply(VisibilityChanged("v", "p", "live", "C", 0))
    assert e.value.code == "not_decrypted"


def test_decryption_needs_a_supervisor_and_the_review_finished() -> None:
    """Worked example: four competitors marked and signed off are not enough (still in
    marking); in review with two of the review set reviewed, decryption is refused naming
    what is missing; 公示 waits for decryption; once the last is reviewed it is allowed."""
    data = competition(anonymous(lifecycle={"review_top": 4}))
    data["judges"] += [{"id": "S", "role": "supervisor"}, {"id": "R", "role": "reviewer"}]
    from scoreboard import Scoreboard
    from scoreboard.events import SignedOff
    from scoreboard.lifecycle.events import Reviewed, StageChanged

    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    review = Decrypted("x", "p", "C", "S", 0, gate="review")
    for sup, code in (("", "supervisor_required"), ("J2", "supervisor_required")):
        with pytest.raises(EventRefused) as e:
            sb.apply(Decrypted("x", "p", "C", sup, 0, gate="review"))
        assert e.value.code == code
    with pytest.raises(EventRefused) as e:
        sb.apply(Decrypted("x", "p", "J1", "S", 0, gate="review"))
    assert e.value.code == "wrong_role"
    state = sb.programs["p"]
    for i in range(1, 5):
        sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
        sb.apply(SignedOff(f"s{i}", "p", f"p-{i}", "J1", 0))
    assert open_panels(state) == []  # the old gate would have let it through
    with pytest.raises(EventRefused) as e:
        sb.apply(review)
    assert e.value.code == "review_not_finished" and "still in marking" in e.value.message
    sb.apply(StageChanged("st", "p", "review", "C", 1, seed="s", head="ab" * 32))
    members = list(state.lifecycle.review.members)
    assert len(members) == 4
    for n, cid in enumerate(members[:2]):
        sb.apply(Reviewed(f"r{n}", "p", cid, "R", 2))
    with pytest.raises(EventRefused) as e:
        sb.apply(review)
    assert e.value.code == "review_not_finished"
    assert "2 competitor(s) not reviewed" in e.value.message
    assert not any(cid in e.value.message for cid in state.program.competitors)  # counts only
    for n, cid in enumerate(members[2:]):
        sb.apply(Reviewed(f"r{n + 2}", "p", cid, "R", 3))
    with pytest.raises(EventRefused) as e:  # 公示 shows names: decrypt first
        sb.apply(StageChanged("pub", "p", "publication", "C", 4))
    assert e.value.code == "not_decrypted"
    sb.apply(review)
    assert not masked(state)
    with pytest.raises(EventRefused) as e:
        sb.apply(Decrypted("y", "p", "C", "S", 0, gate="review"))
    assert e.value.code == "already_decrypted"
    sb.apply(StageChanged("pub", "p", "publication", "C", 4))


def test_a_decryption_recorded_before_the_review_gate_replays_under_its_own_rule() -> None:
    """A ledger from before the lifecycle gate: ``decrypt`` without ``gate`` was checked against
    every panel signed off, and a replay applies it alike (not refused as still in marking)."""
    data = competition(anonymous())
    data["judges"].append({"id": "S", "role": "supervisor"})
    from scoreboard import Scoreboard, event_from_dict
    from scoreboard.events import SignedOff

    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    old = event_from_dict(
        {"kind": "decrypt", "id": "x", "program": "p", "author": "C", "supervisor": "S", "ts": 0}
    )
    assert isinstance(old, Decrypted) and old.gate == "panels"
    with pytest.raises(EventRefused) as e:
        sb.apply(old)
    assert e.value.code == "panels_open"
    state = sb.programs["p"]
    for i in range(1, 5):
        sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
    assert len(open_panels(state)) == 4  # marked, not signed off
    for i in range(1, 5):
        sb.apply(SignedOff(f"s{i}", "p", f"p-{i}", "J1", 0))
    sb.apply(old)
    assert not masked(state)
    with pytest.raises(EventRefused) as e:
        sb.apply(Decrypted("y", "p", "C", "S", 0, gate="later"))
    assert e.value.code == "already_decrypted"


def test_the_chief_asks_for_decryption_and_a_supervisor_confirms_it() -> None:
    """解密 as a gate override (the same two-person pattern): ``override`` with gate ``decrypt``
    by the chief, ``override_confirm`` by a supervisor; the review gate holds for both."""
    data = competition(anonymous(lifecycle={"review_top": 4}))
    data["judges"] += [{"id": "S", "role": "supervisor"}, {"id": "R", "role": "reviewer"}]
    from scoreboard import Scoreboard
    from scoreboard.events import SignedOff
    from scoreboard.lifecycle.events import (
        GateOverridden,
        OverrideConfirmed,
        Reviewed,
        StageChanged,
    )

    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    state = sb.programs["p"]
    ask = GateOverridden("o1", "p", "decrypt", "the review is done", "C", 5)
    confirm = OverrideConfirmed("c1", "p", "decrypt", "S", 6)

    def refused(event: object, code: str) -> None:
        with pytest.raises(EventRefused) as e:
            sb.apply(event)  # type: ignore[arg-type]
        assert e.value.code == code, e.value

    refused(ask, "review_not_finished")
    refused(confirm, "no_override")
    refused(GateOverridden("o0", "p", "decrypt", "x", "J1", 5), "wrong_role")
    for i in range(1, 5):
        sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
        sb.apply(SignedOff(f"s{i}", "p", f"p-{i}", "J1", 0))
    sb.apply(StageChanged("st", "p", "review", "C", 1, seed="s", head="ab" * 32))
    for n, cid in enumerate(state.lifecycle.review.members):
        sb.apply(Reviewed(f"r{n}", "p", cid, "R", 2))
    sb.apply(ask)
    assert masked(state) and "decrypt" in state.lifecycle.pending
    refused(GateOverridden("o2", "p", "decrypt", "again", "C", 5), "override_pending")
    refused(OverrideConfirmed("c0", "p", "decrypt", "R", 6), "wrong_role")
    sb.apply(confirm)
    assert not masked(state)
    refused(GateOverridden("o3", "p", "decrypt", "again", "C", 7), "already_decrypted")
    sb.apply(StageChanged("pub", "p", "publication", "C", 8))


def test_the_jury_medal_table_leaves_an_encrypted_program_out() -> None:
    """overview:jury (any chief reads it) would say which delegation won a program whose desk
    shows codes: its medals count once it is decrypted, not before."""
    from scoreboard import Scoreboard, event_from_dict
    from scoreboard.events import MarkSubmitted, SignedOff
    from scoreboard.lifecycle.events import Reviewed, StageChanged
    from tests.anonymity_kit import anonymous_competition

    sb = Scoreboard(load_competition(anonymous_competition()))
    prog = sb.competition.programs["weld"]
    from scoreboard.program.drawing import derive

    r = derive(prog, "1", "ab" * 32)
    sb.apply(event_from_dict({"kind": "draw", "id": "d", "program": "weld", "author": "weld-chief",
             "ts": 0, "seed_input": "1", "head_seq": 1, "head_hash": "ab" * 32,
             "stations": list(r.stations), "order": list(r.order), "codes": list(r.codes)}))  # fmt: skip
    n = 0
    for i, cid in enumerate(r.stations):
        for judge, aspect, value in (("weld-j1", "A1", str(i % 4)), ("weld-j2", "A1", str(i % 4)),
                                     ("weld-j3", "A1", str(i % 4)), ("weld-j1", "A2", "pass"),
                                     ("weld-k1", "B1", str(i))):  # fmt: skip
            n += 1
            sb.apply(MarkSubmitted(f"m{n}", "weld", cid, aspect, judge, value, 1))
        for judge in ("weld-j1", "weld-j2", "weld-j3", "weld-k1"):
            sb.apply(SignedOff(f"s{cid}{judge}", "weld", cid, judge, 2))

    def medals() -> int:
        return sum(m["total"] for m in sb.snapshot("overview:jury")["medals"])

    assert medals() == 0
    sb.apply(StageChanged("st", "weld", "review", "weld-chief", 3, seed="s", head="ab" * 32))
    for cid in sb.programs["weld"].lifecycle.members(r.stations):
        sb.apply(Reviewed(f"r{cid}", "weld", cid, "rev", 4))
    assert medals() == 0
    sb.apply(Decrypted("x", "weld", "weld-chief", "sup", 5, gate="review"))
    assert medals() == 3


def test_the_desk_lists_ties_and_the_unranked_by_code_and_its_deltas_agree() -> None:
    """The board lists who shares a place or has no result by bib, and the public lists the
    bibs in that order: under codes the jury board lists them by code (places keep their
    order), and a screen applying the deltas reaches the order a fresh snapshot has."""
    from scoreboard.program.anonymous import desk_layer
    from scoreboard.views import apply_delta

    sb = board(program("p", ASPECTS, n=6, anonymous=True, visibility="hidden"))
    state = sb.programs["p"]
    channel = "program:p:jury"
    before = sb.snapshot(channel)
    held = before
    events = [drawn(sb, "77"), *(mark("p", f"p-{i}", "a", "J1", v) for i, v in
              ((4, "1"), (2, "1"), (6, "0"), (1, "0"), (1, "1"), (6, "1")))]  # fmt: skip
    for event in events:
        for u in sb.apply(event):
            if u.channel == channel:
                held = apply_delta(held, u.delta)
        book = codes(state, desk_layer(state.program))
        fresh = sb.snapshot(channel)
        assert [r["competitor"]["id"] for r in held["rows"]] == order(sb)
        groups: dict[object, list[str]] = {}
        for r in fresh["rows"]:
            groups.setdefault(r["rank"], []).append(book[r["competitor"]["id"]])
        assert all(g == sorted(g) for g in groups.values()), groups
    assert ranks(sb) == {"p-1": 1, "p-2": 1, "p-3": None, "p-4": 1, "p-5": None, "p-6": 1}
