"""Properties of the lifecycle under random procedures (hypothesis).

Random sequences of lifecycle steps by random people at random times: whatever is refused
changes nothing; the stage only moves along marking → review → 公示 → final (or back from
review to marking); final comes only after the window with no appeal open; appeals are taken
only inside the window; the review widens exactly when the error rate passed the threshold;
and replaying the accepted events gives the same boards (the ledger is the truth).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from scoreboard import EventRefused, Scoreboard
from scoreboard.events import Event, MarkSubmitted
from scoreboard.lifecycle.events import GateOverridden, OverrideConfirmed
from scoreboard.lifecycle.gates import ranked
from scoreboard.review import must_review_all
from tests.scoreboard.lifecycle_kit import (
    HOUR,
    AppealFiled,
    AppealRuled,
    Finalised,
    MarkCorrected,
    Reviewed,
    StageChanged,
    make,
    mark_all,
    sign_all,
)

N = 8
PEOPLE = ["C", "S", "R", "LSY", "LDL", "X", "J1", "J2", "hub"]
ORDER = {"marking": 0, "review": 1, "publication": 2, "final": 3}


def snapshot(sb: Scoreboard) -> dict[str, Any]:
    return {ch: (sb.version(ch), sb.snapshot(ch)) for ch in sb.channels()}


def step(data: st.DataObject, sb: Scoreboard, i: int, ts: int) -> Event:
    """One step: mostly the right person doing a step the state may take (so procedures get
    far), sometimes anyone doing anything."""
    lc = sb.programs["p"].lifecycle

    def one(options: list[Any]) -> Any:
        return data.draw(st.sampled_from(options))

    def by(right: str) -> str:
        return right if data.draw(st.integers(0, 9)) < 8 else str(one(PEOPLE))

    todo = [c for c in lc.members(ranked(sb.programs["p"])) if c not in lc.reviewed]
    cid = one(
        todo[:2] + [f"p-{k}" for k in range(1, N + 1)]
        if todo
        else [f"p-{k}" for k in range(1, N + 1)]
    )
    appeals = list(lc.appeals) or ["x0"]
    kind = data.draw(st.integers(0, 9))
    eid = f"x{i}"
    if kind == 0:
        nxt = {"marking": "review", "review": "publication"}.get(lc.stage.value, "final")
        stage = one([nxt, nxt, nxt, "review", "publication", "marking", "final"])
        return StageChanged(
            eid, "p", stage, by("C"), ts, seed=one(["s1", "s2", ""]), reason=one(["why", ""])
        )
    if kind == 1:
        return GateOverridden(
            eid, "p", one(["review", "publication"]), one(["ok", ""]), by("C"), ts
        )
    if kind == 2:
        return OverrideConfirmed(
            eid, "p", one(list(lc.pending) + ["review", "publication"]), by("S"), ts
        )
    if kind in (3, 4):
        return Reviewed(eid, "p", cid, by("R"), ts)
    if kind == 5:
        upheld = [a for a, x in lc.appeals.items() if x.ruling == "upheld"]
        appeal = one(upheld + [""]) if upheld else ""
        target = lc.appeals[appeal].competitor if appeal and one([True, False]) else cid
        return MarkCorrected(
            eid,
            "p",
            target,
            "A1",
            one(["J1", "J2"]),
            one(["0", "5", "10"]),
            "r",
            by("C" if appeal else "R"),
            ts,
            appeal=appeal,
        )
    if kind == 6:
        leader = by(one(["LSY", "LDL"]))
        own = [
            c
            for c, x in sb.programs["p"].program.competitors.items()
            if leader == f"L{x.delegation}"
        ]
        return AppealFiled(eid, "p", one(own[:2] + [cid]), "t", leader, ts)
    if kind == 7:
        return AppealRuled(eid, "p", one(appeals), one(["upheld", "dismissed"]), "r", by("X"), ts)
    if kind == 8:
        return Finalised(eid, "p", ts, author=by("hub"))
    return MarkSubmitted(eid, "p", cid, "A1", by("J1"), "4", ts)


@settings(max_examples=100, deadline=None)
@given(
    st.data(),
    st.sampled_from([True, True, True, False]),
    st.integers(0, 4),
    st.sampled_from(["0%", "25%", "100%"]),
    st.sampled_from(["0%", "20%"]),
)
def test_random_procedures_keep_the_lifecycle_rules(
    data: st.DataObject, complete: bool, top: int, share: str, threshold: str
) -> None:
    rules = {
        "review_top": top,
        "review_share": share,
        "error_threshold": threshold,
        "appeal_window": "1h",
    }
    sb = make(n=N, **rules)
    mark_all(sb, N, skip=() if complete else ((2, "J1"),))
    sign_all(sb, N)
    accepted: list[Event] = []
    lc = sb.programs["p"].lifecycle
    widened_when_due = True
    ts = 100
    for i in range(data.draw(st.integers(20, 120))):
        ts += data.draw(st.sampled_from([1, 1000, 60_000, HOUR // 4]))
        e = step(data, sb, i, ts)
        before = snapshot(sb)
        stage_before = sb.programs["p"].lifecycle.stage.value
        try:
            sb.apply(e)
        except EventRefused:
            assert snapshot(sb) == before
            continue
        accepted.append(e)
        lc = sb.programs["p"].lifecycle
        now = lc.stage.value
        assert ORDER[now] >= ORDER[stage_before] or (stage_before, now) == ("review", "marking")
        if isinstance(e, Finalised):
            assert stage_before == "publication" and lc.ends is not None and e.ts >= lc.ends
            assert not lc.open_appeals()
        if isinstance(e, AppealFiled):
            assert stage_before == "publication" and lc.ends is not None and e.ts < lc.ends
        if isinstance(e, StageChanged) and e.stage == "review":
            assert lc.review is not None
            field = ranked(sb.programs["p"])
            assert lc.review.top == tuple(field[:top])
            rest = len(field) - len(lc.review.top)
            assert len(lc.review.sample) == math.ceil(Fraction(share[:-1]) / 100 * rest)
        if isinstance(e, Reviewed):
            bad = len(lc.corrected & lc.reviewed.keys())
            if must_review_all(len(lc.reviewed), bad, Fraction(threshold[:-1]) / 100):
                widened_when_due = widened_when_due and lc.full_review
    assert widened_when_due
    # the ledger is the truth: the accepted events, replayed, give the same boards
    again = make(n=N, **rules)
    mark_all(again, N, skip=() if complete else ((2, "J1"),))
    sign_all(again, N)
    for e in accepted:
        again.apply(e)
    assert {ch: again.snapshot(ch) for ch in again.channels()} == {
        ch: sb.snapshot(ch) for ch in sb.channels()
    }
