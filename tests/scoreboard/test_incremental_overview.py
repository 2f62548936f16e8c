"""The overview's medal table and overall best, kept event by event (board/tallies.py), equal
a recomputation from every program's standings after every event (issue 11, issue 17)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoreboard import MarkSubmitted, Scoreboard, VisibilityChanged
from scoreboard.awards import medal_table
from scoreboard.events import Event
from scoreboard.model import Visibility
from scoreboard.numbers import fmt
from tests.scoreboard.comp_builders import board, mark, program
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
        if audience == "public" and st_.visibility is not Visibility.PUBLISHED:
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


def check_overview(sb: Scoreboard) -> None:
    for audience, channel in (("public", "overview"), ("jury", "overview:jury")):
        medals = full_medal_table(sb, audience)
        best = full_overall_best(sb, audience)
        assert sb.medal_table(audience) == medals
        assert sb.overall_best(audience) == best
        snap = sb.snapshot(channel)
        assert snap["medals"] == medals
        assert snap["overall_best"] == best


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
    return board(
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


@SETTINGS
@given(MANY_EVENTS)
def test_overview_of_many_programs_equals_a_full_recount(events: list[Event]) -> None:
    sb = many()
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
