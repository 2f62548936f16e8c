"""Properties of the scoreboard over random event streams (hypothesis).

- the same marks in any order give the same leaderboards;
- replaying the accepted events into a fresh Scoreboard gives identical snapshots;
- on every channel, previous snapshot + delta == next snapshot (and versions grow by one);
- ranks obey the tie mode;
- a hidden program leaks no score, rank or award on its public channel;
- a frozen public board keeps its results;
- a refused event changes no snapshot and no version.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoreboard import (
    EventRefused,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    Scoreboard,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
    apply_delta,
    load_competition,
)
from scoreboard.events import Event
from tests.scoreboard.comp_builders import competition, competitors, program

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def wire(x: Any) -> Any:
    """What a subscriber receives: the JSON form (also proves snapshots and deltas encode)."""
    return json.loads(json.dumps(x))


SCHEME = [
    {
        "id": "A",
        "aspects": [
            {
                "id": "A1",
                "type": "judgement",
                "max": "2.00",
                "panel": 3,
                "agreement": {"tolerance": "1"},
            },
            {"id": "A2", "type": "measurement", "max": "0.50"},
        ],
    },
    {
        "id": "B",
        "aspects": [
            {
                "id": "B1",
                "type": "score",
                "range": ["0", "10"],
                "step": "0.5",
                "panel": 3,
                "aggregation": "trimmed",
                "trim": 1,
            },
            {"id": "S", "type": "score", "range": ["0", "10"], "step": "0.5"},
        ],
    },
]


def build(p_visibility: str = "live") -> Scoreboard:
    """Programs p (standardised, a guest), q (timed, dense ranks) and r (standard ranks: ranked
    incrementally; a competitor without a delegation)."""
    comps = competitors(5)
    comps[4]["guest"] = True
    p = program(
        criteria=[
            {
                "id": "A",
                "aspects": [
                    {
                        "id": "A1",
                        "type": "judgement",
                        "max": "2.00",
                        "panel": 3,
                        "agreement": {"tolerance": "1"},
                    },
                    {"id": "A2", "type": "measurement", "max": "0.50"},
                ],
            },
            {
                "id": "B",
                "aspects": [
                    {
                        "id": "B1",
                        "type": "score",
                        "range": ["0", "10"],
                        "step": "0.5",
                        "panel": 3,
                        "aggregation": "trimmed",
                        "trim": 1,
                    },
                    {"id": "S", "type": "score", "range": ["0", "10"], "step": "0.5"},
                ],
            },
        ],
        competitors=comps,
        visibility=p_visibility,
        standardisation={"centre": "500", "factor": "20", "spread": "sd", "places": 1},
        awards=[
            {"type": "medals", "awards": ["gold", "silver", "bronze"]},
            {"type": "fraction", "awards": ["excellence"], "fraction": "0.5"},
        ],
    )
    q = program(
        "q",
        aspects=[
            {"id": "S", "type": "time", "range": ["0", "600"], "step": "0.5"},
            {"id": "P", "type": "penalty", "per_unit": "2"},
        ],
        lower_is_better=True,
        ranking={"mode": "dense"},
        awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
        n=4,
    )
    r_comps = competitors(6)
    del r_comps[5]["delegation"]
    r = program(
        "r",
        criteria=SCHEME,
        competitors=r_comps,
        visibility=p_visibility,
        awards=[
            {"type": "medals", "awards": ["gold", "silver", "bronze"]},
            {"type": "threshold", "awards": ["medallion"], "key": "total", "min": "2"},
        ],
    )
    data = competition(p, q, r, judges=3)
    data["judges"].append(
        {
            "id": "J4",
            "delegation": "SY",
            "assignments": [{"program": "p"}, {"program": "q"}, {"program": "r"}],
        }
    )
    return Scoreboard(load_competition(data))


PROGRAMS = st.sampled_from(["p", "p", "r", "r", "q", "nope"])
COMPETITORS = st.sampled_from(
    ["p-1", "p-2", "p-3", "p-4", "p-5", "r-6", "q-1", "q-2", "q-3", "q-4", "x-9"]
)
ASPECTS = st.sampled_from(["A1", "A2", "B1", "S", "S", "P", "Z"])
JUDGES = st.sampled_from(["J1", "J2", "J3", "J1", "J2", "J3", "J4", "C", "JX"])
VALUES = st.sampled_from(
    ["0", "1", "2", "3", "2", "0.5", "5", "7.5", "10", "pass", "fail", "11", "abc", "2.25"]
)
AUTHORS = st.sampled_from(["C", "C", "C", "J1"])


def _fix(cid: str, pid: str) -> str:
    # mostly keep competitor ids in their own program, so most events are accepted
    return cid if cid == "x-9" else f"{pid}-{cid.split('-')[1]}"


def _mark(pid: str, cid: str, aid: str, judge: str, value: str) -> Callable[[int], Event]:
    return lambda i: MarkSubmitted(f"e{i}", pid, _fix(cid, pid), aid, judge, value, i)


def _withdraw(pid: str, cid: str, aid: str, judge: str) -> Callable[[int], Event]:
    return lambda i: MarkWithdrawn(f"e{i}", pid, _fix(cid, pid), aid, judge, i)


def _signoff(pid: str, cid: str, judge: str) -> Callable[[int], Event]:
    return lambda i: SignedOff(f"e{i}", pid, _fix(cid, pid), judge, i)


def _lock(pid: str, cid: str, author: str, criterion: str) -> Callable[[int], Event]:
    return lambda i: Locked(f"e{i}", pid, _fix(cid, pid), author, i, criterion)


def _unlock(pid: str, cid: str, author: str, reason: str, criterion: str) -> Callable[[int], Event]:
    return lambda i: Unlocked(f"e{i}", pid, _fix(cid, pid), author, i, reason, criterion)


def _status(pid: str, cid: str, status: str, author: str) -> Callable[[int], Event]:
    return lambda i: StatusChanged(f"e{i}", pid, _fix(cid, pid), status, author, i)


def _visibility(pid: str, value: str, author: str) -> Callable[[int], Event]:
    return lambda i: VisibilityChanged(f"e{i}", pid, value, author, i)


# marks that fit their program's scheme (most of the stream), then anything at all
FITTING = st.sampled_from(
    [("p", "A1", v) for v in ("0", "1", "2", "3")]
    + [("p", "A2", v) for v in ("pass", "fail")]
    + [("p", "B1", v) for v in ("5", "6.5", "7", "10")]
    + [("p", "S", v) for v in ("2", "2.5", "9")]
    + [("r", "A1", v) for v in ("0", "1", "2", "3")]
    + [("r", "A2", v) for v in ("pass", "fail")]
    + [("r", "B1", v) for v in ("5", "6.5", "7", "10")]
    + [("r", "S", v) for v in ("2", "2.5", "9")]
    + [("q", "S", v) for v in ("95", "100.5", "96")]
    + [("q", "P", v) for v in ("0", "1", "2")]
)
MARKERS = st.sampled_from(["J1", "J2", "J3", "J1", "J2", "J3", "J4"])
FOCUS = st.sampled_from(["p-1", "p-2", "p-3", "p-4", "p-5", "r-6"]) | st.sampled_from(
    ["p-1", "p-2", "p-3"]
)
FITTING_MARK = st.builds(lambda f, c, j: _mark(f[0], c, f[1], j, f[2]), FITTING, FOCUS, MARKERS)
CRITERIA = st.sampled_from(["", "", "A", "B", "Q"])
EVENT = st.one_of(
    FITTING_MARK,
    FITTING_MARK,
    FITTING_MARK,
    FITTING_MARK,
    FITTING_MARK,
    FITTING_MARK,
    FITTING_MARK,
    st.builds(_mark, PROGRAMS, COMPETITORS, ASPECTS, JUDGES, VALUES),
    st.builds(_withdraw, PROGRAMS, COMPETITORS, ASPECTS, JUDGES),
    st.builds(_signoff, PROGRAMS, COMPETITORS, JUDGES),
    st.builds(_lock, PROGRAMS, COMPETITORS, AUTHORS, CRITERIA),
    st.builds(
        _unlock, PROGRAMS, COMPETITORS, AUTHORS, st.sampled_from(["appeal", "", "appeal"]), CRITERIA
    ),
    st.builds(
        _status,
        PROGRAMS,
        COMPETITORS,
        st.sampled_from(["ok", "ok", "DNS", "DNF", "DSQ", "RET"]),
        AUTHORS,
    ),
    st.builds(
        _visibility,
        PROGRAMS,
        st.sampled_from(
            ["live", "frozen", "hidden", "live", "frozen", "hidden", "published", "gone"]
        ),
        AUTHORS,
    ),
)
PANEL_VALUES = {"A1": ["1", "2", "2", "3"], "B1": ["5", "6.5", "7", "10"]}
# a whole panel at once: J1, J2 and J3 mark one competitor on one aspect
PANEL = st.tuples(
    st.sampled_from(["p", "r"]),
    st.sampled_from(["A1", "B1"]),
    FOCUS,
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(0, 3),
).map(
    lambda t: [
        _mark(t[0], t[2], t[1], f"J{j}", PANEL_VALUES[t[1]][v])
        for j, v in enumerate(t[3:], start=1)
    ]
)
EVENTS = st.lists(EVENT.map(lambda f: [f]) | PANEL, max_size=40).map(
    lambda groups: [f(i) for i, f in enumerate(f for g in groups for f in g)]
)
START = st.sampled_from(["live", "frozen", "hidden"])


def everything(sb: Scoreboard) -> dict[str, Any]:
    return {ch: (sb.version(ch), wire(sb.snapshot(ch))) for ch in sb.channels()}


def run(
    sb: Scoreboard, events: list[Event], each: Callable[[Event, list[Any]], None] | None = None
) -> list[Event]:
    """Apply ``events``; a refused one must change nothing. Returns the accepted events."""
    accepted = []
    for e in events:
        before = everything(sb)
        try:
            sb.check(e)
            checked: str | None = None
        except EventRefused as err:
            checked = err.code
        try:
            updates = sb.apply(e)
        except EventRefused as err:
            assert checked == err.code  # check() and apply() agree
            assert everything(sb) == before
            continue
        assert checked is None
        accepted.append(e)
        if each is not None:
            each(e, updates)
    return accepted


# -- replay, deltas, refusals -----------------------------------------------------------


@SETTINGS
@given(START, EVENTS)
def test_replay_gives_identical_snapshots(start: str, events: list[Event]) -> None:
    sb = build(start)
    accepted = run(sb, events)
    fresh = build(start)
    fresh.replay(accepted)
    assert everything(fresh) == everything(sb)


@SETTINGS
@given(START, EVENTS)
def test_snapshot_plus_delta_is_the_next_snapshot(start: str, events: list[Event]) -> None:
    sb = build(start)
    first = {ch: wire(sb.snapshot(ch)) for ch in sb.channels()}
    held = dict(first)

    def each(_: Event, updates: list[Any]) -> None:
        seen = set()
        for u in updates:
            assert u.channel not in seen  # at most one delta per channel per event
            seen.add(u.channel)
            delta = wire(u.delta)
            assert delta["version"] == delta["from"] + 1 == held[u.channel]["version"] + 1
            held[u.channel] = apply_delta(held[u.channel], delta)
        for ch in sb.channels():
            assert held[ch] == wire(sb.snapshot(ch)), ch

    run(sb, events, each)
    for ch in sb.channels():  # a subscriber that held version 0 catches up from the history
        caught_up = first[ch]
        for d in sb.deltas_since(ch, 0) or []:
            caught_up = apply_delta(caught_up, wire(d))
        assert caught_up == wire(sb.snapshot(ch))


@SETTINGS
@given(START, EVENTS, EVENTS)
def test_refused_events_change_nothing(start: str, events: list[Event], more: list[Event]) -> None:
    # run() asserts it for every refused event; here, each refused event also comes after a varied state
    sb = build(start)
    run(sb, events + more)


# -- order independence --------------------------------------------------------------------

# At most one mark per (judge, competitor, aspect): a later mark by the same judge replaces the
# earlier. Single-value aspects (A2, S: one agreed value, the latest entered) get one judge only.
MARKED = [f"p-{i}" for i in range(1, 6)] + [f"r-{i}" for i in range(1, 7)]
MARK_CELLS = [(j, c, a) for j in ("J1", "J2", "J3") for c in MARKED for a in ("A1", "B1")] + [
    ("J1", c, a) for c in MARKED for a in ("A2", "S")
]
CELL_VALUES = {
    "A1": ["0", "1", "2", "3"],
    "A2": ["pass", "fail"],
    "B1": ["5", "6.5", "7", "10"],
    "S": ["2", "2.5", "9"],
}


@st.composite
def marks_in_two_orders(draw: st.DrawFn) -> tuple[list[Event], list[Event]]:
    cells = draw(st.lists(st.sampled_from(MARK_CELLS), unique=True, max_size=60))
    marks: list[Event] = [
        MarkSubmitted(f"m{i}", c[0], c, a, j, draw(st.sampled_from(CELL_VALUES[a])), i)
        for i, (j, c, a) in enumerate(cells)
    ]
    return marks, draw(st.permutations(marks))


def leaderboard(sb: Scoreboard, channel: str) -> Any:
    snap = wire(sb.snapshot(channel))
    del snap["version"]
    return snap


@SETTINGS
@given(marks_in_two_orders())
def test_same_marks_in_any_order_same_leaderboard(orders: tuple[list[Event], list[Event]]) -> None:
    one, other = build(), build()
    run(one, orders[0])
    run(other, orders[1])
    for ch in (
        "program:p",
        "program:p:jury",
        "program:r",
        "program:r:jury",
        "overview",
        "overview:jury",
    ):
        assert leaderboard(one, ch) == leaderboard(other, ch), ch


# -- ranks obey the tie mode ----------------------------------------------------------------


@st.composite
def fields(draw: st.DrawFn) -> tuple[str, list[str], list[tuple[str, int, str]]]:
    mode = draw(st.sampled_from(["standard", "dense", "ordinal", "unique"]))
    n = draw(st.integers(1, 9))
    kinds = draw(
        st.lists(
            st.sampled_from(["ok", "ok", "ok", "DNS", "guest", "nodelegation"]),
            min_size=n,
            max_size=n,
        )
    )
    action = st.one_of(
        st.tuples(
            st.just("mark"),
            st.integers(1, n),
            st.sampled_from(["70", "80", "80.004", "79.996", "85", "90"]),
        ),
        st.tuples(
            st.just("mark"), st.integers(1, n), st.sampled_from(["70", "80", "85", "90", "95"])
        ),
        st.tuples(st.just("withdraw"), st.integers(1, n), st.just("")),
        st.tuples(st.just("status"), st.integers(1, n), st.sampled_from(["ok", "DNF", "DSQ"])),
    )
    return mode, kinds, draw(st.lists(action, max_size=25))


def check_ranks(
    sb: Scoreboard, mode: str, pid: str = "p", threshold: Decimal | None = None
) -> None:
    """Ranks, medals (and a threshold award), statuses and best of delegation of a total-desc program."""
    rows = sb.snapshot(f"program:{pid}:jury")["rows"]
    ranked = [
        r
        for r in rows
        if r["status"] == "ok" and not r["competitor"].get("guest") and r["total"] is not None
    ]
    totals = [Decimal(r["total"]) for r in ranked]
    assert totals == sorted(totals, reverse=True)  # listed best first
    for r in rows:
        if r not in ranked:
            assert r["rank"] is None and r.get("award") is None and not r.get("best_of_delegation")
            if r["status"] != "ok":
                assert r["total"] is None
    # statuses come last, in the order DNS, DNF, DSQ
    order = {"ok": 0, "DNS": 1, "DNF": 2, "DSQ": 3}
    assert [order[r["status"]] for r in rows] == sorted(order[r["status"]] for r in rows)
    standard = [1 + sum(t > mine for t in totals) for mine in totals]
    tied = [totals.count(t) > 1 for t in totals]
    got = [r["rank"] for r in ranked]
    if mode == "standard":
        assert got == standard
    elif mode == "dense":
        assert got == [1 + len({t for t in totals if t > mine}) for mine in totals]
    elif mode == "ordinal":
        assert got == list(range(1, len(ranked) + 1))
    else:
        assert got == [None if t else s for s, t in zip(standard, tied, strict=True)]
        unresolved = sb.snapshot(f"program:{pid}:jury")["unresolved_ties"]
        assert sorted(cid for g in unresolved for cid in g) == sorted(
            r["competitor"]["id"] for r, t in zip(ranked, tied, strict=True) if t
        )
    # medals by standard rank (§9.16: by the rank shown in ordinal mode); none for an
    # unresolved tie
    medals = ["gold", "silver", "bronze"]
    by = got if mode == "ordinal" else standard
    for r, s, t, total in zip(ranked, by, tied, totals, strict=True):
        expected = None if (mode == "unique" and t) or s > 3 else medals[s - 1]
        if expected is None and threshold is not None and total >= threshold:
            expected = "medallion"
        assert r.get("award") == expected
    # best of delegation: the first listed of each delegation; nobody without a delegation
    firsts: dict[str, str] = {}
    for r in ranked:
        d = r["competitor"]["delegation"]
        if d is not None:
            firsts.setdefault(d, r["competitor"]["id"])
    assert {r["competitor"]["id"] for r in rows if r.get("best_of_delegation")} == set(
        firsts.values()
    )


@settings(max_examples=150, deadline=None)
@given(fields())
def test_ranks_obey_the_tie_mode(case: tuple[str, list[str], list[tuple[str, int, str]]]) -> None:
    mode, kinds, actions = case
    comps = competitors(len(kinds))
    for c, kind in zip(comps, kinds, strict=True):
        if kind == "guest":
            c["guest"] = True
        elif kind == "nodelegation":
            del c["delegation"]
        elif kind != "ok":
            c["status"] = kind
    prog = program(
        aspects=[{"id": "S", "type": "score", "range": ["0", "100"], "step": "0.001"}],
        competitors=comps,
        ranking={"mode": mode},
        awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
    )
    sb = Scoreboard(load_competition(competition(prog)))
    check_ranks(sb, mode)
    for i, (what, who, value) in enumerate(actions):
        cid = f"p-{who}"
        event: Event
        if what == "mark":
            event = MarkSubmitted(f"m{i}", "p", cid, "S", "J1", value, i)
        elif what == "withdraw":
            event = MarkWithdrawn(f"m{i}", "p", cid, "S", "J1", i)
        else:
            event = StatusChanged(f"m{i}", "p", cid, value, "C", i)
        run(sb, [event])
        check_ranks(sb, mode)


@SETTINGS
@given(START, EVENTS | st.deferred(lambda: R_EVENTS))
def test_ranks_and_awards_follow_the_rules_after_every_event(
    start: str, events: list[Event]
) -> None:
    sb = build(start)  # program r is ranked incrementally (standard ranks), p and q in full
    run(sb, events, lambda e, _: check_ranks(sb, "standard", "r", Decimal(2)))


R_COMPETITORS = st.sampled_from([f"r-{i}" for i in range(1, 7)])
R_SINGLE = st.sampled_from(
    [("S", v) for v in ("0", "2", "2.5", "9", "10")] + [("A2", v) for v in ("pass", "fail")]
)
R_EVENT = st.one_of(
    st.builds(
        lambda c, av, j: _mark("r", c, av[0], j, av[1]), R_COMPETITORS, R_SINGLE, st.just("J1")
    ),
    st.builds(
        lambda c, av, j: _mark("r", c, av[0], j, av[1]), R_COMPETITORS, R_SINGLE, st.just("J1")
    ),
    st.builds(
        lambda c, av, j: _mark("r", c, av[0], j, av[1]), R_COMPETITORS, R_SINGLE, st.just("J1")
    ),
    st.builds(
        _withdraw, st.just("r"), R_COMPETITORS, st.sampled_from(["S", "A2", "A1"]), st.just("J1")
    ),
    st.builds(
        _status,
        st.just("r"),
        R_COMPETITORS,
        st.sampled_from(["ok", "ok", "DNS", "DSQ"]),
        st.just("C"),
    ),
)
R_EVENTS = st.lists(R_EVENT.map(lambda f: [f]) | PANEL, max_size=40).map(
    lambda groups: [f(i) for i, f in enumerate(f for g in groups for f in g)]
)


@settings(max_examples=150, deadline=None)
@given(R_EVENTS)
def test_incremental_ranking_equals_the_full_ranking(events: list[Event]) -> None:
    from scoreboard.program import ProgramState

    sb = build()
    incremental = sb.programs["r"]
    assert incremental._incremental  # the optimisation this test checks
    full = ProgramState(sb.competition.programs["r"], sb.competition)
    full._incremental = False  # rank the whole field on every change

    def each(e: Event, _: list[Any]) -> None:
        if e.program != "r":
            return
        full.apply(e)
        assert incremental.order == full.order
        assert incremental.standings == full.standings
        assert incremental.unresolved == full.unresolved

    run(sb, events, each)


# -- nothing leaks from a hidden program; a frozen board keeps its results ------------------------

RESULT_KEYS = (
    "total",
    "rank",
    "award",
    "criteria",
    "standardised",
    "components",
    "rounds",
    "titles",
)


def leaks(row: dict[str, Any]) -> list[str]:
    return [k for k in RESULT_KEYS if row.get(k) not in (None, {}, [])] + (
        ["aspects"] if "aspects" in row else []
    )


@SETTINGS
@given(START, EVENTS)
def test_hidden_program_public_channel_leaks_nothing(start: str, events: list[Event]) -> None:
    sb = build(start)

    def hidden(pid: str) -> bool:
        return sb.programs[pid].visibility.value == "hidden"

    def check_now() -> None:
        for pid in sb.programs:
            if hidden(pid):
                snap = sb.snapshot(f"program:{pid}")
                assert snap["unresolved_ties"] == []
                for row in snap["rows"]:
                    assert not leaks(row), row
                assert not [row for row in sb.snapshot("ticker")["rows"] if row["program"] == pid]

    check_now()

    def each(e: Event, updates: list[Any]) -> None:
        pid = e.program
        for u in updates:
            if u.channel == f"program:{pid}" and hidden(pid):
                for row in u.delta["rows"]:
                    assert not leaks(row), row
                assert not u.delta.get("header", {}).get("unresolved_ties")
            if u.channel == "ticker":  # may take a hidden program's items off, never add one
                assert not [row for row in u.delta["rows"] if hidden(row["program"])], u.delta
            if u.channel == "overview":
                published = {p for p, s in sb.programs.items() if s.visibility.value == "published"}
                if not published:
                    assert all(
                        not any(m["medals"].values())
                        for m in u.delta.get("header", {}).get("medals", [])
                    )
        check_now()

    run(sb, events, each)


@SETTINGS
@given(EVENTS)
def test_frozen_public_board_keeps_its_results(events: list[Event]) -> None:
    sb = build()
    frozen_at: dict[str, Any] = {}

    def results(pid: str) -> dict[str, Any]:
        return {
            r["competitor"]["id"]: {k: r.get(k) for k in RESULT_KEYS}
            for r in sb.snapshot(f"program:{pid}")["rows"]
        }

    def each(e: Event, _: list[Any]) -> None:
        pid = e.program
        vis = sb.programs[pid].visibility.value
        if vis != "frozen":
            frozen_at.pop(pid, None)
            return
        if isinstance(e, VisibilityChanged) or pid not in frozen_at:
            frozen_at[pid] = results(pid)  # the moment of the freeze
        assert results(pid) == frozen_at[pid]
        jury = sb.snapshot(f"program:{pid}:jury")["rows"]
        public = {r["competitor"]["id"]: r for r in sb.snapshot(f"program:{pid}")["rows"]}
        for r in jury:  # a public row whose results moved on is marked pending
            cid = r["competitor"]["id"]
            moved = any(
                r.get(k) != public[cid].get(k)
                for k in ("total", "rank", "criteria", "standardised")
            )
            if moved:
                assert public[cid].get("pending") is True

    run(sb, events, each)


# -- any input from the wire: a clear refusal, never a crash ----------------------------------

FIELD_NAMES = st.sampled_from(
    [
        "id",
        "program",
        "competitor",
        "aspect",
        "judge",
        "value",
        "ts",
        "device",
        "kind",
        "author",
        "criterion",
        "reason",
        "visibility",
        "status",
        "extra",
    ]
)
WIRE_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(
        [
            "mark",
            "withdraw",
            "signoff",
            "lock",
            "unlock",
            "visibility",
            "status",
            "p",
            "q",
            "p-1",
            "A1",
            "S",
            "J1",
            "C",
            "2",
            "1e999999999",
            "-0",
            "7.5",
            "published",
            "hidden",
            "DSQ",
        ]
    ),
)
WIRE_KEYS = st.one_of(FIELD_NAMES, FIELD_NAMES, FIELD_NAMES, st.integers(), st.none())


@st.composite
def frames(draw: st.DrawFn) -> dict[Any, Any]:
    """An event's dict form with a few fields changed, dropped or added; or any dict at all."""
    from scoreboard import event_to_dict

    if draw(st.booleans()):
        return draw(st.dictionaries(WIRE_KEYS, WIRE_VALUES, max_size=10))
    frame: dict[Any, Any] = event_to_dict(draw(EVENT)(0))
    for key, value, drop in draw(
        st.lists(st.tuples(WIRE_KEYS, WIRE_VALUES, st.booleans()), max_size=3)
    ):
        if drop:
            frame.pop(key, None)
        else:
            frame[key] = value
    return frame


@settings(max_examples=150, deadline=None)
@given(st.lists(frames(), max_size=12))
def test_any_event_dict_is_refused_or_applied(batch: list[dict[Any, Any]]) -> None:
    from scoreboard import InvalidValue, event_from_dict

    sb = build()
    for frame in batch:
        try:
            event = event_from_dict(frame)
        except InvalidValue as err:
            assert err.code == "invalid_event"
            continue
        run(sb, [event])


# -- versions and history ------------------------------------------------------------------------


def test_delta_history_and_gaps() -> None:
    sb = Scoreboard(
        load_competition(
            competition(
                program(aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}], n=30)
            )
        ),
        history=4,
    )
    start = wire(sb.snapshot("ticker"))
    for i in range(1, 26):
        sb.apply(MarkSubmitted(f"m{i}", "p", f"p-{i}", "S", "J1", str(i), i))
    ticker = sb.snapshot("ticker")
    assert ticker["version"] == 25 and len(ticker["rows"]) == 20  # the latest 20 results
    assert ticker["rows"][0]["competitor"]["id"] == "p-25"
    assert sb.deltas_since("ticker", 25) == []
    assert sb.deltas_since("ticker", 0) is None  # fell off the history: send a snapshot
    assert sb.deltas_since("ticker", 26) is None  # from the future
    assert len(sb.deltas_since("ticker", 21) or []) == 4
    try:
        apply_delta(start, wire(sb.deltas_since("ticker", 21))[0])
    except ValueError as err:
        assert "does not apply to version 0" in str(err)
    else:
        raise AssertionError("a delta applied across a gap")
