"""What differs between two competitions, and which accepted events a change breaks (issue 13)."""

from __future__ import annotations

import copy
from typing import Any

from scoreboard import load_competition
from scoreboard.changes import ChangeKind, diff, invalidated
from scoreboard.events import Event
from tests.scoreboard.comp_builders import competition, mark, program

ASPECTS = [
    {"id": "S", "type": "score", "range": ["0", "10"], "step": "0.5"},
    {"id": "T", "type": "score", "range": ["0", "10"]},
]


def base() -> dict[str, Any]:
    return competition(
        program("p", copy.deepcopy(ASPECTS), n=3),
        program("q", copy.deepcopy(ASPECTS), n=2),
        judges=2,
    )


def events() -> list[tuple[int, Event]]:
    marks = [
        mark("p", "p-1", "S", "J1", "7.5"),
        mark("p", "p-2", "S", "J1", "6"),
        mark("p", "p-3", "T", "J2", "4"),
        mark("q", "q-1", "S", "J2", "9"),
    ]
    return list(enumerate(marks, start=1))


def test_the_same_file_has_no_change_and_breaks_nothing() -> None:
    a, b = load_competition(base()), load_competition(base())
    assert diff(a, b) == []
    assert invalidated(a, b, events()) == []


def test_removing_a_competitor_names_it_and_the_marks_it_drops() -> None:
    doc = base()
    edited = copy.deepcopy(doc)
    edited["programs"][0]["competitors"].pop(1)  # p-2
    old, new = load_competition(doc), load_competition(edited)
    changes = diff(old, new)
    assert [str(c) for c in changes] == ["programs[p].competitors[p-2] removed"]
    lost = invalidated(old, new, events())
    assert [(i.seq, i.code) for i in lost] == [(2, "unknown_competitor")], lost


def test_tightening_a_step_names_the_field_and_the_off_step_mark() -> None:
    doc = base()
    edited = copy.deepcopy(doc)
    edited["programs"][0]["criteria"][0]["aspects"][0]["step"] = "1"
    old, new = load_competition(doc), load_competition(edited)
    assert [str(c) for c in diff(old, new)] == ["programs[p].aspects[S].step: 0.5 → 1"]
    assert [(i.seq, i.code) for i in invalidated(old, new, events())] == [(1, "off_step")]


def test_unassigning_a_judge_drops_their_marks_on_that_program_only() -> None:
    doc = base()
    edited = copy.deepcopy(doc)
    j2 = next(j for j in edited["judges"] if j["id"] == "J2")
    j2["assignments"] = [{"program": "q"}]
    old, new = load_competition(doc), load_competition(edited)
    changes = diff(old, new)
    assert [c.path for c in changes] == ["judges[J2].assignments"]
    assert changes[0].kind is ChangeKind.CHANGED
    assert [(i.seq, i.code) for i in invalidated(old, new, events())] == [(3, "not_assigned")]


def test_removing_a_program_drops_every_mark_on_it() -> None:
    doc = base()
    edited = copy.deepcopy(doc)
    edited["programs"].pop(1)
    for j in edited["judges"]:
        j["assignments"] = [a for a in j["assignments"] if a["program"] != "q"]
    old, new = load_competition(doc), load_competition(edited)
    assert "programs[q] removed" in [str(c) for c in diff(old, new)]
    assert [(i.seq, i.code) for i in invalidated(old, new, events())] == [(4, "unknown_program")]


def test_adding_a_judge_is_listed_and_breaks_nothing() -> None:
    doc = base()
    edited = copy.deepcopy(doc)
    edited["judges"].append({"id": "J9", "assignments": [{"program": "p"}]})
    old, new = load_competition(doc), load_competition(edited)
    assert [str(c) for c in diff(old, new)] == ["judges[J9] added"]
    assert invalidated(old, new, events()) == []


def test_a_private_field_is_named_but_never_shown() -> None:
    doc = base()
    doc["programs"][0]["competitors"][0]["national_id"] = "210102199001011234"
    edited = copy.deepcopy(doc)
    edited["programs"][0]["competitors"][0]["national_id"] = "210102199001015678"
    changes = diff(load_competition(doc), load_competition(edited))
    assert [str(c) for c in changes] == [
        "programs[p].competitors[p-1].national_id: (hidden) → (hidden)"
    ]
    assert "1234" not in repr(changes) and "5678" not in repr(changes)
