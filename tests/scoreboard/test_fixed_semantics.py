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


def test_no_marks_at_all_is_provisional_and_listed_after_the_field_by_bib() -> None:
    """§9.12-13: a competitor with no result has no rank, comes after the ranked field and
    the guests, by bib, and is provisional."""
    comps = competitors(4)
    comps[3]["guest"] = True
    sb = board(
        program(aspects=[{"id": "S", "type": "score", "range": ["0", "10"]}], competitors=comps)
    )
    sb.apply(mark("p", "p-2", "S", "J1", "5"))
    sb.apply(mark("p", "p-4", "S", "J1", "9"))
    r = rows(sb)
    assert order(sb) == ["p-2", "p-4", "p-1", "p-3"]
    assert [r[c]["rank"] for c in ("p-2", "p-4", "p-1", "p-3")] == [1, None, None, None]
    assert r["p-1"]["provisional"] is True and r["p-3"]["provisional"] is True
    assert r["p-2"]["provisional"] is False


def test_a_pending_tie_break_aspect_that_does_not_count_keeps_the_row_provisional() -> None:
    """§9.13: the time kept only for the tie-break is still something the row needs."""
    sb = board(
        program(
            aspects=[
                {"id": "S", "type": "score", "range": ["0", "10"]},
                {"id": "T", "type": "time", "range": ["0", "600"], "counts": False},
            ],
            ranking={"keys": ["total desc", "aspect:T asc"]},
        )
    )
    for cid in ("p-1", "p-2"):
        sb.apply(mark("p", cid, "S", "J1", "7"))
    sb.apply(mark("p", "p-1", "T", "J1", "100.5"))
    r = rows(sb)
    assert r["p-1"]["provisional"] is False
    assert r["p-2"]["provisional"] is True
    assert r["p-1"]["total"] == r["p-2"]["total"] == "7.00"


def test_a_penalty_with_no_entry_is_no_penalty_and_never_pending() -> None:
    """§9.14: nobody has to enter 0 for the row to be complete."""
    sb = board(
        program(
            aspects=[
                {"id": "S", "type": "score", "range": ["0", "10"]},
                {"id": "P", "type": "penalty", "per_unit": "-1.00", "range": ["0", "5"]},
            ],
        )
    )
    sb.apply(mark("p", "p-1", "S", "J1", "8"))
    sb.apply(mark("p", "p-2", "S", "J1", "6"))
    sb.apply(mark("p", "p-2", "P", "J1", "1"))
    r = rows(sb)
    assert r["p-1"]["provisional"] is False and r["p-1"]["total"] == "8.00"
    assert r["p-2"]["provisional"] is False and r["p-2"]["total"] == "5.00"
    assert not r["p-1"].get("pending")


def test_a_penalty_is_not_rounded_on_its_own() -> None:
    """§9.14: a penalty of -0.25 at places 1 is subtracted exactly, then the total rounds:
    8.0 - 0.25 = 7.75 → 7.8 (rounding the penalty alone to -0.3 would print 7.7)."""
    sb = board(
        program(
            aspects=[
                {"id": "S", "type": "score", "range": ["0", "10"], "step": "0.1"},
                {"id": "P", "type": "penalty", "per_unit": "-0.25", "range": ["0", "5"]},
            ],
            places=1,
        )
    )
    sb.apply(mark("p", "p-1", "S", "J1", "8.0"))
    sb.apply(mark("p", "p-1", "P", "J1", "1"))
    assert rows(sb)["p-1"]["total"] == "7.8"


def test_a_missing_time_is_not_zero_seconds() -> None:
    """§9.15: in a timed program a competitor with one run of two has no total and ranks after
    every competitor with one, and takes no gold."""
    sb = board(
        program(
            aspects=[
                {"id": "R1", "type": "time", "range": ["0", "600"]},
                {"id": "R2", "type": "time", "range": ["0", "600"]},
            ],
            lower_is_better=True,
            awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
            n=3,
        )
    )
    for cid, a, b in (("p-1", "50.00", "51.00"), ("p-2", "49.00", "50.50")):
        sb.apply(mark("p", cid, "R1", "J1", a))
        sb.apply(mark("p", cid, "R2", "J1", b))
    sb.apply(mark("p", "p-3", "R1", "J1", "40.00"))
    r = rows(sb)
    assert order(sb) == ["p-2", "p-1", "p-3"]
    assert r["p-2"]["award"] == "gold" and r["p-1"]["award"] == "silver"
    assert r["p-3"]["award"] is None and r["p-3"]["total"] in (None, "")
    assert r["p-3"]["rank"] is None and r["p-3"]["provisional"] is True


def test_times_keep_their_measured_value() -> None:
    """§9.15: at places 0, 95.12 s and 95.40 s do not tie; each prints with its step's decimals."""
    sb = board(
        program(
            aspects=[{"id": "T", "type": "time", "range": ["0", "600"], "step": "0.01"}],
            lower_is_better=True,
            places=0,
        )
    )
    sb.apply(mark("p", "p-1", "T", "J1", "95.40"))
    sb.apply(mark("p", "p-2", "T", "J1", "95.12"))
    r = rows(sb)
    assert order(sb) == ["p-2", "p-1"]
    assert (r["p-2"]["rank"], r["p-1"]["rank"]) == (1, 2)
    assert (r["p-2"]["total"], r["p-1"]["total"]) == ("95.12", "95.40")


def test_ordinal_mode_gives_medals_by_the_displayed_rank() -> None:
    """§9.16: two equal totals shown 1 and 2 get gold and silver."""
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "10"]}],
            ranking={"mode": "ordinal"},
            awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
            n=3,
        )
    )
    for cid, v in (("p-1", "8"), ("p-2", "8"), ("p-3", "5")):
        sb.apply(mark("p", cid, "S", "J1", v))
    r = rows(sb)
    assert [r[c]["rank"] for c in ("p-1", "p-2", "p-3")] == [1, 2, 3]
    assert [r[c]["award"] for c in ("p-1", "p-2", "p-3")] == ["gold", "silver", "bronze"]


def test_dense_mode_gives_medals_by_the_standard_rank() -> None:
    """§9.16: dense 1, 1, 2 → gold, gold, bronze."""
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "10"]}],
            ranking={"mode": "dense"},
            awards=[{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
            n=3,
        )
    )
    for cid, v in (("p-1", "8"), ("p-2", "8"), ("p-3", "5")):
        sb.apply(mark("p", cid, "S", "J1", v))
    r = rows(sb)
    assert [r[c]["rank"] for c in ("p-1", "p-2", "p-3")] == [1, 1, 2]
    assert [r[c]["award"] for c in ("p-1", "p-2", "p-3")] == ["gold", "gold", "bronze"]


def test_a_time_tie_break_compares_its_measured_value() -> None:
    """§9.15: at places 0 the tie-break times 95.12 and 95.40 decide; they print as measured."""
    sb = board(
        program(
            aspects=[
                {"id": "S", "type": "score", "range": ["0", "10"]},
                {"id": "T", "type": "time", "range": ["0", "600"], "counts": False},
            ],
            ranking={"keys": ["total desc", "aspect:T asc"]},
            places=0,
        )
    )
    for cid, t in (("p-1", "95.40"), ("p-2", "95.12")):
        sb.apply(mark("p", cid, "S", "J1", "7"))
        sb.apply(mark("p", cid, "T", "J1", t))
    r = rows(sb)
    assert order(sb) == ["p-2", "p-1"] and (r["p-2"]["rank"], r["p-1"]["rank"]) == (1, 2)
    assert r["p-2"]["aspects"]["T"]["value"] == "95.12"


def test_a_time_penalty_adds_seconds_to_the_measured_total() -> None:
    """§9.14-15: 2 s per gate touch on a run of 50.25 s: 54.25, not rounded to the places."""
    sb = board(
        program(
            aspects=[
                {"id": "R", "type": "time", "range": ["0", "600"]},
                {"id": "G", "type": "penalty", "per_unit": "2", "range": ["0", "10"]},
            ],
            lower_is_better=True,
            places=0,
        )
    )
    sb.apply(mark("p", "p-1", "R", "J1", "50.25"))
    sb.apply(mark("p", "p-1", "G", "J1", "2"))
    sb.apply(mark("p", "p-2", "R", "J1", "53.99"))
    r = rows(sb)
    assert (r["p-1"]["total"], r["p-2"]["total"]) == ("54.25", "53.99")
    assert order(sb) == ["p-2", "p-1"]
    assert r["p-1"]["provisional"] is False
