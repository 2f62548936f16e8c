"""The public coded board's progress of a masked two-layer program (issue 15, review rev5).

``progress.complete`` on the public board counted competitors complete on every aspect, both
layers: a second-code judge who marked one work (K) first, then watched the public board while
the workstations were marked, saw the count move when exactly one workstation's first layer
was completed, the one behind K (its row changes then, with its criteria): the pair. The
public overview (``/api/v1/programs``: ``complete``, ``with_result``) joined the layers the
same way (the first A mark of K's workstation left ``with_result`` as it was). Both count the
first layer only now (the layer the public is shown), as the desk counts by layer.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.anonymity_kit import coded_competition, draw, typed
from tests.hubkit import HubProcess, judge
from tests.lifecycle_hub import ok


async def test_the_public_count_does_not_move_with_the_second_code(tmp_path: Path) -> None:
    hub = HubProcess(tmp_path / "hub", coded_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        rows = d["rows"]
        k1 = await judge(hub, "weld-k1")
        await ok(k1, "mark", program="weld", competitor=rows[2]["code"], aspect="B1", value="7")
        judges = {jid: await judge(hub, jid) for jid in ("weld-j1", "weld-j2", "weld-j3")}
        counts = []
        for i, r in enumerate(rows):  # each workstation's first layer completed in turn
            for jid, j in judges.items():
                await ok(j, "mark", program="weld", competitor=typed(jid, r), aspect="A1",
                         value=str(i % 4))  # fmt: skip
                if jid == "weld-j1":
                    await ok(j, "mark", program="weld", competitor=typed(jid, r), aspect="A2",
                             value="pass")  # fmt: skip
            board = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
            (summary,) = [p for p in httpx.get(f"{hub.http}/api/v1/programs").json()
                          if p["id"] == "weld"]  # fmt: skip
            counts.append((board["progress"]["complete"], summary["complete"],
                           summary["with_result"]))  # fmt: skip
        # one more each time: the same whether that workstation's second code was marked
        assert counts == [(n, n, n) for n in range(1, 7)], counts
        await ok(k1, "mark", program="weld", competitor=rows[3]["code"], aspect="B1", value="6")
        board = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()
        assert board["progress"]["complete"] == 6  # a second-code mark moves nothing public
    finally:
        hub.stop()


async def test_a_second_code_mark_changes_no_public_row(tmp_path: Path) -> None:
    """The public coded row showed a first-layer criterion once one of its aspects had a mark,
    but the board prints criteria only once the competitor has a result, and a pending mark
    changes no public row: a workstation with a pending A (one A1 mark of a panel of 3) showed
    no criteria until its second code's B1 made a result, and then ``A 0.00`` (with one such
    workstation, exactly the one behind K). A criterion shows once one of its aspects is
    complete now, with its value as marked: the second layer's marks change no public row."""
    hub = HubProcess(tmp_path / "hub", coded_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)
        j1, k1 = await judge(hub, "weld-j1"), await judge(hub, "weld-k1")
        rows = d["rows"]
        await ok(j1, "mark", program="weld", competitor=typed("weld-j1", rows[2]), aspect="A1",
                 value="2")  # fmt: skip

        def board() -> list[dict[str, object]]:
            r = httpx.get(f"{hub.http}/api/v1/programs/weld/leaderboard").json()["rows"]
            return r  # type: ignore[no-any-return]

        before = board()
        await ok(k1, "mark", program="weld", competitor=rows[2]["code"], aspect="B1",
                 value="7")  # fmt: skip
        assert board() == before
        for jid in ("weld-j2", "weld-j3"):  # the workstation's A1 complete: shown, as marked
            j = await judge(hub, jid)
            await ok(j, "mark", program="weld", competitor=typed(jid, rows[2]), aspect="A1",
                     value="2")  # fmt: skip
        ws = f"{rows[2]['workstation']:02d}"
        shown = {r["competitor"]["id"]: r for r in board()}  # type: ignore[index]
        assert list(shown[ws]["criteria"]) == ["A"], shown[ws]  # type: ignore[call-overload]
    finally:
        hub.stop()
