"""What a judge's list of codes says of conflict of interest on an anonymous program (issue 15).

``weld-sy`` (delegation SY) may not mark SY's two competitors. A list of codes to mark that
skipped theirs (a gap in the codes, a gap in the marking order) would name SY's codes; every
code of the judge's layer is listed, in the marking order without a gap, the ones not theirs in
``others`` ("assigned to other judges") with no reason, and marking one is refused in the same
words. What remains inferable (every other code is theirs) is in docs/competition-format.md.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.anonymity_kit import anonymous_competition, draw, leaks
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import step


async def test_a_judge_lists_every_code_those_of_others_without_a_reason(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", anonymous_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        ws = {r["id"]: f"{r['workstation']:02d}" for r in d["rows"]}
        sy = sorted(ws[r["id"]] for r in d["rows"] if r["delegation"] == "SY")
        assert len(sy) == 2
        r = httpx.get(
            f"{hub.http}/judge/api/me",
            headers={"Authorization": f"Bearer {hub.tokens['weld-sy']}"},
        )
        assert r.status_code == 200, r.text
        me = r.json()["programs"]["weld"]
        listed = [c["id"] for c in me["competitors"]]
        assert sorted(listed) == sorted(ws.values())  # SY's codes are listed too
        assert [c["order"] for c in me["competitors"]] == list(range(1, 7))  # no gap
        by_order = [ws[r["id"]] for r in sorted(d["rows"], key=lambda r: r["order"])]
        assert listed == by_order
        assert me["others"] == sy and me["conflicts"] == []
        c = await judge(hub, "weld-sy")
        refused = await step(c, "mark", program="weld", competitor=sy[0], aspect="A1", value="2")
        assert refused["code"] == "conflict_of_interest"
        assert refused["message"] == "this code is assigned to other judges; leave it to them"
        assert leaks([r.json(), *c.frames], d, "workstation", "SY") == []
    finally:
        hub.stop()
