"""The overview's medal table and overall best, kept event by event (board/tallies.py), equal
a recomputation from every program's standings after every event (issue 11, issue 17); the
public medal table counts final results only, and the programs in 公示 it does not count yet
(issue 14), through random walks of the lifecycle too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoreboard import MarkSubmitted, Scoreboard, VisibilityChanged, load_competition
from scoreboard.awards import medal_table
from scoreboard.events import Event
from scoreboard.lifecycle.events import (
    Finalised,
    GateOverridden,
    OverrideConfirmed,
    StageChanged,
)
from scoreboard.model import Lifecycle, Visibility
from scoreboard.numbers import fmt
from tests.scoreboard.comp_builders import competition, mark, program
from tests.scoreboard.test_properties import (
    EVENTS,
    SETTINGS,
    START,
    _mark,
    _status,
    _visibility,
    _withdraw,
    build,
    run,
)


def full_medal_table(sb: Scoreboard, audience: str) -> list[dict[str, Any]]:
    """The medal table counted from scratch: each medal under the column at its position in
    its program's medal rule."""
    names: tuple[str, ...] = ()
    for st_ in sb.programs.values():
        if len(st_.program.medal_names()) > len(names):
            names = st_.program.medal_names()
    won = []
    for st_ in sb.programs.values():
        final = st_.visibility is Visibility.PUBLISHED and st_.lifecycle.stage is Lifecycle.FINAL
        if audience == "public" and not final:
            continue
        medal_names = st_.program.medal_names()
        for cid, s in st_.standings.items():
            deleg = st_.program.competitors[cid].delegation
            if s.award in medal_names and deleg is not None:
                won.append((deleg, names[medal_names.index(s.award)]))
    comp = sb.competition
    return [
        {
            "delegation": r.delegation,
            "rank": r.rank,
            "medals": dict(zip(names, r.counts, strict=True)),
            "points": r.points,
            "total": sum(r.counts),
        }
        for r in medal_table(names, won, comp.delegations, comp.medal_points)
    ]


def full_overall_best(sb: Scoreboard, audience: str) -> list[dict[str, Any]]:
    """The best standardised score over the programs the audience sees, every tied winner,
    in program order."""
    scores = []
    for pid, st_ in sb.programs.items():
        rule = st_.program.standardisation
        if rule is None or (audience == "public" and st_.visibility is not Visibility.PUBLISHED):
            continue
        for cid, s in sorted(st_.standings.items()):
            if s.standardised is not None:
                scores.append((s.standardised, pid, cid, rule.places))
    if not scores:
        return []
    top = max(v for v, *_ in scores)
    return [
        {
            "program": pid,
            "competitor": sb.programs[pid].program.competitors[cid].public(),
            "standardised": fmt(v, places),
        }
        for v, pid, cid, places in scores
        if v == top
    ]


def in_publication(sb: Scoreboard, audience: str) -> int:
    """The programs in 公示 the audience's medal table does not count (the jury's counts all)."""
    if audience == "jury":
        return 0
    return sum(st_.lifecycle.stage is Lifecycle.PUBLICATION for st_ in sb.programs.values())


def check_overview(sb: Scoreboard) -> None:
    for audience, channel in (("public", "overview"), ("jury", "overview:jury")):
        medals = full_medal_table(sb, audience)
        best = full_overall_best(sb, audience)
        assert sb.medal_table(audience) == medals
        assert sb.overall_best(audience) == best
        snap = sb.snapshot(channel)
        assert snap["medals"] == medals
        assert snap["overall_best"] == best
        assert snap["not_counted"] == in_publication(sb, audience)


@SETTINGS
@given(START, EVENTS)
def test_overview_equals_a_full_recount_after_every_event(start: str, events: list[Event]) -> None:
    sb = build(start)
    check_overview(sb)
    run(sb, events, lambda e, _: check_overview(sb))


SCORE = [{"id": "S", "type": "score", "range": ["0", "10"], "step": "1"}]


def many() -> Scoreboard:
    """Two standardised programs on different places (their winners can tie across them),
    one naming its medals otherwise and one with a fourth medal, medal points."""
    medals = {"type": "medals", "awards": ["gold", "silver", "bronze"]}
    comp = competition(
        program(
            "a",
            SCORE,
            n=4,
            standardisation={"centre": "10", "factor": "2", "spread": "sd", "places": 0},
            awards=[medals],
        ),
        program(
            "b",
            SCORE,
            n=4,
            standardisation={"centre": "10", "factor": "2", "spread": "mad", "places": 1},
            awards=[{"type": "medals", "awards": ["金牌", "银牌", "铜牌"]}],
        ),
        program(
            "c",
            SCORE,
            n=5,
            awards=[{"type": "medals", "awards": ["gold", "silver", "bronze", "4th"]}],
        ),
        medal_points=[4, 3, 2, 1],
    )
    comp["judges"].append({"id": "SUP", "role": "supervisor"})  # confirms the gates' overrides
    return Scoreboard(load_competition(comp))


def marked(sb: Scoreboard) -> None:
    """Every competitor of a, b and c marked: bib i scores 10 - i."""
    for p, n in (("a", 4), ("b", 4), ("c", 5)):
        for i in range(1, n + 1):
            sb.apply(mark(p, f"{p}-{i}", "S", "J1", str(10 - i)))


def _advance(pid: str, to: str) -> Callable[[int], list[Event]]:
    """The chief takes ``pid`` to the next stage past its gate (overridden with a reason and
    confirmed by a supervisor: the marks need not be complete), or the hub's clock makes
    it final, or the chief reopens marking from review; a step out of turn is refused."""

    def events(i: int) -> list[Event]:
        if to == "final":
            return [Finalised(f"e{i}f", pid, 10**13)]
        if to == "marking":
            return [StageChanged(f"e{i}r", pid, "marking", "C", i, reason="again")]
        return [
            GateOverridden(f"e{i}o", pid, to, "the sheets are signed", "C", i),
            OverrideConfirmed(f"e{i}c", pid, to, "SUP", i),
            StageChanged(f"e{i}s", pid, to, "C", i, seed=f"seed{i}", head="h"),
        ]

    return events


PIDS = st.sampled_from(["a", "b", "c"])
BIBS = st.integers(1, 5)
EVENT = st.one_of(
    *[
        st.builds(
            lambda p, b, v: _mark(p, f"{p}-{b}", "S", "J1", str(v)), PIDS, BIBS, st.integers(0, 10)
        )
    ]
    * 6,
    st.builds(lambda p, b: _withdraw(p, f"{p}-{b}", "S", "J1"), PIDS, BIBS),
    st.builds(
        lambda p, b, s: _status(p, f"{p}-{b}", s, "C"),
        PIDS,
        BIBS,
        st.sampled_from(["ok", "DNS", "DSQ"]),
    ),
    st.builds(
        lambda p, v: _visibility(p, v, "C"),
        PIDS,
        st.sampled_from(["live", "hidden", "frozen", "published"]),
    ),
)
MANY_EVENTS = st.lists(EVENT, max_size=50).map(lambda fs: [f(i) for i, f in enumerate(fs)])
STEP = st.one_of(
    EVENT.map(lambda f: lambda i: [f(i)]),
    st.builds(_advance, PIDS, st.sampled_from(["review", "publication", "final", "marking"])),
)
LIFE_EVENTS = st.lists(STEP, max_size=50).map(
    lambda fs: [e for i, f in enumerate(fs) for e in f(i)]
)


@SETTINGS
@given(MANY_EVENTS)
def test_overview_of_many_programs_equals_a_full_recount(events: list[Event]) -> None:
    sb = many()
    check_overview(sb)
    run(sb, events, lambda e, _: check_overview(sb))


@SETTINGS
@given(LIFE_EVENTS)
def test_overview_through_the_lifecycle_equals_a_full_recount(events: list[Event]) -> None:
    sb = many()
    marked(sb)  # medals in every program, before the walk takes some of them to final
    check_overview(sb)
    run(sb, events, lambda e, _: check_overview(sb))


def test_medals_named_otherwise_count_by_position() -> None:
    sb = many()
    for p, n in (("a", 4), ("b", 4), ("c", 5)):
        for i in range(1, n + 1):
            sb.apply(mark(p, f"{p}-{i}", "S", "J1", str(10 - i)))
        sb.apply(VisibilityChanged(f"v{p}", p, "published", "C", 1))
    table = {r["delegation"]: r for r in sb.snapshot("overview")["medals"]}
    # bibs 1 and 3 are SY, 2 and 4 DL: a's and b's gold and bronze to SY, their silver to DL;
    # c: gold, bronze and (bib 5) nothing more to SY, silver and 4th to DL
    assert table["SY"]["medals"] == {"gold": 3, "silver": 0, "bronze": 3, "4th": 0}
    assert table["DL"]["medals"] == {"gold": 0, "silver": 3, "bronze": 0, "4th": 1}
    assert (table["SY"]["points"], table["DL"]["points"]) == (18, 10)
    assert [r["delegation"] for r in sb.snapshot("overview")["medals"]][:2] == ["SY", "DL"]


def test_overall_best_ties_across_programs_in_program_order() -> None:
    sb = many()
    for p in ("b", "a"):  # b's best appears first; the overview still lists a first
        for i, v in enumerate(("10", "0", "5", "5"), start=1):
            sb.apply(MarkSubmitted(f"{p}{i}", p, f"{p}-{i}", "S", "J1", v, 1))
    best = sb.overall_best("jury")
    assert [b["program"] for b in best] == [b["program"] for b in full_overall_best(sb, "jury")]
    check_overview(sb)


def test_the_public_table_counts_final_results_and_names_those_in_publication() -> None:
    """A worked example: a final, b in 公示, c still marking. The public table counts a's
    medals only and says one program (b) is not counted yet; the jury's counts all three;
    once b is final it counts too, points (团体总分) with it."""
    sb = many()
    marked(sb)
    for e in (
        _advance("a", "review")(1) + _advance("a", "publication")(2) + _advance("a", "final")(3)
    ):
        sb.apply(e)
    for e in _advance("b", "review")(4) + _advance("b", "publication")(5):
        sb.apply(e)
    stages = {p: sb.programs[p].lifecycle.stage.value for p in "abc"}
    assert stages == {"a": "final", "b": "publication", "c": "marking"}
    public = {r["delegation"]: r for r in sb.snapshot("overview")["medals"]}
    jury = {r["delegation"]: r for r in sb.snapshot("overview:jury")["medals"]}
    # bibs 1 and 3 are SY, 2 and 4 DL: a's gold and bronze to SY, its silver to DL
    assert public["SY"]["medals"] == {"gold": 1, "silver": 0, "bronze": 1, "4th": 0}
    assert public["DL"]["medals"] == {"gold": 0, "silver": 1, "bronze": 0, "4th": 0}
    assert (public["SY"]["points"], public["DL"]["points"]) == (4 + 2, 3)
    assert sb.snapshot("overview")["not_counted"] == 1
    assert jury["SY"]["medals"] == {"gold": 3, "silver": 0, "bronze": 3, "4th": 0}
    assert sb.snapshot("overview:jury")["not_counted"] == 0
    for e in _advance("b", "final")(6):
        sb.apply(e)
    public = {r["delegation"]: r for r in sb.snapshot("overview")["medals"]}
    assert public["SY"]["medals"] == {"gold": 2, "silver": 0, "bronze": 2, "4th": 0}
    assert (public["SY"]["points"], public["DL"]["points"]) == (12, 6)
    assert sb.snapshot("overview")["not_counted"] == 0
    check_overview(sb)
