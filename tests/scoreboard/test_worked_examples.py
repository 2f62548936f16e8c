"""Every worked example of docs/scoring.md, exact to the printed digit.

Each test goes the whole way: a competition file's data through
``load_competition``, judges' marks through ``Scoreboard.apply``, and the
printed value read back from a channel's snapshot.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from scoreboard import EventRefused, Scoreboard, StatusChanged, VisibilityChanged, load_competition
from scoreboard.numbers import parse_number
from tests.scoreboard.comp_builders import (
    awards,
    board,
    competition,
    competitors,
    mark,
    order,
    panel,
    program,
    ranks,
    rows,
    total,
)

MEDALS = {"type": "medals", "awards": ["gold", "silver", "bronze"]}


def one_aspect(aspect: dict[str, Any], n: int = 1, **kw: Any) -> Any:
    return board(program(aspects=[{"id": "X", **aspect}], n=n, **kw))


def scored(
    values: dict[str, str], n: int | None = None, *, places: int = 2, step: str = "0.01", **kw: Any
) -> Any:
    """A program where each competitor's total is one agreed score (J1 enters it)."""
    n = n if n is not None else len(values)
    aspects = [{"id": "S", "type": "score", "range": ["0", "1000"], "step": step}]
    sb = board(program(aspects=aspects, n=n, places=places, **kw))
    for cid, v in values.items():
        sb.apply(mark("p", cid, "S", "J1", v))
    return sb


def field(values: list[str], **kw: Any) -> Any:
    """Competitors p-1, p-2, ... with these totals."""
    return scored({f"p-{i}": v for i, v in enumerate(values, start=1)}, **kw)


# -- §2 aspect types ------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "printed"), [("pass", "0.50"), ("fail", "0.00"), ("1", "0.50"), ("0", "0.00")]
)
def test_measurement_binary_max_or_zero(entry: str, printed: str) -> None:
    sb = one_aspect({"type": "measurement", "max": "0.50"})
    sb.apply(mark("p", "p-1", "X", "J1", entry))
    assert total(sb, "p-1") == printed


BANDED = {
    "type": "banded",
    "max": "1.00",
    "nominal": "10.00",
    "bands": [{"within": "0.20", "points": "0.50"}, {"within": "0.10", "points": "1.00"}],
}


@pytest.mark.parametrize(
    ("measured", "printed"),
    [
        ("10.00", "1.00"),
        ("10.10", "1.00"),
        ("9.90", "1.00"),
        ("10.15", "0.50"),
        ("9.80", "0.50"),
        ("10.20", "0.50"),
        ("10.21", "0.00"),
        ("9.50", "0.00"),
    ],
)
def test_banded_measurement_tolerance_bands(measured: str, printed: str) -> None:
    # ±0.10 mm → 1.00; ±0.20 mm → 0.50; else 0.00 (bands are inclusive at their edge)
    sb = one_aspect(BANDED)
    sb.apply(mark("p", "p-1", "X", "J1", measured))
    assert total(sb, "p-1") == printed


@pytest.mark.parametrize(
    ("missing", "printed"), [("0", "2.00"), ("3", "0.50"), ("4", "0.00"), ("9", "0.00")]
)
def test_deduction_per_error_floored_at_zero(missing: str, printed: str) -> None:
    # max 2.00, 0.50 per missing file, 3 missing → 0.50; never below 0
    sb = one_aspect({"type": "deduction", "max": "2.00", "per_error": "0.50"})
    sb.apply(mark("p", "p-1", "X", "J1", missing))
    assert total(sb, "p-1") == printed


def test_judgement_max_times_mean_over_three() -> None:
    # max 2.00, scores {2,3,2} → mean 2.333… → 1.56 (2 places)
    sb = one_aspect({"type": "judgement", "max": "2.00", "panel": 3})
    panel(sb, "p", "p-1", "X", ["2", "3", "2"])
    assert total(sb, "p-1") == "1.56"
    assert rows(sb)["p-1"]["aspects"]["X"] == {
        "value": "1.56",
        "state": "complete",
        "marks": {"J1": "2", "J2": "3", "J3": "2"},
        "spread": "1",
        "disagreement": False,
    }


def test_judgement_panel_of_three_is_pending_until_complete() -> None:
    sb = one_aspect({"type": "judgement", "max": "2.00", "panel": 3}, n=2)
    panel(sb, "p", "p-1", "X", ["2", "3"])
    row = rows(sb)["p-1"]
    assert row["aspects"]["X"]["state"] == "pending"
    assert row["aspects"]["X"]["value"] is None
    assert row["total"] is None and row["rank"] is None  # nothing complete yet: no rank
    sb.apply(mark("p", "p-1", "X", "J3", "2"))
    assert rows(sb)["p-1"]["rank"] == 1


def test_score_five_judges_step_half() -> None:
    sb = one_aspect(
        {
            "type": "score",
            "range": ["0", "10"],
            "step": "0.5",
            "panel": 5,
            "aggregation": "trimmed",
            "trim": 1,
        }
    )
    panel(sb, "p", "p-1", "X", ["8.5", "9.0", "7.5", "8.0", "9.5"])
    assert total(sb, "p-1") == "8.50"


def test_time_is_the_time_itself_lower_is_better() -> None:
    sb = one_aspect(
        {"type": "time", "range": ["0", "600"], "step": "0.01"}, n=2, lower_is_better=True
    )
    sb.apply(mark("p", "p-1", "X", "J1", "95.12"))
    sb.apply(mark("p", "p-2", "X", "J1", "94.50"))
    assert total(sb, "p-1") == "95.12"
    assert ranks(sb) == {"p-1": 2, "p-2": 1}


# -- §3 panels ------------------------------------------------------------------


def aggregated(agg: str, values: list[str], places: int = 2, **extra: Any) -> str | None:
    sb = one_aspect(
        {
            "type": "score",
            "range": ["0", "10"],
            "step": "0.5",
            "panel": len(values),
            "aggregation": agg,
            **extra,
        },
        places=places,
    )
    panel(sb, "p", "p-1", "X", values)
    return total(sb, "p-1")


def test_mean() -> None:
    assert aggregated("mean", ["2", "3", "2"]) == "2.33"  # 2.333…


def test_median() -> None:
    assert aggregated("median", ["6", "7", "9"], places=0) == "7"
    assert (
        aggregated("median", ["6", "7", "9", "9"]) == "8.00"
    )  # even panel: the mean of the middle two


def test_trimmed_mean_drops_k_highest_and_lowest() -> None:
    # {3,3,2,2,1,2,2}, k=1 → (3+2+2+2+2)/5 = 2.2
    assert aggregated("trimmed", ["3", "3", "2", "2", "1", "2", "2"], places=1, trim=1) == "2.2"
    # five judges {8.5, 9.0, 7.5, 8.0, 9.5}, k=1 → (8.5+8.0+9.0)/3 = 8.50
    assert aggregated("trimmed", ["8.5", "9.0", "7.5", "8.0", "9.5"], trim=1) == "8.50"


def test_middle_sum_times_degree_of_difficulty() -> None:
    # diving: drop 2 high and 2 low of 7, sum the middle 3, × DD: 22.0 × 3.0 = 66.00
    sb = one_aspect(
        {
            "type": "score",
            "range": ["0", "10"],
            "step": "0.5",
            "panel": 7,
            "aggregation": "middle_sum",
            "trim": 2,
            "multiplier": "3.0",
        }
    )
    panel(sb, "p", "p-1", "X", ["7.5", "7.0", "7.5", "8.0", "6.5", "7.0", "8.5"])
    assert total(sb, "p-1") == "66.00"


def test_per_competitor_multiplier_each_diver_own_difficulty() -> None:
    comps = competitors(2)
    comps[0]["multipliers"] = {"D3": "3.0"}
    comps[1]["multipliers"] = {"D3": "2.0"}
    prog = program(
        aspects=[
            {
                "id": "D3",
                "type": "score",
                "range": ["0", "10"],
                "step": "0.5",
                "panel": 7,
                "aggregation": "middle_sum",
                "trim": 2,
            }
        ],
        competitors=comps,
    )
    sb = board(prog)
    for cid in ("p-1", "p-2"):
        panel(sb, "p", cid, "D3", ["7.5", "7.0", "7.5", "8.0", "6.5", "7.0", "8.5"])
    assert total(sb, "p-1") == "66.00"
    assert total(sb, "p-2") == "44.00"


def test_single_agreed_value() -> None:
    assert aggregated("single", ["7.5"]) == "7.50"


def test_agreement_spread_two_is_disagreement_and_stays_pending() -> None:
    # WorldSkills: {1,3,2} has spread 2 > 1 → flagged "disagreement", value pending
    sb = one_aspect(
        {"type": "judgement", "max": "2.00", "panel": 3, "agreement": {"tolerance": "1"}}, n=2
    )
    panel(sb, "p", "p-1", "X", ["1", "3", "2"])
    row = rows(sb)["p-1"]
    assert row["aspects"]["X"]["state"] == "disagreement"
    assert row["aspects"]["X"]["value"] is None
    assert row["total"] is None and row["rank"] is None
    # the judges re-mark: J1's new mark replaces the old one (§9.4) → {2,3,2} agrees
    sb.apply(mark("p", "p-1", "X", "J1", "2"))
    row = rows(sb)["p-1"]
    assert row["aspects"]["X"]["state"] == "complete"
    assert row["total"] == "1.56"


def test_agreement_spread_equal_to_tolerance_is_fine() -> None:
    # §9.5: broken only when the spread is strictly greater than the tolerance
    sb = one_aspect(
        {"type": "judgement", "max": "2.00", "panel": 3, "agreement": {"tolerance": "1"}}
    )
    panel(sb, "p", "p-1", "X", ["2", "3", "2"])
    assert rows(sb)["p-1"]["aspects"]["X"]["state"] == "complete"
    assert total(sb, "p-1") == "1.56"


def test_agreement_fig_fallback_to_mean_of_all() -> None:
    # FIG aerobic: spread beyond the tolerance → the mean of all scores instead of the trimmed mean
    aspect = {
        "type": "score",
        "range": ["0", "10"],
        "step": "0.5",
        "panel": 5,
        "aggregation": "trimmed",
        "trim": 1,
        "agreement": {"tolerance": "2", "action": "mean"},
    }
    sb = one_aspect(aspect, n=2)
    panel(sb, "p", "p-1", "X", ["5", "8", "8", "8", "9"])  # spread 4: mean 38/5
    panel(sb, "p", "p-2", "X", ["7", "8", "8", "8", "9"])  # spread 2: trimmed (8+8+8)/3
    assert total(sb, "p-1") == "7.60"
    assert total(sb, "p-2") == "8.00"


def test_conflict_of_interest_refused_with_clear_error() -> None:
    data = competition(program(aspects=[{"id": "X", "type": "score", "range": ["0", "10"]}]))
    data["judges"][0]["delegation"] = "SY"  # J1 is from SY, as is competitor 1
    sb = Scoreboard(load_competition(data))
    with pytest.raises(EventRefused) as e:
        sb.apply(mark("p", "p-1", "X", "J1", "5"))
    assert e.value.code == "conflict_of_interest"
    assert "another judge" in e.value.message
    sb.apply(mark("p", "p-2", "X", "J1", "5"))  # competitor 2 is from DL: fine


# -- §1 components ---------------------------------------------------------------


def components_board() -> Any:
    prog = program(
        criteria=[
            {
                "id": "T",
                "max": "100",
                "aspects": [{"id": "T1", "type": "score", "range": ["0", "100"]}],
            },
            {
                "id": "P",
                "max": "100",
                "aspects": [{"id": "P1", "type": "score", "range": ["0", "100"]}],
            },
        ],
        components=[
            {"id": "theory", "weight": "0.3", "criteria": ["T"]},
            {"id": "practical", "weight": "0.7", "criteria": ["P"]},
        ],
        n=1,
    )
    return board(prog)


def test_components_weight_normalised_parts() -> None:
    # theory 80/100, practical 90/100 → 0.3·80 + 0.7·90 = 87.00
    sb = components_board()
    sb.apply(mark("p", "p-1", "T1", "J1", "80"))
    sb.apply(mark("p", "p-1", "P1", "J1", "90"))
    row = rows(sb)["p-1"]
    assert row["total"] == "87.00"
    assert row["components"] == {"theory": "24.00", "practical": "63.00"}


def test_component_with_other_maximum_is_normalised_first() -> None:
    prog = program(
        criteria=[
            {
                "id": "T",
                "max": "50",
                "aspects": [{"id": "T1", "type": "score", "range": ["0", "50"]}],
            },
            {
                "id": "P",
                "max": "200",
                "aspects": [{"id": "P1", "type": "score", "range": ["0", "200"]}],
            },
        ],
        components=[
            {"id": "theory", "weight": "0.3", "criteria": ["T"]},
            {"id": "practical", "weight": "0.7", "criteria": ["P"]},
        ],
        n=1,
    )
    sb = board(prog)
    sb.apply(mark("p", "p-1", "T1", "J1", "40"))  # 80/100
    sb.apply(mark("p", "p-1", "P1", "J1", "180"))  # 90/100
    assert total(sb, "p-1") == "87.00"


# -- §4 penalties, multipliers, rounds, statuses -----------------------------------


def test_canoe_slalom_time_plus_gate_penalties() -> None:
    # 95.12 s + 2 touches (+2 s each) + 1 miss (+50 s) = 149.12 s, lower is better
    aspects = [
        {"id": "time", "type": "time", "range": ["0", "600"], "step": "0.01"},
        {"id": "touches", "type": "penalty", "per_unit": "2"},
        {"id": "misses", "type": "penalty", "per_unit": "50"},
    ]
    sb = board(program(aspects=aspects, n=2, lower_is_better=True))
    for aid, v in (("time", "95.12"), ("touches", "2"), ("misses", "1")):
        sb.apply(mark("p", "p-1", aid, "J1", v))
    for aid, v in (("time", "140.00"), ("touches", "0"), ("misses", "0")):
        sb.apply(mark("p", "p-2", aid, "J1", v))
    assert total(sb, "p-1") == "149.12"
    assert ranks(sb) == {"p-2": 1, "p-1": 2}  # 140.00 beats 149.12


def test_safety_deduction_minus_five_capped() -> None:
    aspects = [
        {"id": "work", "type": "score", "range": ["0", "100"], "step": "0.01"},
        {"id": "safety", "type": "penalty", "per_unit": "-5.00", "cap": "10.00"},
    ]
    sb = board(program(aspects=aspects, n=3))
    for cid, work, violations in (("p-1", "80", "1"), ("p-2", "80", "3"), ("p-3", "6", "2")):
        sb.apply(mark("p", cid, "work", "J1", work))
        sb.apply(mark("p", cid, "safety", "J1", violations))
    assert total(sb, "p-1") == "75.00"
    assert total(sb, "p-2") == "70.00"  # −15 capped at −10
    assert total(sb, "p-3") == "0.00"  # 6 − 10 floors at 0


def rounds_board(standing: list[str]) -> Any:
    def crit(cid: str, rnd: str) -> dict[str, Any]:
        return {
            "id": cid,
            "round": rnd,
            "aspects": [{"id": f"{cid}1", "type": "score", "range": ["0", "100"]}],
        }

    prog = program(
        criteria=[crit("Q", "prelim"), crit("S", "semifinal"), crit("F", "final")],
        rounds=["prelim", "semifinal", "final"],
        standing_rounds=standing,
        n=2,
    )
    sb = board(prog)
    for cid, (q, s, f) in (("p-1", ("90", "40", "45")), ("p-2", ("50", "50", "40"))):
        for aid, v in (("Q1", q), ("S1", s), ("F1", f)):
            sb.apply(mark("p", cid, aid, "J1", v))
    return sb


def test_rounds_semifinal_plus_final_count_towards_standing() -> None:
    sb = rounds_board(["semifinal", "final"])
    r = rows(sb)
    assert r["p-1"]["total"] == "85.00"  # the preliminary's 90 does not count
    assert r["p-2"]["total"] == "90.00"
    assert r["p-1"]["rounds"] == {"prelim": "90.00", "semifinal": "40.00", "final": "45.00"}
    assert ranks(sb) == {"p-2": 1, "p-1": 2}


def test_rounds_final_only() -> None:
    sb = rounds_board(["final"])
    assert total(sb, "p-1") == "45.00"
    assert ranks(sb) == {"p-1": 1, "p-2": 2}


def test_statuses_after_everyone_in_fixed_order_with_no_score() -> None:
    sb = field(["50", "60", "70", "80", "90"])
    for cid, status in (("p-5", "DSQ"), ("p-4", "DNS"), ("p-3", "DNF")):
        sb.apply(StatusChanged(f"s{cid}", "p", cid, status, "C", 0))
    assert order(sb) == ["p-2", "p-1", "p-4", "p-3", "p-5"]  # DNS, then DNF, then DSQ
    r = rows(sb)
    for cid, status in (("p-4", "DNS"), ("p-3", "DNF"), ("p-5", "DSQ")):
        assert r[cid]["status"] == status
        assert (r[cid]["total"], r[cid]["rank"], r[cid]["award"], r[cid]["criteria"]) == (
            None,
            None,
            None,
            {},
        )
    assert (r["p-2"]["rank"], r["p-1"]["rank"]) == (1, 2)


# -- §5 standardisation ---------------------------------------------------------


def standardised(values: list[str], spread: str = "sd", **kw: Any) -> dict[str, str | None]:
    std = {"centre": "500", "factor": "20", "spread": spread}
    sb = field(values, places=0, standardisation=std, **kw)
    return {cid: r["standardised"] for cid, r in rows(sb).items()}


def test_standardisation_sd() -> None:
    # centre 500, factor 20, SD: raw 72, mean 60, SD 8 → 530
    got = standardised(["72", "48", "56", "60", "64"])
    assert got == {"p-1": "530", "p-2": "470", "p-3": "490", "p-4": "500", "p-5": "510"}


def test_standardisation_mad() -> None:
    # median 60, MAD = median{12, 12, 4, 0, 4} = 4, spread = 4 × 1.4826
    spread = Decimal(4) * Decimal("1.4826")

    def expect(x: int) -> str:
        return str((500 + 20 * (Decimal(x) - 60) / spread).quantize(Decimal(1), ROUND_HALF_UP))

    got = standardised(["72", "48", "56", "60", "64"], spread="mad")
    assert got == {
        "p-1": expect(72),
        "p-2": expect(48),
        "p-3": expect(56),
        "p-4": "500",
        "p-5": expect(64),
    }
    assert got["p-1"] == "540" and got["p-3"] == "487"


def test_standardisation_zero_spread_everyone_at_centre() -> None:
    assert standardised(["60", "60", "60"]) == {"p-1": "500", "p-2": "500", "p-3": "500"}


def test_standardised_score_moves_when_another_competitor_is_marked() -> None:
    std = {"centre": "500", "factor": "20", "spread": "sd"}
    sb = field(["72", "48"], n=3, places=0, standardisation=std)
    assert rows(sb)["p-1"]["standardised"] == "520"
    updates = sb.apply(mark("p", "p-3", "S", "J1", "60"))
    (public,) = [u.delta for u in updates if u.channel == "program:p"]
    changed = {r["competitor"]["id"]: r["standardised"] for r in public["rows"]}
    assert changed["p-1"] == rows(sb)["p-1"]["standardised"]  # the delta carries p-1's new value
    assert changed["p-1"] != "520"


def test_guest_gets_a_score_but_no_rank_award_or_standardised_and_does_not_count() -> None:
    comps = competitors(3)
    comps[0]["guest"] = True
    std = {"centre": "500", "factor": "20", "spread": "sd"}
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
            competitors=comps,
            standardisation=std,
            awards=[MEDALS],
            min_field={"size": 3, "awards": ["gold"]},
        )
    )
    for cid, v in (("p-1", "99"), ("p-2", "80"), ("p-3", "70")):
        sb.apply(mark("p", cid, "S", "J1", v))
    r = rows(sb)
    assert r["p-1"]["total"] == "99.00"
    assert (r["p-1"]["rank"], r["p-1"]["award"], r["p-1"]["standardised"]) == (None, None, None)
    assert (r["p-2"]["rank"], r["p-3"]["rank"]) == (1, 2)
    # the field is two, below the minimum of 3: gold only (the guest does not count)
    assert (r["p-2"]["award"], r["p-3"]["award"]) == ("gold", None)
    assert (r["p-2"]["standardised"], r["p-3"]["standardised"]) == ("520", "480")
    assert order(sb) == ["p-2", "p-3", "p-1"]  # §9.11: guests after the ranked field


# -- §6 ranking ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("standard", [1, 2, 2, 4]), ("dense", [1, 2, 2, 3]), ("ordinal", [1, 2, 3, 4])],
)
def test_rank_modes(mode: str, expected: list[int]) -> None:
    sb = field(["90", "85", "85", "80"], ranking={"mode": mode})
    assert [ranks(sb)[f"p-{i}"] for i in range(1, 5)] == expected


def test_no_shared_ranks_reports_unresolved_tie_with_no_rank_and_no_award() -> None:
    sb = field(["90", "85", "85", "80"], ranking={"mode": "unique"}, awards=[MEDALS])
    r = rows(sb)
    assert [r[f"p-{i}"]["rank"] for i in range(1, 5)] == [1, None, None, 4]
    assert [r[f"p-{i}"]["award"] for i in range(1, 5)] == ["gold", None, None, None]
    assert r["p-2"]["unresolved_tie"] is True
    assert sb.snapshot("program:p")["unresolved_ties"] == [["p-2", "p-3"]]
    assert sb.snapshot("program:p:jury")["unresolved_ties"] == [["p-2", "p-3"]]


def test_chain_of_keys_total_then_practical_then_time() -> None:
    # equal totals → the higher practical score first → the shorter time first
    prog = program(
        criteria=[
            {"id": "T", "aspects": [{"id": "T1", "type": "score", "range": ["0", "100"]}]},
            {
                "id": "P",
                "aspects": [
                    {"id": "P1", "type": "score", "range": ["0", "100"]},
                    {"id": "PT", "type": "time", "range": ["0", "9999"], "counts": False},
                ],
            },
        ],
        ranking={"keys": ["total desc", "criterion:P desc", "aspect:PT asc"], "mode": "unique"},
        n=4,
    )
    sb = board(prog)
    for cid, t, p, time in (
        ("p-1", "40", "50", "300"),
        ("p-2", "30", "60", "500"),
        ("p-3", "30", "60", "400"),
        ("p-4", "20", "60", "100"),
    ):
        for aid, v in (("T1", t), ("P1", p), ("PT", time)):
            sb.apply(mark("p", cid, aid, "J1", v))
    assert order(sb) == ["p-3", "p-2", "p-1", "p-4"]
    assert ranks(sb) == {"p-3": 1, "p-2": 2, "p-1": 3, "p-4": 4}
    assert total(sb, "p-1") == "90.00"  # the time does not add to the total
    assert sb.snapshot("program:p")["unresolved_ties"] == []


def test_tolerance_tie_measured_from_the_best_of_the_group() -> None:
    # ε = 2: 704, 702, 700 → {704, 702}, {700} (not chained)
    sb = field(["704", "702", "700"], places=0, ranking={"tolerance": "2"})
    assert ranks(sb) == {"p-1": 1, "p-2": 1, "p-3": 3}
    sb = field(["702", "700"], places=0, ranking={"tolerance": "2"})
    assert ranks(sb) == {"p-1": 1, "p-2": 1}


def test_ties_compare_printed_values() -> None:
    # §9.3: 85.004 and 84.996 both print 85.00 with 2 places → tied
    sb = field(["85.004", "84.996", "84.99"], step="0.001")
    assert [total(sb, f"p-{i}") for i in (1, 2, 3)] == ["85.00", "85.00", "84.99"]
    assert ranks(sb) == {"p-1": 1, "p-2": 1, "p-3": 3}


def test_ties_compare_printed_values_on_tie_break_keys_too() -> None:
    # stage `total`: criterion values stay exact inside, but a tie-break compares them as printed
    def crit(cid: str) -> dict[str, Any]:
        return {
            "id": cid,
            "aspects": [{"id": f"{cid}1", "type": "score", "range": ["0", "10"], "panel": 3}],
        }

    prog = program(
        rounding="total",
        criteria=[crit("T"), crit("P")],
        ranking={"keys": ["total desc", "criterion:P desc"]},
        n=2,
    )
    sb = board(prog)
    panel(sb, "p", "p-1", "P1", ["6", "7", "7"])  # 20/3 = 6.666… → "6.67"
    panel(sb, "p", "p-2", "P1", ["6.67", "6.67", "6.67"])  # 6.67 exactly
    for cid in ("p-1", "p-2"):
        panel(sb, "p", cid, "T1", ["3", "3", "3"])
    r = rows(sb)
    assert (r["p-1"]["total"], r["p-2"]["total"]) == ("9.67", "9.67")
    assert (r["p-1"]["criteria"]["P"], r["p-2"]["criteria"]["P"]) == ("6.67", "6.67")
    assert ranks(sb) == {"p-1": 1, "p-2": 1}


def test_provisional_results_rank_by_what_is_complete() -> None:
    aspects = [
        {"id": "S", "type": "score", "range": ["0", "100"]},
        {"id": "S2", "type": "score", "range": ["0", "100"]},
    ]
    sb = board(program(aspects=aspects, n=2))
    sb.apply(mark("p", "p-1", "S", "J1", "50"))
    sb.apply(mark("p", "p-2", "S", "J1", "40"))
    sb.apply(mark("p", "p-2", "S2", "J1", "40"))
    r = rows(sb)
    assert (r["p-1"]["total"], r["p-1"]["provisional"], r["p-1"]["rank"]) == ("50.00", True, 2)
    assert (r["p-2"]["total"], r["p-2"]["provisional"], r["p-2"]["rank"]) == ("80.00", False, 1)


def test_team_ranks_as_one_competitor() -> None:
    comps = [
        {
            "bib": "1",
            "name": "Team Red",
            "delegation": "SY",
            "members": ["Li", {"zh": "王", "en": "Wang"}],
        },
        {"bib": "2", "name": "Team Blue", "delegation": "DL", "members": ["Zhao", "Qian"]},
    ]
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
            competitors=comps,
            team=True,
        )
    )
    sb.apply(mark("p", "p-1", "S", "J1", "70"))
    sb.apply(mark("p", "p-2", "S", "J1", "75"))
    r = rows(sb, audience="public")
    assert r["p-1"]["competitor"]["members"] == [
        {"zh": "Li", "en": "Li"},
        {"zh": "王", "en": "Wang"},
    ]
    assert ranks(sb) == {"p-2": 1, "p-1": 2}


# -- §7 awards ----------------------------------------------------------------------


def test_top_n_two_golds_no_silver_next_bronze() -> None:
    sb = field(["90", "90", "80", "70"], awards=[MEDALS])
    assert awards(sb) == {"p-1": "gold", "p-2": "gold", "p-3": "bronze", "p-4": None}


def test_top_n_three_golds_no_silver_no_bronze() -> None:
    sb = field(["90", "90", "90", "70"], awards=[MEDALS])
    assert awards(sb) == {"p-1": "gold", "p-2": "gold", "p-3": "gold", "p-4": None}


def test_medals_follow_standard_ranks_even_when_ranks_are_dense() -> None:
    sb = field(["90", "90", "80", "70"], awards=[MEDALS], ranking={"mode": "dense"})
    assert ranks(sb) == {"p-1": 1, "p-2": 1, "p-3": 2, "p-4": 3}
    assert awards(sb) == {"p-1": "gold", "p-2": "gold", "p-3": "bronze", "p-4": None}


def test_threshold_medallion_for_non_medallists_inclusive() -> None:
    # Medallion for Excellence at ≥ 700 for non-medallists
    rule = {"type": "threshold", "awards": ["medallion"], "key": "total", "min": "700"}
    sb = field(["750", "740", "730", "700", "699.99", "650"], awards=[MEDALS, rule])
    assert awards(sb) == {
        "p-1": "gold",
        "p-2": "silver",
        "p-3": "bronze",
        "p-4": "medallion",
        "p-5": None,
        "p-6": None,
    }


def test_threshold_on_the_standardised_score() -> None:
    rule = {"type": "threshold", "awards": ["medallion"], "key": "standardised", "min": "700"}
    std = {"centre": "700", "factor": "100", "spread": "sd"}
    sb = field(["72", "48", "56", "60", "64"], places=0, standardisation=std, awards=[rule])
    # standardised: 850, 550, 650, 700, 750 → 700 and above, inclusive
    assert awards(sb) == {
        "p-1": "medallion",
        "p-2": None,
        "p-3": None,
        "p-4": "medallion",
        "p-5": "medallion",
    }


FRACTION = {"type": "fraction", "awards": ["优胜奖"], "fraction": "0.5"}


@pytest.mark.parametrize(("n", "last"), [(40, 20), (41, 20), (42, 21)])
def test_fraction_top_half_for_non_medallists(n: int, last: int) -> None:
    # 优胜奖 to every non-medallist in the top half: 40 entrants → ranks 4–20; 41 → still up to 20
    sb = field([str(1000 - i) for i in range(n)], awards=[MEDALS, FRACTION])
    got = awards(sb)
    assert [got[f"p-{i}"] for i in (1, 2, 3)] == ["gold", "silver", "bronze"]
    assert {i for i in range(1, n + 1) if got[f"p-{i}"] == "优胜奖"} == set(range(4, last + 1))


def test_percentage_bands_of_forty() -> None:
    # 10/20/30 % of 40 → 4/8/12 first/second/third prizes
    rule = {
        "type": "bands",
        "awards": ["一等奖", "二等奖", "三等奖"],
        "percents": ["10", "20", "30"],
    }
    sb = field([str(1000 - i) for i in range(40)], awards=[rule])
    got = list(awards(sb).values())
    assert (got.count("一等奖"), got.count("二等奖"), got.count("三等奖"), got.count(None)) == (
        4,
        8,
        12,
        16,
    )
    assert (
        awards(sb)["p-4"] == "一等奖"
        and awards(sb)["p-5"] == "二等奖"
        and awards(sb)["p-24"] == "三等奖"
    )


def test_percentage_bands_round_down() -> None:
    rule = {
        "type": "bands",
        "awards": ["一等奖", "二等奖", "三等奖"],
        "percents": ["10", "20", "30"],
    }
    sb = field([str(1000 - i) for i in range(19)], awards=[rule])  # 1.9 / 3.8 / 5.7 → 1 / 3 / 5
    got = list(awards(sb).values())
    assert (got.count("一等奖"), got.count("二等奖"), got.count("三等奖")) == (1, 3, 5)


def test_fixed_counts() -> None:
    rule = {"type": "counts", "awards": ["一等奖", "二等奖", "三等奖"], "counts": [1, 2, 5]}
    sb = field([str(100 - i) for i in range(10)], awards=[rule])
    assert list(awards(sb).values()) == ["一等奖"] + ["二等奖"] * 2 + ["三等奖"] * 5 + [None] * 2


def test_title_top_three_employees() -> None:
    # 技术能手 for the top 3 who are employees
    comps = competitors(6)
    for i in (1, 3, 4, 5, 6):
        comps[i - 1]["tags"] = ["employee"]
    rule = {"type": "title", "awards": ["技术能手"], "top": 3, "eligible": "employee"}
    sb = board(
        program(
            aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
            competitors=comps,
            awards=[MEDALS, rule],
        )
    )
    for i in range(1, 7):
        sb.apply(mark("p", f"p-{i}", "S", "J1", str(100 - i)))
    r = rows(sb)
    assert {cid for cid, row in r.items() if "技术能手" in row.get("titles", [])} == {
        "p-1",
        "p-3",
        "p-4",
    }
    assert r["p-1"]["award"] == "gold"  # a title comes on top of an award


def test_minimum_field_gold_only() -> None:
    # fewer than 5 entrants → gold only
    mf = {"size": 5, "awards": ["gold"]}
    sb = field(["90", "80", "70", "60"], awards=[MEDALS], min_field=mf)
    assert awards(sb) == {"p-1": "gold", "p-2": None, "p-3": None, "p-4": None}
    sb = field(["90", "80", "70", "60", "50"], awards=[MEDALS], min_field=mf)
    assert list(awards(sb).values()) == ["gold", "silver", "bronze", None, None]


def test_at_most_one_award_medal_then_prize_then_threshold_then_fraction() -> None:
    rules = [
        {**FRACTION, "fraction": "0.6"},
        {"type": "threshold", "awards": ["medallion"], "key": "total", "min": "96"},
        {"type": "counts", "awards": ["一等奖"], "counts": [4]},
        MEDALS,
    ]  # listed in reverse: precedence does not depend on the file's order
    sb = field([str(100 - i) for i in range(10)], awards=rules)
    got = awards(sb)
    assert [got[f"p-{i}"] for i in range(1, 11)] == [
        "gold",
        "silver",
        "bronze",
        "一等奖",
        "medallion",
        "优胜奖",
        None,
        None,
        None,
        None,
    ]


# -- §7 across programs: medal table, best of delegation ---------------------------------


def medal_board(medal_points: list[int] | None = None) -> Any:
    progs = []
    # delegations alternate SY, DL, BJ; results chosen so SY: 1 gold 2 bronze, DL: 2 silver, BJ: 1 gold
    podiums = {"a": ["SY", "DL", "SY"], "b": ["BJ", "DL", "SY"]}
    for pid, podium in podiums.items():
        comps = [
            {"bib": str(i + 1), "name": f"{pid}{i}", "delegation": d} for i, d in enumerate(podium)
        ]
        progs.append(
            program(
                pid,
                aspects=[{"id": "S", "type": "score", "range": ["0", "100"]}],
                competitors=comps,
                awards=[MEDALS],
            )
        )
    data = competition(*progs, **({"medal_points": medal_points} if medal_points else {}))
    sb = Scoreboard(load_competition(data))
    for pid in podiums:
        for i, v in enumerate(("90", "80", "70"), start=1):
            sb.apply(mark(pid, f"{pid}-{i}", "S", "J1", v))
        sb.apply(VisibilityChanged(f"v{pid}", pid, "published", "C", 0))
    return sb


def test_medal_table_gold_then_silver_then_bronze() -> None:
    sb = medal_board()
    medals = sb.snapshot("overview")["medals"]
    table = [(m["delegation"], m["rank"], m["medals"]) for m in medals]
    assert table == [
        (
            "SY",
            1,
            {"gold": 1, "silver": 0, "bronze": 2},
        ),  # same golds as BJ: silvers, then bronzes decide
        ("BJ", 2, {"gold": 1, "silver": 0, "bronze": 0}),
        ("DL", 3, {"gold": 0, "silver": 2, "bronze": 0}),
        ("SH", None, {"gold": 0, "silver": 0, "bronze": 0}),  # nothing won: not ranked
    ]


def test_medal_table_by_points() -> None:
    sb = medal_board([4, 3, 2])
    medals = {m["delegation"]: (m["points"], m["rank"]) for m in sb.snapshot("overview")["medals"]}
    # SY 4 + 2 + 2 = 8, DL 3 + 3 = 6, BJ 4
    assert medals["SY"] == (8, 1) and medals["DL"] == (6, 2) and medals["BJ"] == (4, 3)


def test_best_of_delegation() -> None:
    sb = field(["70", "90", "80", "60"])  # p-1 SY, p-2 DL, p-3 SY, p-4 DL
    best = {cid for cid, r in rows(sb).items() if r.get("best_of_delegation")}
    assert best == {"p-2", "p-3"}


# -- §8 visibility ------------------------------------------------------------------


def test_published_shows_awards_to_the_public_live_does_not() -> None:
    sb = field(["90", "80"], awards=[MEDALS])
    assert "award" not in rows(sb, audience="public")["p-1"]
    sb.apply(VisibilityChanged("v", "p", "published", "C", 0))
    assert rows(sb, audience="public")["p-1"]["award"] == "gold"


# -- §9 fixed semantics ---------------------------------------------------------------


def three_thirds(rounding: str) -> str | None:
    # three aspects, each the mean {0, 1, 1} = 2/3
    aspects = [
        {"id": f"X{i}", "type": "score", "range": ["0", "10"], "step": "1", "panel": 3}
        for i in (1, 2, 3)
    ]
    sb = board(program(aspects=aspects, n=1, rounding=rounding))
    for i in (1, 2, 3):
        panel(sb, "p", "p-1", f"X{i}", ["0", "1", "1"])
    return total(sb, "p-1")


def test_rounding_stage_changes_the_result() -> None:
    # §9.2: aspect stage rounds each 0.666… to 0.67 → 2.01; total stage rounds only 2 → 2.00
    assert three_thirds("aspect") == "2.01"
    assert three_thirds("criterion") == "2.00"
    assert three_thirds("total") == "2.00"


def test_rounding_stage_judge_rounds_each_converted_mark() -> None:
    # §9.2 judge stage: each judge's mark converted to points and rounded before the panel aggregate.
    # judgement max 2.00, {2,3,2}: per judge 1.33, 2.00, 1.33 → mean 1.5533… → 1.55 (exact: 1.56)
    sb = one_aspect({"type": "judgement", "max": "2.00", "panel": 3}, rounding="judge")
    panel(sb, "p", "p-1", "X", ["2", "3", "2"])
    assert total(sb, "p-1") == "1.55"


def test_rounding_stage_component() -> None:
    # two criteria of 1/3 each in one component of weight 1: criterion stage rounds them (0.33 + 0.33),
    # component stage does not (2/3 → 0.67)
    def run(rounding: str) -> str | None:
        prog = program(
            rounding=rounding,
            criteria=[
                {
                    "id": c,
                    "max": "10",
                    "aspects": [
                        {
                            "id": f"{c}1",
                            "type": "score",
                            "range": ["0", "10"],
                            "step": "1",
                            "panel": 3,
                        }
                    ],
                }
                for c in ("K", "L")
            ],
            components=[
                {"id": "all", "weight": "1", "criteria": ["K", "L"], "max": "100", "scale": "100"}
            ],
            n=1,
        )
        sb = board(prog)
        panel(sb, "p", "p-1", "K1", ["0", "0", "1"])
        panel(sb, "p", "p-1", "L1", ["0", "0", "1"])
        return total(sb, "p-1")

    assert run("criterion") == "0.66"
    assert run("component") == "0.67"


def test_multiplier_applies_before_rounding() -> None:
    # panel {7, 7.5, 7.75}: mean 7.4166…; × 2: 14.8333… → 14.83
    sb = one_aspect(
        {"type": "score", "range": ["0", "10"], "step": "0.25", "panel": 3, "multiplier": "2"}
    )
    panel(sb, "p", "p-1", "X", ["7", "7.5", "7.75"])
    assert total(sb, "p-1") == "14.83"


def test_round_panel_first_isu_round_multiply_round() -> None:
    # ISU program components: round the panel value (7.42), multiply (14.84), round again
    sb = one_aspect(
        {
            "type": "score",
            "range": ["0", "10"],
            "step": "0.25",
            "panel": 3,
            "multiplier": "2",
            "round_panel_first": True,
        }
    )
    panel(sb, "p", "p-1", "X", ["7", "7.5", "7.75"])
    assert total(sb, "p-1") == "14.84"


def test_sum_of_thirds_exactly_half_rounds_up() -> None:
    # §9.1: 23/3 + 23/3 + 24.5/3 = 23.5 exactly → 24 with 0 places (binary floats land below)
    aspects = [
        {"id": f"X{i}", "type": "score", "range": ["0", "10"], "step": "0.5", "panel": 3}
        for i in (1, 2, 3)
    ]
    sb = board(program(aspects=aspects, n=1, places=0, rounding="total"))
    panel(sb, "p", "p-1", "X1", ["7", "8", "8"])
    panel(sb, "p", "p-1", "X2", ["7", "8", "8"])
    panel(sb, "p", "p-1", "X3", ["8", "8", "8.5"])
    assert total(sb, "p-1") == "24"
    assert (
        parse_number("23.5")
        == sum(parse_number(x) for x in ("7", "8", "8", "7", "8", "8", "8", "8", "8.5")) / 3
    )


def test_half_up_not_bankers() -> None:
    sb = scored({"p-1": "2.5", "p-2": "3.5"}, places=0)
    assert (total(sb, "p-1"), total(sb, "p-2")) == ("3", "4")
