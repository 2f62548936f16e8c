"""A gate missing more items than it lists, on an anonymous program before decryption (issue 15).

The report lists at most ``LISTED`` (200) missing items of each kind. Cut in bib order and then
sorted by code, the listed set would tell the desk which codes belong to the first bibs; the
list is cut after it is sorted by the codes the reader sees (each aspect's layer's code on a
program shown in layers), so it is the first 200 items by code, whatever the bibs.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from scoreboard.lifecycle.gates import LISTED
from tests.anonymity_kit import anonymous_competition, draw
from tests.hubkit import DELEGATIONS, HubProcess

N = 80  # 240 missing marks (A1, A2, B1 each), more than LISTED


@pytest.mark.parametrize("two_layers", [False, True], ids=["one-layer", "two-layers"])
def test_the_missing_marks_are_cut_by_code_not_by_bib(tmp_path: Path, two_layers: bool) -> None:
    comp = anonymous_competition()
    weld = comp["programs"][0]
    weld["competitors"] = [
        {"bib": str(700 + i), "name": {"zh": f"焊工{700 + i}", "en": f"Welder {700 + i}"},
         "delegation": DELEGATIONS[i % 5]}
        for i in range(1, N + 1)
    ]  # fmt: skip
    if not two_layers:
        weld["criteria"][1].pop("anonymous_layer")
    hub = HubProcess(tmp_path / "hub", comp)
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        r = httpx.get(
            f"{hub.http}/judge/api/lifecycle/weld",
            headers={"Authorization": f"Bearer {hub.tokens['weld-chief']}"},
        )
        assert r.status_code == 200, r.text
        gate = r.json()["gate"]
        assert gate["counts"]["marks"] == 3 * N > LISTED
        every = []
        for row in d["rows"]:
            ws = f"{row['workstation']:02d}"
            every += [(ws, "A1"), (ws, "A2"), (row["code"] if two_layers else ws, "B1")]
        expected = sorted(every, key=lambda item: item[0])[:LISTED]  # stable: A1, A2, B1
        listed = [(m["competitor"], m["aspect"]) for m in gate["marks"]]
        assert listed == expected
    finally:
        hub.stop()
