"""The event plan in the competition file: venues, categories, side events, honours, and each
program's category, venue and days; bad values are refused with their path and the fix."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scoreboard import CompetitionFileError, load_competition
from tests.hubkit import small_competition


def planned() -> dict[str, Any]:
    comp = small_competition()
    comp["venues"] = [{"id": "dl", "name": {"zh": "大连", "en": "Dalian"}}]
    comp["categories"] = [{"id": "mfg", "name": "制造"}]
    comp["side_events"] = [
        {
            "id": "open",
            "kind": "opening",
            "name": "开幕式",
            "day": "2026-05-20",
            "start": "09:00",
            "end": "10:00",
            "venue": "dl",
        },
        {"id": "fair", "kind": "recruitment", "day": "2026-05-21"},
    ]
    comp["honours"] = [
        {"id": "expert", "title": "技术能手", "top": 5, "team_top": 3, "born_from": 1986}
    ]
    comp["programs"][0].update(category="mfg", venue="dl", days=["2026-05-20"])
    comp["programs"][0]["competitors"][0]["born"] = 1990
    return comp


def problems(data: dict[str, Any]) -> str:
    with pytest.raises(CompetitionFileError) as err:
        load_competition(data)
    return str(err.value)


def test_the_plan_loads() -> None:
    comp = load_competition(planned())
    assert comp.plan.venues["dl"].name["en"] == "Dalian"
    assert comp.plan.categories["mfg"].name == {"zh": "制造", "en": "制造"}
    assert [e.id for e in comp.plan.side_events] == ["open", "fair"]
    assert comp.plan.days() == ["2026-05-20", "2026-05-21"]
    assert comp.plan.honours[0].top == 5 and comp.plan.honours[0].team_top == 3
    weld = comp.programs["weld"]
    assert (weld.category, weld.venue, weld.days) == ("mfg", "dl", ("2026-05-20",))
    c = weld.competitors["weld-1"]
    assert c.born == 1990 and "born" not in c.public()
    assert load_competition(small_competition()).plan.venues == {}  # all optional


def test_bad_plan_values_are_refused_with_their_path() -> None:
    data = planned()
    bad = copy.deepcopy(data)
    bad["side_events"][0].update(
        day="2026-02-30", start="9:00", end="08:00", venue="sy", kind="party"
    )
    bad["programs"][0].update(category="art", venue="sy", days=["20 May"])
    bad["honours"].append({"id": "nobody", "title": "x"})
    bad["honours"][0]["programs"] = ["nope"]
    text = problems(bad)
    for expected in (
        "side_events[open].day is '2026-02-30'; write a date as YYYY-MM-DD",
        "side_events[open].start is '9:00'; write a time as HH:MM",
        "side_events[open].venue 'sy' is not one of the venues",
        "side_events[open].kind is 'party'; use one of",
        "programs[weld].category 'art' is not one of the categories",
        "programs[weld].venue 'sy' is not one of the venues",
        "programs[weld].days[0] is '20 May'",
        "honours[nobody] names nobody: give top, team_top or awards",
        "honours[expert].programs 'nope' is not a program",
    ):
        assert expected in text, (expected, text)
