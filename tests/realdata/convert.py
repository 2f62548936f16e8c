"""Turn the real published results in ``tests/data/realdata`` into Scorecast competitions.

Each converter takes one JSON extract (as parsed by ``json.load``) and returns
``(competition, marks)``: the competition as the plain dict ``load_competition``
takes (the same dict written to TOML with ``to_toml`` or to JSON with
``json.dumps`` is a competition file), and the judges' marks as
``MarkSubmitted`` events in the order they were given, one judge id per seat
(J1..J7 for diving, J1..J9 for figure skating) and ``ts`` increasing.

Only the judges' marks and the declared inputs (degree of difficulty, base
value, factor, deductions) go into the competition; no published result does.
The tests compare what the engine computes with the published numbers.
See ``tests/data/realdata/SOURCES.md`` for the sources and rules.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from scoreboard import MarkSubmitted

DATA = Path(__file__).resolve().parent.parent / "data" / "realdata"

PARIS = "diving_paris2024_men10m_final.json"
SYDNEY = "diving_sydney2000_men3m_semi_final.json"
ISU_MEN = "isu_owg2022_men_free.json"
ISU_WOMEN = "isu_owg2022_women_free.json"

Converted = tuple[dict[str, Any], list[MarkSubmitted]]


def load(name: str) -> dict[str, Any]:
    with open(DATA / name, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


class _Marks:
    """Collects MarkSubmitted events with increasing timestamps."""

    def __init__(self, program: str, start_ts: int) -> None:
        self.program = program
        self.ts = start_ts
        self.events: list[MarkSubmitted] = []

    def add(self, competitor: str, aspect: str, judge: str, value: str) -> None:
        self.ts += 1000
        self.events.append(
            MarkSubmitted(
                id=f"{competitor}/{aspect}/{judge}",
                program=self.program,
                competitor=competitor,
                aspect=aspect,
                judge=judge,
                value=value,
                ts=self.ts,
                device=f"pad-{judge}",
            )
        )


def _seat_judges(
    program: str, seats: int, assignment: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    extra = assignment or {}
    return [
        {
            "id": f"J{i}",
            "name": f"Judge {i}",
            "role": "judge",
            "assignments": [{"program": program, **extra}],
        }
        for i in range(1, seats + 1)
    ]


def competitor_id(program: str, bib: object) -> str:
    """The loader's default competitor id: ``<program>-<bib>``."""
    return f"{program}-{bib}"


# -- diving, Paris 2024 -------------------------------------------------------------------------

PARIS_PROGRAM = "m10m_final"


def dive_aspect(number: int) -> dict[str, Any]:
    """A dive marked by 7 judges 0–10 in half points; the middle 3 are summed (× DD per diver)."""
    return {
        "id": f"D{number}",
        "name": f"Dive {number}",
        "type": "score",
        "range": ["0", "10"],
        "step": "0.5",
        "panel": 7,
        "aggregation": "middle_sum",
        "trim": 2,
    }


def paris2024(data: dict[str, Any]) -> Converted:
    """World Aquatics today: cancel 2 high and 2 low of 7, sum the middle 3, × DD (no rounding needed)."""
    pid = PARIS_PROGRAM
    divers = data["divers"]
    rounds = sorted({d["round"] for x in divers for d in x["dives"]})
    competitors = []
    for x in divers:
        competitors.append(
            {
                "bib": str(x["start_order"]),
                "name": x["diver"],
                "multipliers": {f"D{d['round']}": d["dd"] for d in x["dives"]},
            }
        )
    program = {
        "id": pid,
        "name": {"en": "Men's 10 m platform, final", "zh": "男子十米跳台决赛"},
        "places": 2,
        "rounding": "aspect",
        "criteria": [
            {"id": f"R{r}", "name": f"Round {r}", "aspects": [dive_aspect(r)]} for r in rounds
        ],
        "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
        "competitors": competitors,
    }
    comp = {
        "format": 1,
        "id": "paris2024-diving",
        "name": "Paris 2024 Olympic Games, Diving",
        "programs": [program],
        "judges": _seat_judges(pid, 7),
    }
    marks = _Marks(pid, 1_723_300_000_000)
    # dive by dive: each round in start order, the 7 judges' marks of each dive
    order = sorted(divers, key=lambda x: x["start_order"])
    for r in rounds:
        for x in order:
            (dive,) = [d for d in x["dives"] if d["round"] == r]
            for seat, mark in enumerate(dive["judges"], start=1):
                marks.add(competitor_id(pid, x["start_order"]), f"D{r}", f"J{seat}", mark)
    return comp, marks.events


# -- diving, Sydney 2000 ------------------------------------------------------------------------

SYDNEY_PROGRAM = "m3m"
SYDNEY_ROUNDS = {"Semi": ("semi", "S"), "Final": ("final", "F")}


def sydney2000(data: dict[str, Any]) -> Converted:
    """The 2000 rule: cancel 1 high and 1 low of 7, sum 5, × DD × 0.6; standing = semifinal + final."""
    pid = SYDNEY_PROGRAM
    divers = data["divers"]
    criteria = []
    for src, (rnd, prefix) in SYDNEY_ROUNDS.items():
        numbers = sorted({d["dive_no"] for x in divers for d in x["dives"] if d["round"] == src})
        aspects = []
        for n in numbers:
            aspects.append(
                {
                    "id": f"{prefix}{n}",
                    "name": f"{src} dive {n}",
                    "type": "score",
                    "range": ["0", "10"],
                    "step": "0.5",
                    "panel": 7,
                    "aggregation": "middle_sum",
                    "trim": 1,
                    "multiplier": "0.6",
                }
            )
        criteria.append({"id": rnd.upper(), "name": src, "round": rnd, "aspects": aspects})
    competitors = []
    for bib, x in enumerate(divers, start=1):
        competitors.append(
            {
                "bib": str(bib),
                "name": x["diver"],
                "delegation": x["country"],
                "multipliers": {
                    f"{SYDNEY_ROUNDS[d['round']][1]}{d['dive_no']}": d["dd"] for d in x["dives"]
                },
            }
        )
    program = {
        "id": pid,
        "name": "Men's 3 m springboard",
        "places": 2,
        "rounding": "aspect",
        "rounds": ["semi", "final"],
        "standing_rounds": ["semi", "final"],
        "criteria": criteria,
        "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
        "competitors": competitors,
    }
    comp = {
        "format": 1,
        "id": "sydney2000-diving",
        "name": "Sydney 2000 Olympic Games, Diving",
        "delegations": [{"code": c} for c in sorted({x["country"] for x in divers})],
        "programs": [program],
        # seats follow the CSV row order within each dive (SOURCES.md: not necessarily the seat order)
        "judges": _seat_judges(pid, 7),
    }
    marks = _Marks(pid, 969_000_000_000)
    for src, (_, prefix) in SYDNEY_ROUNDS.items():
        numbers = sorted({d["dive_no"] for x in divers for d in x["dives"] if d["round"] == src})
        for n in numbers:
            for bib, x in enumerate(divers, start=1):
                (dive,) = [d for d in x["dives"] if d["round"] == src and d["dive_no"] == n]
                for seat, j in enumerate(dive["judges"], start=1):
                    marks.add(competitor_id(pid, bib), f"{prefix}{n}", f"J{seat}", j["mark"])
    return comp, marks.events


# -- ISU figure skating, Beijing 2022 -----------------------------------------------------------

COMPONENT_IDS = {
    "Skating Skills": "SS",
    "Transitions": "TR",
    "Performance": "PE",
    "Composition": "CO",
    "Interpretation of the Music": "IN",
}

# ISU Communication 2402 (2021/22) Scale of Values, base values of jumps by rotations 1..4
SOV_JUMPS = {
    "T": ["0.40", "1.30", "4.20", "9.50"],
    "S": ["0.40", "1.30", "4.30", "9.70"],
    "Lo": ["0.50", "1.70", "4.90", "10.50"],
    "Eu": ["0.50"],
    "F": ["0.50", "1.80", "5.30", "11.00"],
    "Lz": ["0.60", "2.10", "5.90", "11.50"],
    "A": ["1.10", "3.30", "8.00", "12.50"],
}


def _r2(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _jump_bv(token: str) -> Decimal | None:
    m = re.match(r"^([1-4])(A|Lz|Lo|Eu|F|S|T)(.*)$", token)
    if not m:
        return None
    n, kind, mods = int(m[1]), m[2], m[3]
    if "<<" in mods:  # downgraded: one rotation fewer
        n -= 1
        mods = mods.replace("<<", "")
    if n < 1:
        return Decimal(0)
    if "<" in mods and "e" in mods:
        f = Decimal("0.6")
    elif "<" in mods or "e" in mods:
        f = Decimal("0.8")
    else:
        f = Decimal(1)
    return _r2(Decimal(SOV_JUMPS[kind][n - 1]) * f)


def goe_base(element: dict[str, Any]) -> Decimal:
    """B, the value one GOE grade is 10 % of (SOURCES.md §3, the same rules as verify.py)."""
    bv = Decimal(element["base_value"])
    if element["second_half_bonus_x"]:
        bv = _r2(bv / Decimal("1.1"))
    code = element["code"]
    tokens = code.replace("+REP", "").replace("+SEQ", "").split("+")
    jumps = [_jump_bv(t) for t in tokens]
    # combinations/sequences: the highest jump; +REP: the jump's full SOV value (the BV shown is 70 %)
    if (len(tokens) > 1 or "+REP" in code) and all(b is not None for b in jumps):
        return max(b for b in jumps if b is not None)
    return bv


def goe_factor(element: dict[str, Any]) -> Decimal:
    """What one GOE grade is worth for this element: B/10; ChSq a fixed 0.50; invalid (BV 0) nothing."""
    if Decimal(element["base_value"]) == 0:
        return Decimal(0)
    if element["code"].startswith("ChSq"):
        return Decimal("0.5")
    return goe_base(element) / 10


def isu2022(data: dict[str, Any], program: str, *, elements: bool = True) -> Converted:
    """IJS 2021/22 free skating.

    Components: 9 judges 0.25–10 in quarters, trimmed mean (drop 1 high, 1 low) rounded, × factor,
    rounded. With ``elements``: each executed element is an aspect where each judge's GOE grade
    is converted to points (grade × B/10, a per-competitor judge factor) and rounded before the
    trimmed mean (rounding stage "judge"); the base value is a per-competitor offset, so the
    aspect value is the element score; the referee's deductions are a penalty aspect.
    """
    pid = program
    perfs = data["performances"]
    factors = {c["factor"] for p in perfs for c in p["components"]}
    (factor,) = factors  # one factor per segment
    names = [c["name"] for c in perfs[0]["components"]]
    pcs = {
        "id": "PCS",
        "name": "Program components",
        "aspects": [
            {
                "id": COMPONENT_IDS[n],
                "name": n,
                "type": "score",
                "range": ["0.25", "10"],
                "step": "0.25",
                "panel": 9,
                "aggregation": "trimmed",
                "trim": 1,
                "round_panel_first": True,
                "multiplier": factor,
            }
            for n in names
        ],
    }
    criteria = [pcs]
    n_elements = max(len(p["elements"]) for p in perfs)
    if elements:
        tes = {
            "id": "TES",
            "name": "Technical elements",
            "aspects": [
                {
                    "id": f"E{i}",
                    "name": f"Element {i}",
                    "type": "score",
                    "range": ["-5", "5"],
                    "step": "1",
                    "panel": 9,
                    "aggregation": "trimmed",
                    "trim": 1,
                    "round_panel_first": True,
                }
                for i in range(1, n_elements + 1)
            ],
        }
        ded = {
            "id": "DED",
            "name": "Deductions",
            "aspects": [
                {
                    "id": "DED",
                    "name": "Deductions",
                    "type": "penalty",
                    "per_unit": "-1",
                    "range": ["0", "20"],
                }
            ],
        }
        criteria = [tes, pcs, ded]
    competitors = []
    for p in perfs:
        c: dict[str, Any] = {
            "bib": str(p["starting_number"]),
            "name": p["name"],
            "delegation": p["noc"],
        }
        if elements:
            c["judge_factors"] = {f"E{e['no']}": str(goe_factor(e)) for e in p["elements"]}
            c["offsets"] = {f"E{e['no']}": e["base_value"] for e in p["elements"]}
        competitors.append(c)
    prog = {
        "id": pid,
        "name": data["event"].split(",")[2].strip() + ", free skating",
        "places": 2,
        "rounding": "judge" if elements else "aspect",
        "criteria": criteria,
        "awards": [{"type": "medals", "awards": ["gold", "silver", "bronze"]}],
        "competitors": competitors,
    }
    judges = _seat_judges(pid, 9, {"criteria": ["TES", "PCS"]} if elements else None)
    if elements:
        judges.append(
            {
                "id": "REF",
                "name": "Referee",
                "role": "chief",
                "assignments": [{"program": pid, "criteria": ["DED"]}],
            }
        )
    comp = {
        "format": 1,
        "id": f"owg2022-{pid}",
        "name": "Beijing 2022 Olympic Winter Games, Figure Skating",
        "delegations": [{"code": n} for n in sorted({p["noc"] for p in perfs})],
        "programs": [prog],
        "judges": judges,
    }
    marks = _Marks(pid, 1_644_460_000_000)
    for p in sorted(perfs, key=lambda p: p["starting_number"]):
        cid = competitor_id(pid, p["starting_number"])
        if elements:
            for e in p["elements"]:
                for seat, g in enumerate(e["judges_goe"], start=1):
                    marks.add(cid, f"E{e['no']}", f"J{seat}", g)
        for comp_ in p["components"]:
            for seat, m in enumerate(comp_["judges"], start=1):
                marks.add(cid, COMPONENT_IDS[comp_["name"]], f"J{seat}", m)
        if elements:
            count = -Decimal(p["total_deductions"])
            if count != count.to_integral_value():
                raise ValueError(
                    f"{p['name']}: deductions {p['total_deductions']} are not whole points"
                )
            marks.add(cid, "DED", "REF", str(int(count)))
    return comp, marks.events


# -- writing a competition dict as a TOML file -------------------------------------------------

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(k: str) -> str:
    return k if _BARE.match(k) else json.dumps(k, ensure_ascii=False)


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _is_inline(v: Any) -> bool:
    return isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values())


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # JSON string escapes are valid TOML basic strings
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML; numbers are written as strings")


def _table(out: list[str], path: list[str], d: dict[str, Any]) -> None:
    for k, v in d.items():
        if _is_inline(v) or not (isinstance(v, dict) or _is_table_array(v)):
            out.append(f"{_key(k)} = {_value(v)}")
    for k, v in d.items():
        if isinstance(v, dict) and not _is_inline(v):
            out += ["", "[" + ".".join(_key(x) for x in path + [k]) + "]"]
            _table(out, path + [k], v)
    for k, v in d.items():
        if _is_table_array(v):
            for item in v:
                out += ["", "[[" + ".".join(_key(x) for x in path + [k]) + "]]"]
                _table(out, path + [k], item)


def to_toml(data: dict[str, Any]) -> str:
    """Write a competition dict (strings, ints, bools, lists, tables) as a TOML competition file."""
    out: list[str] = []
    _table(out, [], data)
    return "\n".join(out).lstrip("\n") + "\n"
