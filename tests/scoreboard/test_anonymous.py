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
from tests.scoreboard.comp_builders import board, competition, mark, program
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


def test_decryption_needs_a_supervisor_and_every_panel_signed_off() -> None:
    data = competition(anonymous())
    data["judges"].append({"id": "S", "role": "supervisor"})
    from scoreboard import Scoreboard
    from scoreboard.events import SignedOff

    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    for sup, code in (
        ("", "supervisor_required"),
        ("J2", "supervisor_required"),
        ("S", "panels_open"),
    ):
        with pytest.raises(EventRefused) as e:
            sb.apply(Decrypted("x", "p", "C", sup, 0))
        assert e.value.code == code
    with pytest.raises(EventRefused) as e:
        sb.apply(Decrypted("x", "p", "J1", "S", 0))
    assert e.value.code == "wrong_role"
    state = sb.programs["p"]
    for i in range(1, 5):
        sb.apply(mark("p", f"p-{i}", "a", "J1", "1"))
    assert len(open_panels(state)) == 4  # marked, not signed off
    for i in range(1, 5):
        sb.apply(SignedOff(f"s{i}", "p", f"p-{i}", "J1", 0))
    assert open_panels(state) == []
    sb.apply(Decrypted("x", "p", "C", "S", 0))
    assert not masked(state)
    with pytest.raises(EventRefused) as e:
        sb.apply(Decrypted("y", "p", "C", "S", 0))
    assert e.value.code == "already_decrypted"
    sb.apply(VisibilityChanged("v", "p", "live", "C", 0))
