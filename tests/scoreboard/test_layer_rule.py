"""Locks and sign-offs by layer in a masked two-layer program (issue 15, fifth review:
``scoreboard/program/layer_rule.py``), and events without a layer doing what they always did."""

from __future__ import annotations

from typing import Any

import pytest

from scoreboard import EventRefused, Locked, Scoreboard, SignedOff, Unlocked, load_competition
from scoreboard.events import event_from_dict, event_to_dict
from tests.scoreboard.comp_builders import competition, mark, program
from tests.scoreboard.test_draw_event import drawn

A = [{"id": "a", "type": "score", "max": "10", "range": ["0", "10"], "step": "1"}]
B = [{"id": "b", "type": "score", "max": "10", "range": ["0", "10"], "step": "1"}]


def two_layers() -> Scoreboard:
    p = program("p", None, n=2, anonymous=True, visibility="hidden")
    p["criteria"] = [
        {"id": "A", "aspects": A},
        {"id": "B", "aspects": B, "anonymous_layer": "code"},
    ]
    data = competition(p)
    only_a = [{"program": "p", "criteria": ["A"]}]
    only_b = [{"program": "p", "criteria": ["B"]}]
    data["judges"] = [
        {"id": "JA", "assignments": only_a},
        {"id": "JB", "assignments": only_b},
        {"id": "JAB", "assignments": [{"program": "p"}]},
        {"id": "C", "role": "chief", "assignments": [{"program": "p"}]},
    ]
    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "7"))
    return sb


def unlock(layer: str = "", criterion: str = "", eid: str = "u") -> Unlocked:
    return Unlocked(eid, "p", "p-1", "C", 0, "why", criterion, layer=layer)


def signed(sb: Scoreboard) -> set[tuple[str, str]]:
    return set(sb.programs["p"].signoffs)


def marked(sb: Scoreboard) -> None:
    for aid, j in (("a", "JA"), ("b", "JB"), ("a", "JAB"), ("b", "JAB")):
        sb.apply(mark("p", "p-1", aid, j, "1"))


def test_an_unlock_of_one_layer_reopens_that_layers_sign_offs_only() -> None:
    sb = two_layers()
    marked(sb)
    for j, layer in (("JA", "workstation"), ("JB", "code")):
        sb.apply(SignedOff(f"s{j}", "p", "p-1", j, 0, layer=layer))
    sb.apply(Locked("l", "p", "p-1", "C", 0, layer="workstation"))
    # the workstation layer is locked, the second layer is not
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "a", "JAB", "2"))
    assert e.value.code == "locked"
    sb.apply(mark("p", "p-1", "b", "JAB", "2"))
    sb.apply(unlock("workstation"))
    assert signed(sb) == {("p-1", "JB")}  # JB's sign-off of the second code stands


def test_a_judge_of_both_layers_signs_off_each_layer() -> None:
    sb = two_layers()
    marked(sb)
    sb.apply(SignedOff("s1", "p", "p-1", "JAB", 0, layer="code"))
    assert signed(sb) == set()  # one of two layers: not signed off for the gates yet
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "b", "JAB", "3"))
    assert e.value.code == "signed_off"
    sb.apply(mark("p", "p-1", "a", "JAB", "3"))  # the workstation layer is still open
    with pytest.raises(EventRefused) as e:
        sb.apply(SignedOff("s2", "p", "p-1", "JAB", 0, layer="code"))
    assert e.value.code == "already_signed_off"
    sb.apply(SignedOff("s3", "p", "p-1", "JAB", 0, layer="workstation"))
    assert signed(sb) == {("p-1", "JAB")}
    sb.apply(Locked("l", "p", "p-1", "C", 0, layer="code"))
    sb.apply(unlock("code"))  # reopens the second layer only
    assert sb.programs["p"].signed_layers == {("p-1", "JAB"): frozenset({"workstation"})}
    with pytest.raises(EventRefused) as e:
        sb.apply(SignedOff("s4", "p", "p-1", "JA", 0, layer="code"))
    assert e.value.code == "wrong_layer"  # JA marks nothing under the second code


def test_a_lock_of_a_criterion_names_its_own_layer() -> None:
    sb = two_layers()
    with pytest.raises(EventRefused) as e:
        sb.apply(Locked("l", "p", "p-1", "C", 0, criterion="A", layer="code"))
    assert e.value.code == "wrong_layer"
    with pytest.raises(EventRefused) as e:
        sb.apply(Locked("l", "p", "p-1", "C", 0, layer="desk"))
    assert e.value.code == "invalid_value"


def test_events_without_a_layer_replay_as_they_always_did() -> None:
    """An old ledger's lock locks everything, its unlock reopens every sign-off."""
    sb = two_layers()
    marked(sb)
    old: list[dict[str, Any]] = [
        {"kind": "signoff", "id": "s1", "program": "p", "competitor": "p-1", "judge": "JA", "ts": 0},
        {"kind": "signoff", "id": "s2", "program": "p", "competitor": "p-1", "judge": "JB", "ts": 0},
        {"kind": "lock", "id": "l", "program": "p", "competitor": "p-1", "author": "C", "ts": 0,
         "criterion": "", "reason": ""},
    ]  # fmt: skip
    for body in old:
        event = event_from_dict(body)
        assert event_to_dict(event)["layer"] == ""
        sb.apply(event)
    assert signed(sb) == {("p-1", "JA"), ("p-1", "JB")}
    for aid, j in (("a", "JAB"), ("b", "JAB")):
        with pytest.raises(EventRefused) as e:
            sb.apply(mark("p", "p-1", aid, j, "2"))
        assert e.value.code == "locked"
    sb.apply(event_from_dict({"kind": "unlock", "id": "u", "program": "p", "competitor": "p-1",
                              "author": "C", "ts": 0, "reason": "why"}))  # fmt: skip
    assert signed(sb) == set()
