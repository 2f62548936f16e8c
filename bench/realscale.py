"""The first user's competition at its real size, generated: 108 programs, 15 delegations,
about 2,500 competitors and 520 judges (issue 17).

    python3 -m bench.realscale --out /tmp/provincial.json      # write the competition file
    python3 -m bench.realscale --stats                         # what it holds

80 programs are WorldSkills-style (measurement aspects entered once, judgement aspects by a
panel of three on 0-3 with tolerance 1, sub-criteria A-E adding up to 100, standardised to
the 700 scale, conflict of interest on); 28 are national-style (a theory score and a practical
score by five judges, trimmed; 30/70 components; 一/二/三等奖 by percentages). The skill names
are the real ones (``scoreboard/samples/data/skills.csv``). Deterministic for a given seed.

``marks(competition)`` yields every mark of the event in the order tablets would send them:
each judge works through its competitors, an aspect after another.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .common import ROOT

DATA = ROOT / "scoreboard" / "samples" / "data"
GROUPS = [("职工组", "employees"), ("学生组", "students"), ("教师组", "teachers")]
DELEGATIONS = [
    ("SY", "沈阳", "Shenyang"),
    ("DL", "大连", "Dalian"),
    ("AS", "鞍山", "Anshan"),
    ("FS", "抚顺", "Fushun"),
    ("BX", "本溪", "Benxi"),
    ("DD", "丹东", "Dandong"),
    ("JZ", "锦州", "Jinzhou"),
    ("YK", "营口", "Yingkou"),
    ("FX", "阜新", "Fuxin"),
    ("LY", "辽阳", "Liaoyang"),
    ("PJ", "盘锦", "Panjin"),
    ("TL", "铁岭", "Tieling"),
    ("CY", "朝阳", "Chaoyang"),
    ("HLD", "葫芦岛", "Huludao"),
    ("SF", "沈抚示范区", "Shenfu Demonstration Zone"),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


@dataclass
class Size:
    programs: int = 108
    worldskills: int = 80
    competitors: int = 2500
    judges: int = 520
    seed: int = 2026


def skills() -> list[dict[str, str]]:
    with open(DATA / "skills.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _name(rng: random.Random) -> dict[str, str]:
    zh = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )
    return {"zh": zh}


def worldskills_scheme(rng: random.Random) -> list[dict[str, Any]]:
    """Sub-criteria A-E, 100 marks: about 28 measurement and 12 judgement aspects."""
    criteria = []
    for c, marks in zip("ABCDE", (30, 25, 20, 15, 10), strict=True):
        measured, judged = max(2, marks * 28 // 100), max(1, marks * 12 // 100)
        each = marks / (measured + judged * 2)  # a judgement aspect weighs two measurements
        aspects: list[dict[str, Any]] = []
        for i in range(measured):
            aspects.append({"id": f"{c}{i + 1}", "type": "measurement", "max": f"{each:.2f}"})
        for i in range(judged):
            aspects.append(
                {
                    "id": f"{c}J{i + 1}",
                    "type": "judgement",
                    "max": f"{each * 2:.2f}",
                    "panel": 3,
                    "agreement": {"tolerance": "1"},
                }
            )
        # the rounding of the per-aspect maxima leaves the criterion without a fixed max
        criteria.append({"id": c, "aspects": aspects})
    return criteria


def national_scheme() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    criteria = [
        {
            "id": "T",
            "aspects": [{"id": "T1", "type": "score", "range": ["0", "100"], "step": "0.5"}],
        },
        {
            "id": "P",
            "aspects": [
                {
                    "id": "P1",
                    "type": "score",
                    "range": ["0", "100"],
                    "step": "0.5",
                    "panel": 3,
                    "aggregation": "trimmed",
                }
            ],
        },
    ]
    components = [
        {"id": "theory", "weight": "0.3", "criteria": ["T"], "max": "100"},
        {"id": "practical", "weight": "0.7", "criteria": ["P"], "max": "100"},
    ]
    return criteria, components


def _program_specs(size: Size) -> list[tuple[str, dict[str, str], bool]]:
    """(id, name, worldskills?) for every program: skills times groups until the counts fit."""
    ws = [s for s in skills() if s["track"] == "worldskills"]
    nat = [s for s in skills() if s["track"] != "worldskills"]
    out = []
    for pool, n, is_ws in (
        (ws, size.worldskills, True),
        (nat, size.programs - size.worldskills, False),
    ):
        for k in range(n):
            skill, (gzh, gen) = pool[k % len(pool)], GROUPS[k // len(pool)]
            pid = f"{skill['slug']}-{gen}"
            name = {"zh": f"{skill['name_zh']}（{gzh}）", "en": f"{skill['name_en']} ({gen})"}
            out.append((pid, name, is_ws))
    return out


def _split(total: int, parts: int, rng: random.Random, low: int, high: int) -> list[int]:
    sizes = [rng.randint(low, high) for _ in range(parts)]
    while sum(sizes) != total:
        i = rng.randrange(parts)
        step = 1 if sum(sizes) < total else -1
        if low <= sizes[i] + step <= high:
            sizes[i] += step
    return sizes


def competition(size: Size | None = None) -> dict[str, Any]:
    size = size or Size()
    rng = random.Random(size.seed)
    specs = _program_specs(size)
    field_sizes = _split(size.competitors, len(specs), rng, 12, 36)
    panel_sizes = _split(size.judges, len(specs), rng, 4, 6)  # a chief and 3-5 judges
    programs, judges = [], []
    for (pid, name, is_ws), n, panel in zip(specs, field_sizes, panel_sizes, strict=True):
        delegations = rng.sample(DELEGATIONS, len(DELEGATIONS))
        # judges from delegations with no competitor in the program, one per delegation
        judge_dels, competing = delegations[:panel], delegations[panel:]
        prog: dict[str, Any] = {"id": pid, "name": name, "visibility": "live", "places": 2}
        if is_ws:
            prog["criteria"] = worldskills_scheme(rng)
            prog["standardisation"] = {
                "centre": "700",
                "factor": "50",
                "spread": "mad",
                "places": 0,
            }
            prog["conflict_of_interest"] = True
            prog["awards"] = [
                {"type": "medals", "awards": ["gold", "silver", "bronze"]},
                {"type": "threshold", "award": "medallion", "key": "standardised", "min": "700"},
            ]
        else:
            prog["criteria"], prog["components"] = national_scheme()
            prog["awards"] = [
                {
                    "type": "bands",
                    "awards": ["一等奖", "二等奖", "三等奖"],
                    "percents": ["10", "20", "30"],
                }
            ]
        prog["competitors"] = [
            {"bib": f"{i + 1:02d}", "name": _name(rng), "delegation": rng.choice(competing)[0]}
            for i in range(n)
        ]
        programs.append(prog)
        for k, (code, _zh, _en) in enumerate(judge_dels):
            role = {"role": "chief"} if k == 0 else {}
            judges.append(
                {
                    "id": f"{pid}-{'chief' if k == 0 else f'j{k}'}",
                    "name": _name(rng),
                    "delegation": code,
                    **role,
                    "assignments": [{"program": pid}],
                }
            )
    return {
        "format": 1,
        "id": "provincial-realscale",
        "name": {
            "zh": "全省职业技能大赛（规模测试）",
            "en": "Provincial Skills Competition (real scale)",
        },
        "delegations": [{"code": c, "name": {"zh": zh, "en": en}} for c, zh, en in DELEGATIONS],
        "programs": programs,
        "judges": judges,
    }


def _value(aspect: dict[str, Any], rng: random.Random) -> str:
    if aspect["type"] == "measurement":
        return "pass" if rng.random() < 0.7 else "fail"
    if aspect["type"] == "judgement":
        return str(rng.choice((1, 2, 2, 3)))
    return f"{rng.randint(110, 190) / 2:.1f}"


def marks(doc: dict[str, Any], seed: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
    """(judge id, mark frame) for every mark of the event: every judge of a program marks what its
    panel needs, competitor by competitor; programs interleave as they do in a real hall."""
    rng = random.Random(seed)
    by_program: dict[str, list[dict[str, Any]]] = {}
    for j in doc["judges"]:
        if j.get("role") != "chief":
            by_program.setdefault(j["assignments"][0]["program"], []).append(j)
    streams = []
    for prog in doc["programs"]:
        streams.append(_program_marks(prog, by_program[prog["id"]], rng))
    while streams:
        s = rng.choice(streams)
        try:
            yield next(s)
        except StopIteration:
            streams.remove(s)


def _program_marks(
    prog: dict[str, Any], judges: list[dict[str, Any]], rng: random.Random
) -> Iterator[tuple[str, dict[str, Any]]]:
    coi = prog.get("conflict_of_interest", True)
    for comp in prog["competitors"]:
        cid = f"{prog['id']}-{comp['bib']}"
        eligible = [j for j in judges if not coi or j["delegation"] != comp["delegation"]]
        for crit in prog["criteria"]:
            for a in crit["aspects"]:
                for j in eligible[: a.get("panel", 1)]:
                    frame = {
                        "type": "mark",
                        "program": prog["id"],
                        "competitor": cid,
                        "aspect": a["id"],
                        "value": _value(a, rng),
                    }
                    yield j["id"], frame


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, help="write the competition file (JSON) here")
    ap.add_argument("--stats", action="store_true", help="print what it holds")
    args = ap.parse_args()
    doc = competition()
    if args.out:
        args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1))
    if args.stats or not args.out:
        n_marks = sum(1 for _ in marks(doc))
        print(
            f"{len(doc['programs'])} programs, {sum(len(p['competitors']) for p in doc['programs'])} "
            f"competitors, {len(doc['judges'])} judges, {n_marks} marks"
        )


if __name__ == "__main__":
    main()
