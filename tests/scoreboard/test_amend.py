"""An amendment on a running board (issue 13) gives what a replay on the amended file gives.

Random event streams (those of test_properties), then one amendment of the kinds organizers
make at runtime: a corrected name, a new judge, a renamed program, a status set in the file, a
program added or a default visibility changed. The amended board must equal a fresh board that
replays the accepted events on the amended competition (every channel, every program state),
its deltas must bring a subscriber's snapshot to the new one, and an amendment that the new
definition refuses must change nothing, exactly when ``changes.invalidated`` says it breaks
accepted events.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoreboard import EventRefused, Scoreboard, apply_delta
from scoreboard.changes import invalidated
from scoreboard.events import Event
from scoreboard.kinds import Role, Status, Visibility
from scoreboard.model import Assignment, Competition, Judge
from tests.scoreboard.test_properties import EVENTS, SETTINGS, START, build, run, wire


def _competitor(c: Competition, pid: str, cid: str, **changes: Any) -> Competition:
    prog = c.programs[pid]
    comps = dict(prog.competitors)
    comps[cid] = replace(comps[cid], **changes)
    return replace(c, programs={**c.programs, pid: replace(prog, competitors=comps)})


def _program(c: Competition, pid: str, **changes: Any) -> Competition:
    return replace(c, programs={**c.programs, pid: replace(c.programs[pid], **changes)})


def _new_judge(c: Competition) -> Competition:
    j5 = Judge(
        "J5", {"zh": "新裁判", "en": "New judge"}, "SY", Role.JUDGE, (Assignment("r", None, None),)
    )
    return replace(c, judges={**c.judges, "J5": j5})


def _new_program(c: Competition) -> Competition:
    z = replace(c.programs["q"], id="z", name={"zh": "新项目", "en": "New program"})
    return replace(c, programs={**c.programs, "z": z})


AMENDMENTS = {
    "rename competitor": lambda c: _competitor(c, "p", "p-1", name={"zh": "改名", "en": "Renamed"}),
    "move delegation": lambda c: _competitor(c, "r", "r-2", delegation="SY"),
    "status in the file": lambda c: _competitor(c, "p", "p-2", status=Status.DNS),
    "new judge": _new_judge,
    "rename program": lambda c: _program(c, "q", name={"zh": "计时", "en": "Timed"}),
    "default visibility": lambda c: _program(c, "r", visibility=Visibility.HIDDEN),
    "new program": _new_program,
}


# the ticker announces results as they came: an amendment of what the file says a program or a
# competitor starts as cannot change which results were announced
HISTORY_BOUND = {"default visibility", "status in the file"}


def channels(sb: Scoreboard) -> dict[str, Any]:
    out = {}
    for ch in sb.channels():
        snap = wire(sb.snapshot(ch))
        snap.pop("version")
        out[ch] = snap
    return out


@SETTINGS
@given(START, EVENTS, st.sampled_from(sorted(AMENDMENTS)))
def test_an_amended_board_is_the_replay_on_the_amended_file(
    start: str, events: list[Event], kind: str
) -> None:
    sb = build(start)
    accepted = run(sb, events)
    old = sb.competition
    new = AMENDMENTS[kind](old)
    held = {ch: wire(sb.snapshot(ch)) for ch in sb.channels()}
    before = channels(sb)
    breaks = invalidated(old, new, list(enumerate(accepted, start=1)))
    try:
        updates = sb.amend(new)
    except EventRefused:
        assert breaks, "the board refused an amendment that breaks no accepted event"
        assert channels(sb) == before and sb.competition is old
        return
    assert not breaks, f"the board took an amendment that breaks accepted events: {breaks}"
    fresh = Scoreboard(new)
    fresh.replay(accepted)
    ours, theirs = channels(sb), channels(fresh)
    for pid, state in sb.programs.items():
        state.changed_standings = fresh.programs[pid].changed_standings = set()  # transient
        public = f"program:{pid}"
        if state.visibility is Visibility.FROZEN and public in before:
            # results as they were frozen, competitors as amended
            comps = state.program.competitors
            shown = ours.pop(public)["rows"]
            then = [r for r in before[public]["rows"] if r["competitor"]["id"] in comps]
            assert [r["competitor"] for r in shown] == [
                wire(comps[r["competitor"]["id"]].public()) for r in then
            ]
            assert [r["total"] for r in shown] == [r["total"] for r in then]
            theirs.pop(public)
    if kind in HISTORY_BOUND:  # which marks were announced depended on the file then
        shown = ours.pop("ticker")["rows"]
        theirs.pop("ticker")
        assert all(sb.programs[r["program"]].visibility is not Visibility.HIDDEN for r in shown)
    assert ours == theirs
    assert sb.programs == fresh.programs
    for u in updates:  # a subscriber follows the amendment with ordinary deltas
        delta = wire(u.delta)
        if u.channel not in held:
            continue  # a new program's channel: subscribers start from its snapshot
        assert delta["from"] == held[u.channel]["version"]
        held[u.channel] = apply_delta(held[u.channel], delta)
    for ch in sb.channels():
        if ch in held:
            assert held[ch] == wire(sb.snapshot(ch)), ch


def test_a_corrected_name_reaches_the_public_board_as_one_delta() -> None:
    sb = build("live")
    new = AMENDMENTS["rename competitor"](sb.competition)
    updates = [u for u in sb.amend(new) if u.channel == "program:p"]
    assert len(updates) == 1
    [row] = updates[0].delta["rows"]
    assert row["competitor"]["name"] == {"zh": "改名", "en": "Renamed"}
    assert sb.snapshot("program:p")["rows"][0]["competitor"]["id"] in {"p-1", "p-2", "p-3"}
