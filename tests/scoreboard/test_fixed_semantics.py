"""Worked examples for the fixed semantics of scoring.md §9.11-§9.16 (issue 11)."""

from __future__ import annotations

from tests.scoreboard.comp_builders import board, competitors, mark, order, program, rows


def test_guests_are_listed_after_every_ranked_competitor() -> None:
    """§9.11: a guest with the best total is still listed after the ranked field."""
    comps = competitors(3)
    comps[2]["guest"] = True
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "1000"]}],
            competitors=comps,
        )
    )
    for cid, v in (("p-1", "704"), ("p-2", "700"), ("p-3", "710")):
        sb.apply(mark("p", cid, "S", "J1", v))
    r = rows(sb)
    assert order(sb) == ["p-1", "p-2", "p-3"]
    assert (r["p-1"]["rank"], r["p-2"]["rank"], r["p-3"]["rank"]) == (1, 2, None)
    assert r["p-3"]["total"] == "710.00"


def test_guests_among_themselves_by_the_key_chain() -> None:
    comps = competitors(4)
    comps[2]["guest"] = True
    comps[3]["guest"] = True
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "1000"]}],
            competitors=comps,
        )
    )
    for cid, v in (("p-1", "5"), ("p-2", "7"), ("p-3", "6"), ("p-4", "9")):
        sb.apply(mark("p", cid, "S", "J1", v))
    assert order(sb) == ["p-2", "p-1", "p-4", "p-3"]
