"""双人录入 (issue 15): a mark enters only when two operators' entries agree, once."""

from __future__ import annotations

import copy

import pytest

from scoreboard import CompetitionFileError, EntryMade, EventRefused, Scoreboard, load_competition
from scoreboard.events import event_from_dict
from tests.scoreboard.comp_builders import competition, mark, program, rows

ASPECTS = [{"id": "a", "type": "score", "max": "10", "range": ["0", "10"], "step": "0.5"}]


def paper() -> Scoreboard:
    data = competition(program("p", ASPECTS, n=2, double_entry=True))
    data["judges"] += [{"id": "O1", "role": "operator"}, {"id": "O2", "role": "operator"}]
    return Scoreboard(load_competition(data))


def entry(
    eid: str, op: str, value: str, sheet: str = "S-001", cid: str = "p-1", policy: str = "chief"
) -> EntryMade:
    return EntryMade(eid, "p", cid, "a", "J1", value, sheet, op, 0, policy=policy)


def test_agreeing_entries_make_the_mark_once() -> None:
    sb = paper()
    sb.apply(entry("e1", "O1", "8.5"))
    row = rows(sb)["p-1"]
    assert row["total"] is None and row["entries"][0]["values"] == {"O1": "8.5"}
    assert row["entries"][0]["mismatch"] is False
    sb.apply(entry("e2", "O2", "8.50"))  # the same value
    row = rows(sb)["p-1"]
    assert row["aspects"]["a"]["marks"] == {"J1": "8.50"} and row["total"] == "8.50"
    assert "entries" not in row
    assert sb.programs["p"].marks_applied == 1
    with pytest.raises(EventRefused) as e:
        sb.apply(entry("e3", "O1", "8.5"))
    assert e.value.code == "already_agreed"


def test_disagreeing_entries_are_held_for_the_chief_until_corrected() -> None:
    sb = paper()
    sb.apply(entry("e1", "O1", "7", "S-002"))
    sb.apply(entry("e2", "O2", "1", "S-002"))
    held = rows(sb)["p-1"]["entries"]
    assert held == [
        {"aspect": "a", "judge": "J1", "mismatch": True, "values": {"O1": "7", "O2": "1"},
         "sheets": {"O1": "S-002", "O2": "S-002"}}
    ]  # fmt: skip
    assert rows(sb)["p-1"]["total"] is None
    # the chief resolves it from the sheet: the chief's entry is the judge's mark
    sb.apply(entry("e3", "C", "7", "S-002"))
    row = rows(sb)["p-1"]
    assert row["total"] == "7.00" and "entries" not in row
    assert sb.programs["p"].marks["p-1"]["a"]["J1"].value == "7"


def test_a_mismatch_does_not_clear_when_an_operator_retypes() -> None:
    """O2 typed 1 where O1 typed 7; O2 typing 7 again agreed with O1 and cleared the mismatch
    without the chief. Once two entries differ the operators' entries of it are refused, and
    it stays held until the chief resolves it."""
    sb = paper()
    sb.apply(entry("e1", "O1", "7", "S-002"))
    sb.apply(entry("e2", "O2", "1", "S-002"))
    before = rows(sb)["p-1"]
    for eid, op in (("e3", "O2"), ("e4", "O1")):
        with pytest.raises(EventRefused) as e:
            sb.apply(entry(eid, op, "7", "S-002"))
        assert e.value.code == "mismatch_held" and "chief" in e.value.message
    assert rows(sb)["p-1"] == before  # still held, nothing changed


def test_an_entry_recorded_before_the_chiefs_rule_replays_as_it_was() -> None:
    """A ledger recorded before the rule (entries without ``policy``) holds operators' retypes
    that cleared a mismatch: it replays the same, the retype agreeing."""
    sb = paper()
    for body in (
        {"id": "e1", "author": "O1", "value": "7"},
        {"id": "e2", "author": "O2", "value": "1"},
        {"id": "e3", "author": "O2", "value": "7"},  # the retype that cleared the mismatch
    ):
        sb.apply(event_from_dict({"kind": "entry", "program": "p", "competitor": "p-1",
                                  "aspect": "a", "judge": "J1", "sheet": "S", "ts": 0, **body}))  # fmt: skip
    assert rows(sb)["p-1"]["total"] == "7.00" and "entries" not in rows(sb)["p-1"]


def test_the_chief_resolves_only_a_mismatch() -> None:
    sb = paper()
    with pytest.raises(EventRefused) as e:
        sb.apply(entry("e1", "C", "7"))
    assert e.value.code == "no_mismatch"
    sb.apply(entry("e2", "O1", "7"))
    with pytest.raises(EventRefused) as e:
        sb.apply(entry("e3", "C", "7"))  # waiting for the second operator: not the chief's
    assert e.value.code == "no_mismatch"


def test_an_operator_corrects_their_own_entry_before_the_second_one() -> None:
    sb = paper()
    sb.apply(entry("e1", "O1", "7"))
    sb.apply(entry("e2", "O1", "6"))  # a correction while waiting: still allowed
    sb.apply(entry("e3", "O2", "6"))
    assert rows(sb)["p-1"]["total"] == "6.00"


def test_only_operators_enter_and_judges_do_not_mark_directly() -> None:
    sb = paper()
    with pytest.raises(EventRefused) as e:
        sb.apply(entry("e1", "J2", "7"))
    assert e.value.code == "wrong_role"
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "a", "J1", "7"))
    assert e.value.code == "double_entry"
    with pytest.raises(EventRefused) as e:
        sb.apply(entry("e2", "O1", "11"))  # checked as the judge's mark would be
    assert e.value.code == "out_of_range"
    assert sb.programs["p"].entries == {}


# 双人录入 per aspect: "a program or aspect can require two independent entries"
TWO = [ASPECTS[0], {"id": "b", "type": "score", "max": "10", "range": ["0", "10"], "step": "0.5",
                    "double_entry": True}]  # fmt: skip
OPERATORS = [{"id": "O1", "role": "operator"}, {"id": "O2", "role": "operator"}]


def aspect_paper(operators: list[dict[str, object]] = OPERATORS) -> dict[str, object]:
    data = competition(program("p", copy.deepcopy(TWO), n=2), program("q", ASPECTS, n=2))
    data["judges"] += operators
    return data


def refused(data: dict[str, object]) -> str:
    with pytest.raises(CompetitionFileError) as e:
        load_competition(data)
    return str(e.value)


def test_an_aspect_typed_from_paper_the_others_marked_on_the_pads() -> None:
    sb = Scoreboard(load_competition(aspect_paper()))
    sb.apply(mark("p", "p-1", "a", "J1", "6"))  # a: on the pads
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "b", "J1", "7"))
    assert e.value.code == "double_entry" and "b of p" in e.value.message
    with pytest.raises(EventRefused) as e:
        sb.apply(EntryMade("x", "p", "p-1", "a", "J1", "6", "S-1", "O1", 0))
    assert e.value.code == "not_double_entry" and "a of p" in e.value.message
    b = [EntryMade(f"e{i}", "p", "p-1", "b", "J1", v, "S-1", op, 0)
         for i, (op, v) in enumerate((("O1", "3"), ("O2", "3.0")))]  # fmt: skip
    sb.apply(b[0])
    assert rows(sb)["p-1"]["total"] == "6.00" and rows(sb)["p-1"]["entries"][0]["aspect"] == "b"
    sb.apply(b[1])
    assert rows(sb)["p-1"]["total"] == "9.00" and "entries" not in rows(sb)["p-1"]
    sb.apply(mark("q", "q-1", "a", "J1", "6"))  # another program: on the pads
    with pytest.raises(EventRefused) as e:
        sb.apply(EntryMade("y", "q", "q-1", "a", "J1", "6", "S-1", "O1", 0))
    assert e.value.code == "not_double_entry"


def test_the_file_refuses_paper_marks_nobody_can_type() -> None:
    msg = refused(aspect_paper([]))
    assert "programs[p].criteria[A].aspects[b].double_entry" in msg
    assert "aspect(s) b of p" in msg and "no data-entry operator" in msg
    msg = refused(aspect_paper(OPERATORS[:1]))
    assert "only 1 data-entry operator (O1)" in msg
    elsewhere = [{**o, "assignments": [{"program": "q"}]} for o in OPERATORS]
    assert "no data-entry operator" in refused(aspect_paper(elsewhere))  # assigned to q only
    load_competition(aspect_paper([{**o, "assignments": [{"program": "p"}]} for o in OPERATORS]))
    data = competition(program("p", ASPECTS, n=2, double_entry=True))
    assert "programs[p].double_entry" in refused(data)  # the program's, too
    bad = aspect_paper()
    bad["programs"][0]["criteria"][0]["aspects"][1]["double_entry"] = "yes"  # type: ignore[index]
    assert "double_entry" in refused(bad)


def test_the_simulated_judges_mark_the_pad_aspects_and_operators_type_the_paper_ones() -> None:
    from server.simulate import on_the_pads
    from server.simulate_steps import program_steps

    comp = load_competition(
        aspect_paper([{**o, "assignments": [{"program": "p"}]} for o in OPERATORS])
    )
    prog = comp.programs["p"]
    assert not on_the_pads(prog) and on_the_pads(comp.programs["q"])
    steps = program_steps(comp, prog, 7)
    marking = [s for s in steps if s.frame["type"] in ("mark", "entry")]
    kinds = {(s.frame["type"], s.frame["aspect"], s.actor.startswith("O")) for s in marking}
    assert kinds == {("mark", "a", False), ("entry", "b", True)}
