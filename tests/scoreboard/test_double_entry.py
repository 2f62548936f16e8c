"""双人录入 (issue 15): a mark enters only when two operators' entries agree, once."""

from __future__ import annotations

import pytest

from scoreboard import EntryMade, EventRefused, Scoreboard, load_competition
from tests.scoreboard.comp_builders import competition, mark, program, rows

ASPECTS = [{"id": "a", "type": "score", "max": "10", "range": ["0", "10"], "step": "0.5"}]


def paper() -> Scoreboard:
    data = competition(program("p", ASPECTS, n=2, double_entry=True))
    data["judges"] += [{"id": "O1", "role": "operator"}, {"id": "O2", "role": "operator"}]
    return Scoreboard(load_competition(data))


def entry(eid: str, op: str, value: str, sheet: str = "S-001", cid: str = "p-1") -> EntryMade:
    return EntryMade(eid, "p", cid, "a", "J1", value, sheet, op, 0)


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
    sb.apply(entry("e3", "O2", "7", "S-002"))  # O2 corrects their entry
    assert rows(sb)["p-1"]["total"] == "7.00" and "entries" not in rows(sb)["p-1"]


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
