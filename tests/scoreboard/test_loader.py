"""Competition files: every problem is reported with its field path and the fix, never a traceback."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoreboard import Competition, CompetitionFileError, Scoreboard, load_competition
from scoreboard.loader import locate
from tests.scoreboard.comp_builders import competition, program


def valid() -> dict[str, Any]:
    """A file that loads: two criteria of 20.00 each, components, ranking, awards, standardisation."""
    prog = program(
        criteria=[
            {
                "id": "A",
                "max": "20.00",
                "aspects": [
                    {
                        "id": "A1",
                        "type": "judgement",
                        "max": "10.00",
                        "panel": 3,
                        "agreement": {"tolerance": "1"},
                    },
                    {"id": "A2", "type": "measurement", "max": "10.00"},
                ],
            },
            {
                "id": "B",
                "max": "20.00",
                "aspects": [
                    {"id": "B1", "type": "judgement", "max": "9.50", "panel": 3},
                    {"id": "B2", "type": "deduction", "max": "10.50", "per_error": "0.5"},
                    {"id": "B3", "type": "time", "range": ["0", "3600"], "counts": False},
                ],
            },
        ],
        total_max="40.00",
        components=[
            {"id": "theory", "weight": "0.3", "criteria": ["A"]},
            {"id": "practical", "weight": "0.7", "criteria": ["B"]},
        ],
        ranking={
            "keys": ["total desc", "component:practical desc", "aspect:B3 asc"],
            "mode": "standard",
        },
        standardisation={"centre": "500", "factor": "20", "spread": "sd"},
        awards=[
            {"type": "medals", "awards": ["gold", "silver", "bronze"]},
            {"type": "threshold", "awards": ["medallion"], "key": "standardised", "min": "700"},
        ],
        min_field={"size": 5, "awards": ["gold"]},
        n=3,
    )
    return competition(prog, judges=3)


def problems(change: Callable[[dict[str, Any]], None]) -> list[str]:
    data = valid()
    change(data)
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    err = info.value
    assert err.code == "competition_file"
    assert str(err).startswith(f"the competition file has {len(err.problems)} problem(s):")
    return err.problems


def only(change: Callable[[dict[str, Any]], None]) -> str:
    found = problems(change)
    assert len(found) == 1, found
    return found[0]


def prog0(data: dict[str, Any]) -> dict[str, Any]:
    p: dict[str, Any] = data["programs"][0]
    return p


def aspect(data: dict[str, Any], c: int = 0, a: int = 0) -> dict[str, Any]:
    x: dict[str, Any] = prog0(data)["criteria"][c]["aspects"][a]
    return x


def test_the_valid_file_loads() -> None:
    comp = load_competition(valid())
    assert isinstance(comp, Competition)
    assert set(comp.programs["p"].aspects) == {"A1", "A2", "B1", "B2", "B3"}
    Scoreboard(comp)


def test_aspects_that_do_not_add_up_show_the_sums() -> None:
    def change(d: dict[str, Any]) -> None:
        aspect(d, 1, 1)["max"] = "10.00"

    assert only(change) == (
        "programs[p].criteria[B].aspects sum to 19.50, criterion max is 20.00; "
        "make the aspect maxima add up to the criterion max"
    )


def test_criteria_that_do_not_add_up_to_the_total() -> None:
    msg = only(lambda d: prog0(d).update(total_max="100.00"))
    assert msg == "programs[p].criteria maxima sum to 40.00, total_max is 100.00"


def test_multiplier_counts_in_the_sum() -> None:
    def change(d: dict[str, Any]) -> None:
        aspect(d, 0, 1)["multiplier"] = "2"

    assert "programs[p].criteria[A].aspects sum to 30.00, criterion max is 20.00" in only(change)


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: d, "colour"),
        (prog0, "programs[p].colour"),
        (lambda d: prog0(d)["criteria"][0], "programs[p].criteria[A].colour"),
        (lambda d: aspect(d), "programs[p].criteria[A].aspects[A1].colour"),
        (lambda d: prog0(d)["competitors"][0], "programs[p].competitors[1].colour"),
        (lambda d: d["judges"][0], "judges[J1].colour"),
        (lambda d: d["judges"][0]["assignments"][0], "judges[J1].assignments[0].colour"),
        (lambda d: prog0(d)["ranking"], "programs[p].ranking.colour"),
        (lambda d: prog0(d)["awards"][0], "programs[p].awards[0].colour"),
        (lambda d: prog0(d)["standardisation"], "programs[p].standardisation.colour"),
        (lambda d: prog0(d)["min_field"], "programs[p].min_field.colour"),
        (lambda d: prog0(d)["components"][0], "programs[p].components[theory].colour"),
        (lambda d: d["delegations"][0], "delegations[SY].colour"),
        (lambda d: aspect(d)["agreement"], "programs[p].criteria[A].aspects[A1].agreement.colour"),
    ],
)
def test_unknown_fields(where: Callable[[dict[str, Any]], dict[str, Any]], path: str) -> None:
    msg = only(lambda d: where(d).update(colour="red"))
    assert msg.startswith(f"{path} is not a known field; allowed here: ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: prog0(d).update(places="two"),
            "programs[p].places must be a whole number, found 'two'",
        ),
        (
            lambda d: prog0(d).update(places=True),
            "programs[p].places must be a whole number, found True",
        ),
        (lambda d: prog0(d).update(places=-1), "programs[p].places must be at least 0, found -1"),
        (lambda d: prog0(d).update(places=100), "programs[p].places must be at most 9, found 100"),
        (
            lambda d: prog0(d).update(visibility="secret"),
            "programs[p].visibility is 'secret'; use one of 'live', 'frozen', 'hidden', 'published'",
        ),
        (
            lambda d: prog0(d).update(rounding="never"),
            "programs[p].rounding is 'never'; use one of 'judge', 'aspect', 'criterion', 'component', 'total'",
        ),
        (
            lambda d: prog0(d).update(team="yes"),
            "programs[p].team must be true or false, found 'yes'",
        ),
        (
            lambda d: prog0(d).update(competitors={"bib": "1"}),
            "programs[p].competitors must be a list, found dict",
        ),
        (
            lambda d: aspect(d).update(panel="3"),
            "programs[p].criteria[A].aspects[A1].panel must be a whole number",
        ),
        (
            lambda d: aspect(d).update(max="ten"),
            "programs[p].criteria[A].aspects[A1].max 'ten' is not a number; write it like 9.50",
        ),
        (
            lambda d: aspect(d).update(max="1e400"),
            "programs[p].criteria[A].aspects[A1].max '1e400' is too large",
        ),
        (
            lambda d: aspect(d).update(max=[1]),
            "programs[p].criteria[A].aspects[A1].max [1] is not a number",
        ),
        (
            lambda d: aspect(d, 1, 2).update(range="0-10"),
            'programs[p].criteria[B].aspects[B3].range must be two numbers, like ["0", "10"]',
        ),
        (
            lambda d: aspect(d, 1, 2).update(range=["10", "0"]),
            "programs[p].criteria[B].aspects[B3].range starts above its end (10.00 > 0.00)",
        ),
        (
            lambda d: aspect(d, 1, 2).update(step="0"),
            "programs[p].criteria[B].aspects[B3].step must be greater than 0",
        ),
        (
            lambda d: prog0(d)["competitors"][0].update(name=5),
            'programs[p].competitors[1].name must be a string or {zh = "...", en = "..."}',
        ),
        (
            lambda d: prog0(d)["competitors"][0].update(tags="employee"),
            'programs[p].competitors[1].tags must be a list of strings, like ["A", "B"]',
        ),
        (
            lambda d: prog0(d)["competitors"][0].update(status="gone"),
            "programs[p].competitors[1].status is 'gone'; use one of 'ok', 'DNS', 'DNF', 'DSQ'",
        ),
        (
            lambda d: prog0(d)["competitors"][0].update(multipliers={"Z1": "2"}),
            "programs[p].competitors[1].multipliers.Z1 is not an aspect of this program",
        ),
        (
            lambda d: d.update(medal_points="4321"),
            "medal_points must be a list of whole numbers, like [4, 3, 2, 1]",
        ),
        (lambda d: d.update(format=2), "format is 2; this Scorecast reads format 1"),
        (
            lambda d: d["judges"][0].update(role="boss"),
            "judges[J1].role is 'boss'; use one of 'judge', 'chief'",
        ),
    ],
)
def test_wrong_types_and_values(change: Callable[[dict[str, Any]], None], expected: str) -> None:
    assert any(p.startswith(expected) for p in problems(change)), problems(change)


def test_not_a_table_at_all() -> None:
    for data in ([], "competition", 7, None):
        with pytest.raises(CompetitionFileError) as info:
            load_competition(data)
        assert info.value.problems[0].startswith("expected a table of fields, found ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["programs"].append(copy.deepcopy(prog0(d))),
            "programs[p] id 'p' is used twice (items #1 and #2); ids must be unique",
        ),
        (
            lambda d: prog0(d)["competitors"].append({"bib": "1", "name": "Twin"}),
            "programs[p].competitors[1] bib '1' is used twice (items #1 and #4); ids must be unique",
        ),
        (
            lambda d: prog0(d)["competitors"].append({"bib": "9", "id": "p-2"}),
            "programs[p].competitors[9] id 'p-2' is used twice (also bib 2); ids must be unique",
        ),
        (
            lambda d: prog0(d)["criteria"].append(copy.deepcopy(prog0(d)["criteria"][0])),
            "programs[p].criteria[A] id 'A' is used twice (items #1 and #3); ids must be unique",
        ),
        (
            lambda d: prog0(d)["criteria"][1]["aspects"].append(
                {"id": "A1", "type": "time", "range": ["0", "1"], "counts": False}
            ),
            "programs[p].criteria[B].aspects[A1] id 'A1' is used twice "
            "(also programs[p].criteria[A].aspects[A1]); ids must be unique",
        ),
        (
            lambda d: prog0(d)["criteria"][1]["aspects"].append(
                {"id": "B1", "type": "time", "range": ["0", "1"], "counts": False}
            ),
            "programs[p].criteria[B].aspects[B1] id 'B1' is used twice (items #1 and #4); "
            "ids must be unique",
        ),
        (
            lambda d: d["judges"].append({"id": "J1"}),
            "judges[J1] id 'J1' is used twice (items #1 and #5); ids must be unique",
        ),
        (
            lambda d: d["delegations"].append({"code": "SY"}),
            "delegations[SY] code 'SY' is used twice (items #1 and #5); ids must be unique",
        ),
    ],
)
def test_a_duplicate_id_is_one_message(
    change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    """One message naming the id and both places; the later item is left out, so nothing
    in it is reported again (its aspects are not duplicates too)."""
    assert only(change) == expected


def test_unknown_delegation() -> None:
    msg = only(lambda d: prog0(d)["competitors"][0].update(delegation="XX"))
    assert (
        msg
        == "programs[p].competitors[1].delegation 'XX' is not a delegation of the competition; add it to delegations"
    )
    msg = only(lambda d: d["judges"][0].update(delegation="XX"))
    assert msg == "judges[J1].delegation 'XX' is not a delegation of the competition"


def test_judge_assignments_must_name_real_programs_criteria_and_aspects() -> None:
    assert only(lambda d: d["judges"][0].update(assignments=[{"program": "zz"}])) == (
        "judges[J1].assignments[0].program 'zz' is not a program of the competition"
    )
    assert only(
        lambda d: d["judges"][0].update(assignments=[{"program": "p", "criteria": ["Q"]}])
    ) == ("judges[J1].assignments[0].criteria 'Q' is not a criterion of p")
    assert only(
        lambda d: d["judges"][0].update(assignments=[{"program": "p", "aspects": ["Q1"]}])
    ) == ("judges[J1].assignments[0].aspects 'Q1' is not an aspect of p")
    assert only(lambda d: d["judges"][0].update(assignments=[{"criteria": ["A"]}])) == (
        "judges[J1].assignments[0].program is missing; add it"
    )


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (
            ["shoesize desc"],
            "programs[p].ranking.keys[0] key 'shoesize' is unknown; use total, standardised",
        ),
        (["best desc"], "programs[p].ranking.keys[0] key 'best' is unknown"),
        (["total up"], 'programs[p].ranking.keys[0] direction \'up\' must be "asc" or "desc"'),
        (
            ["criterion:Q desc"],
            "programs[p].ranking.keys[0] criterion 'Q' is not in this program; known: A, B",
        ),
        (
            ["component:x"],
            "programs[p].ranking.keys[0] component 'x' is not in this program; known: practical, theory",
        ),
        (["aspect:B9 asc"], "programs[p].ranking.keys[0] aspect 'B9' is not in this program"),
        (
            ["total desc now"],
            "programs[p].ranking.keys[0] is 'total desc now'; write a key and a direction",
        ),
        ([7], "programs[p].ranking.keys[0] is 7; write a key and a direction"),
    ],
)
def test_bad_ranking_keys(keys: list[Any], expected: str) -> None:
    msg = only(lambda d: prog0(d)["ranking"].update(keys=keys))
    assert msg.startswith(expected), msg


def test_ranking_by_standardised_needs_a_table() -> None:
    def change(d: dict[str, Any]) -> None:
        del prog0(d)["standardisation"]
        prog0(d)["ranking"]["keys"] = ["standardised desc"]
        prog0(d)["awards"].pop()

    assert (
        only(change)
        == "programs[p].ranking.keys[0] ranks by standardised, but the program has no standardisation table"
    )


def test_weights_must_sum_to_one() -> None:
    msg = only(lambda d: prog0(d)["components"][0].update(weight="0.4"))
    assert msg == "programs[p].components weights sum to 1.1000; they must sum to 1"


def test_component_problems() -> None:
    assert (
        "programs[p].components[theory].criteria criterion 'Q' is not in this program"
        in problems(lambda d: prog0(d)["components"][0].update(criteria=["Q"]))
    )
    assert only(lambda d: prog0(d)["components"][0].update(max="0")) == (
        "programs[p].components[theory].max is 0.00; a component's maximum must be greater than 0"
    )


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        (
            {"id": "A1", "max": "10.00"},
            "programs[p].criteria[A].aspects[A1].type is missing; use one of measurement",
        ),
        (
            {"id": "A1", "type": "vibes", "max": "10.00"},
            "programs[p].criteria[A].aspects[A1].type is 'vibes'; use one of",
        ),
        (
            {"id": "A1", "type": "judgement"},
            "programs[p].criteria[A].aspects[A1].max is missing; a judgement aspect needs the points it is worth",
        ),
        (
            {"type": "measurement", "max": "10.00"},
            "programs[p].criteria[A].aspects[#1].id is missing; add it",
        ),
        (
            {"id": "A1", "type": "score", "max": "10.00"},
            'programs[p].criteria[A].aspects[A1].range is missing; give the marks a judge may enter, like range = ["0", "10"]',
        ),
        (
            {"id": "A1", "type": "deduction", "max": "10.00"},
            "programs[p].criteria[A].aspects[A1].per_error is missing; say what one error or count is worth",
        ),
        (
            {"id": "A1", "type": "banded", "max": "10.00"},
            "programs[p].criteria[A].aspects[A1].bands is missing; list tolerance bands",
        ),
        (
            {
                "id": "A1",
                "type": "score",
                "max": "10.00",
                "range": ["0", "10"],
                "panel": 3,
                "aggregation": "trimmed",
                "trim": 2,
            },
            "programs[p].criteria[A].aspects[A1].trim drops 4 of 3 marks; a panel of 3 needs trim < 1.5",
        ),
        (
            {
                "id": "A1",
                "type": "score",
                "max": "10.00",
                "range": ["0", "10"],
                "panel": 3,
                "aggregation": "single",
            },
            "programs[p].criteria[A].aspects[A1].aggregation single needs panel = 1",
        ),
        (
            {
                "id": "A1",
                "type": "score",
                "max": "10.00",
                "range": ["0", "10"],
                "aggregation": "mode",
            },
            "programs[p].criteria[A].aspects[A1].aggregation is 'mode'; use one of 'mean', 'median', 'trimmed'",
        ),
        (
            {"id": "A1", "type": "judgement", "max": "10.00", "agreement": {"action": "mean"}},
            'programs[p].criteria[A].aspects[A1].agreement.tolerance is missing; write a number like "20.00"',
        ),
    ],
)
def test_aspect_problems(new: dict[str, Any], expected: str) -> None:
    def change(d: dict[str, Any]) -> None:
        prog0(d)["criteria"][0]["aspects"][0] = new

    assert any(p.startswith(expected) for p in problems(change)), problems(change)


def test_rounds_must_be_declared() -> None:
    assert only(lambda d: prog0(d)["criteria"][0].update(round="final")) == (
        "programs[p].criteria[A].round 'final' is not in the program's rounds []; add it there"
    )
    assert only(lambda d: prog0(d).update(rounds=["final"], standing_rounds=["semi"])) == (
        "programs[p].standing_rounds 'semi' is not one of the rounds ['final']"
    )


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            {"type": "raffle", "awards": ["car"]},
            "programs[p].awards[2].type is 'raffle'; use one of medals, bands",
        ),
        (
            {"type": "medals"},
            'programs[p].awards[2].awards is missing; name the award(s), like awards = ["gold"',
        ),
        (
            {"type": "threshold", "awards": ["m"]},
            'programs[p].awards[2].min is missing; write a number like "20.00"',
        ),
        (
            {"type": "threshold", "awards": ["m"], "min": "1", "key": "criterion:Q"},
            "programs[p].awards[2].key criterion 'Q' is not in this program",
        ),
        ({"type": "fraction", "awards": ["f"]}, "programs[p].awards[2].fraction is missing"),
        (
            {"type": "title", "awards": ["t"], "top": 3},
            'programs[p].awards[2] a title needs top = N and eligible = "TAG"',
        ),
        (
            {"type": "bands", "awards": ["1", "2"], "percents": ["10"]},
            "programs[p].awards[2].percents gives 1 percentages for 2 awards",
        ),
        (
            {"type": "bands", "awards": ["1"], "percents": ["ten"]},
            "programs[p].awards[2].percents[0] 'ten' is not a number",
        ),
        (
            {"type": "counts", "awards": ["1", "2"], "counts": [1, "x"]},
            "programs[p].awards[2].counts[1] must be a whole number of at least 0, found 'x'",
        ),
        (
            {"type": "counts", "awards": ["1"], "counts": [-1]},
            "programs[p].awards[2].counts[0] must be a whole number",
        ),
    ],
)
def test_award_problems(rule: dict[str, Any], expected: str) -> None:
    assert any(
        p.startswith(expected) for p in problems(lambda d: prog0(d)["awards"].append(rule))
    ), problems(lambda d: prog0(d)["awards"].append(rule))


def test_every_problem_is_reported_at_once() -> None:
    def change(d: dict[str, Any]) -> None:
        aspect(d, 1, 1)["max"] = "10.00"
        prog0(d)["colour"] = "red"
        d["judges"][0]["assignments"] = [{"program": "zz"}]
        prog0(d)["competitors"][0]["delegation"] = "XX"

    found = problems(change)
    assert len(found) == 4
    assert {p.split(" ")[0] for p in found} == {
        "programs[p].criteria[B].aspects",
        "programs[p].colour",
        "judges[J1].assignments[0].program",
        "programs[p].competitors[1].delegation",
    }


def test_numbers_may_be_written_as_json_numbers() -> None:
    data = valid()
    aspect(data)["max"] = 10.0
    aspect(data, 0, 1)["max"] = 10
    load_competition(data)


# -- fuzzing: only CompetitionFileError, or a competition that can be scored --------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(
        [
            "0",
            "1",
            "2.5",
            "-1",
            "1e999",
            "NaN",
            "Infinity",
            "A",
            "A1",
            "p",
            "SY",
            "total desc",
            "judgement",
            "score",
            "trimmed",
            "gold",
            "live",
            "chief",
        ]
    ),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.text(max_size=8)
            | st.sampled_from(
                ["id", "type", "max", "range", "panel", "criteria", "aspects", "program"]
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


def load_or_refuse(data: Any) -> None:
    try:
        comp = load_competition(data)
    except CompetitionFileError as e:
        assert e.problems and all(isinstance(p, str) and p for p in e.problems)
        return
    assert isinstance(comp, Competition)
    Scoreboard(comp)  # a file that loads can be scored


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk)
def test_fuzz_random_data(data: Any) -> None:
    load_or_refuse(data)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


VALID_PATHS = paths(valid())


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(VALID_PATHS[1:]), st.sampled_from(["replace", "delete", "add"]), junk
        ),
        min_size=1,
        max_size=3,
    )
)
def test_fuzz_mutated_valid_file(changes: list[tuple[tuple[Any, ...], str, Any]]) -> None:
    data = valid()
    for path, how, value in changes:
        parent: Any = data
        try:
            for step in path[:-1]:
                parent = parent[step]
            if how == "replace":
                parent[path[-1]] = value
            elif how == "delete":
                del parent[path[-1]]
            elif isinstance(parent, dict):
                parent[f"x{len(parent)}"] = value
            elif isinstance(parent, list):
                parent.append(value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed this path
    load_or_refuse(data)


# -- what can never be marked is refused (issue 11) ------------------------------------------


def test_a_panel_larger_than_the_judges_assigned_to_it() -> None:
    def change(d: dict[str, Any]) -> None:
        for j in d["judges"][:2]:  # J1 and J2 mark criterion B only: A1 has J3 and the chief
            j["assignments"] = [{"program": "p", "criteria": ["B"]}]

    assert only(change) == (
        "programs[p].criteria[A].aspects[A1].panel is 3, but only 2 judges are assigned to "
        "aspect A1 of p (J3, C): it can never be marked; assign more judges or lower the panel"
    )
    assert only(lambda d: aspect(d, 1, 0).update(panel=5)) == (
        "programs[p].criteria[B].aspects[B1].panel is 5, but only 4 judges are assigned to "
        "aspect B1 of p (J1, J2, J3, C): it can never be marked; assign more judges or lower "
        "the panel"
    )
    # a program nobody is assigned to yet is not staffed yet, not unmarkable: it loads, so that
    # an organizer can import the marking scheme before the judges (scorecast import)
    unstaffed = valid()
    unstaffed["judges"] = []
    assert load_competition(unstaffed).programs["p"].id == "p"


def one_judge_per_delegation(d: dict[str, Any]) -> None:
    """J1 from SY, J2 from DL, J3 from BJ; the chief marks nothing (the issue's example)."""
    for j, code in zip(d["judges"], ("SY", "DL", "BJ"), strict=False):
        j["delegation"] = code
    d["judges"][3]["assignments"] = [{"program": "p", "aspects": []}]


def test_a_competitor_whom_too_few_judges_may_mark_under_conflict_of_interest() -> None:
    found = problems(one_judge_per_delegation)
    assert found == [
        "programs[p].competitors[1] (from SY) can never be marked on aspects A1, B1 of p: "
        "under conflict of interest only 2 judges are free to mark a competitor from SY "
        "(J2, J3), and the panel of A1 is 3; assign a judge of another delegation, or set "
        "conflict_of_interest = false",
        "programs[p].competitors[2] (from DL) can never be marked on aspects A1, B1 of p: "
        "under conflict of interest only 2 judges are free to mark a competitor from DL "
        "(J1, J3), and the panel of A1 is 3; assign a judge of another delegation, or set "
        "conflict_of_interest = false",
        "programs[p].competitors[3] (from SY) can never be marked on aspects A1, B1 of p: "
        "under conflict of interest only 2 judges are free to mark a competitor from SY "
        "(J2, J3), and the panel of A1 is 3; assign a judge of another delegation, or set "
        "conflict_of_interest = false",
    ]

    def no_conflicts(d: dict[str, Any]) -> None:
        one_judge_per_delegation(d)
        prog0(d)["conflict_of_interest"] = False

    def a_fourth_judge(d: dict[str, Any]) -> None:
        one_judge_per_delegation(d)
        d["judges"].append({"id": "J4", "delegation": "SH", "assignments": [{"program": "p"}]})

    for fixed in (no_conflicts, a_fourth_judge):
        data = valid()
        fixed(data)
        load_competition(data)


def test_a_step_that_cannot_reach_the_maximum() -> None:
    def step(value: str, rng: list[str]) -> Callable[[dict[str, Any]], None]:
        return lambda d: aspect(d, 1, 2).update(step=value, range=rng)

    assert only(step("0.3", ["0", "100"])) == (
        "programs[p].criteria[B].aspects[B3].step 0.3 never reaches the maximum 100 from 0: "
        "use a step that divides 100"
    )
    data = valid()
    step("0.25", ["0.5", "10"])(data)  # 9.5 is 38 steps of 0.25
    load_competition(data)
    assert only(lambda d: aspect(d, 1, 2).update(range=["0", "10.005"])) == (
        "programs[p].criteria[B].aspects[B3].range ends on 10.005, which steps of 0.01 from 0 "
        "never reach: give the step, or end the range on a step"
    )


def test_locations_name_ids_and_lead_into_the_data() -> None:
    data = valid()
    data["programs"][0]["id"] = "welding"
    data["programs"][0]["competitors"][1]["bib"] = "07"
    data["programs"][0]["competitors"][1]["status"] = "gone"
    for j in data["judges"]:
        j["assignments"] = [{"program": "welding"}]
    with pytest.raises(CompetitionFileError) as info:
        load_competition(data)
    (msg,) = info.value.problems
    assert msg.startswith("programs[welding].competitors[07].status is 'gone'")
    assert locate(data, msg) == ("programs", 0, "competitors", 1, "status")
    assert locate(data, "programs[welding].criteria[B].aspects[B3].range") == (
        "programs",
        0,
        "criteria",
        1,
        "aspects",
        2,
        "range",
    )
    # as far as the data goes: B3 has no step
    assert locate(data, "programs[welding].criteria[B].aspects[B3].step is wrong") == (
        "programs",
        0,
        "criteria",
        1,
        "aspects",
        2,
    )
    assert locate(data, "programs[welding].awards[1].key") == ("programs", 0, "awards", 1, "key")
    assert locate(data, "programs[#1].competitors[#2]") == ("programs", 0, "competitors", 1)
    assert locate(data, "programs[nope].places") == ("programs",)


def test_a_judge_of_both_layers_under_conflict_of_interest_is_refused() -> None:
    """Two-layer anonymity (issue 15): a judge from DL who marks both layers may not mark DL's
    competitor on either, so the two codes refused them are that competitor's workstation
    number and second code, paired before decryption (review rev5 saw it through a hub). The
    file is refused; a judge of one layer, or of a delegation with no competitor here, is not."""
    from tests.anonymity_kit import anonymous_competition

    def data(delegation: str, both: bool = True, coi: bool = True) -> dict[str, Any]:
        d = anonymous_competition()
        d["programs"][0]["conflict_of_interest"] = coi
        assigned = {"program": "weld"} if both else {"program": "weld", "criteria": ["B"]}
        d["judges"].append({"id": "weld-both", "delegation": delegation, "assignments": [assigned]})
        return d

    with pytest.raises(CompetitionFileError) as info:
        load_competition(data("DL"))
    assert info.value.problems == [
        "judges[weld-both].assignments give weld-both (from DL) aspects of both layers of weld, "
        "which is marked anonymously in two layers under conflict of interest: the workstation "
        "number and the second code of a competitor from DL, which weld-both may not mark, would "
        "be the two codes refused, and pair them before decryption; assign each judge the "
        "aspects of one layer (or set conflict_of_interest = false)"
    ]
    for fine in (data("HLD"), data("DL", both=False), data("DL", coi=False)):
        load_competition(fine)
