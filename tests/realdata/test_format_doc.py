"""docs/competition-format.md stays true to the loader (scoreboard/loader/).

- every ```toml example parses; the complete ones load with ``load_competition``;
- the ```toml broken example fails with exactly the message shown after it;
- the diving and figure-skating examples score the real marks as published;
- every field the loader accepts has its row in a table of the doc
  (``| `field` |``), and every value of its choices appears in the doc,
  so an undocumented field or value fails here.
"""

from __future__ import annotations

import ast
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scoreboard import CompetitionFileError, MarkSubmitted, Scoreboard, load_competition, model
from scoreboard import loader as loader_module
from tests.realdata import convert

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "competition-format.md"
LOADER = ROOT / "scoreboard" / "loader"

FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def blocks() -> list[tuple[str, str, str]]:
    """(language, rest of the info string, text) of each fenced block, in order."""
    return [(m[1], m[2].strip(), m[3]) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))]


def toml_examples(kind: str = "") -> list[dict[str, Any]]:
    return [tomllib.loads(text) for lang, info, text in blocks() if lang == "toml" and info == kind]


def test_every_toml_block_parses() -> None:
    toml = [b for b in blocks() if b[0] == "toml"]
    assert len(toml) >= 4
    for _, _, text in toml:
        tomllib.loads(text)


def test_complete_examples_load() -> None:
    examples = toml_examples()
    assert len(examples) >= 3
    for data in examples:
        comp = load_competition(data)
        Scoreboard(comp)  # and a board can be built from it


def test_complete_example_covers_the_format() -> None:
    """The first example uses every aspect type and every award type."""
    data = toml_examples()[0]
    comp = load_competition(data)
    types = {a.type.value for p in comp.programs.values() for a in p.aspects.values()}
    assert types == {t.value for t in model.AspectType}
    awards = {r.type for p in comp.programs.values() for r in p.awards}
    assert awards >= {"medals", "threshold", "fraction", "title"}


def test_broken_example_message() -> None:
    bs = blocks()
    i = next(i for i, b in enumerate(bs) if b[:2] == ("toml", "broken"))
    assert bs[i + 1][0] == "text"
    with pytest.raises(CompetitionFileError) as err:
        load_competition(tomllib.loads(bs[i][2]))
    assert str(err.value) == bs[i + 1][2].strip("\n")


def _example(comp_id: str) -> dict[str, Any]:
    (data,) = [d for d in toml_examples() if d.get("id") == comp_id]
    return data


def _mark(
    board: Scoreboard, program: str, competitor: str, aspect: str, judge: str, value: str
) -> None:
    n = board.programs[program].marks_applied
    board.apply(MarkSubmitted(f"m{n}", program, competitor, aspect, judge, value, 1000 + n))


def test_diving_example_scores_the_published_dive() -> None:
    board = Scoreboard(load_competition(_example("paris2024-diving")))
    diver = next(d for d in convert.load(convert.PARIS)["divers"] if d["diver"] == "Cao Yuan")
    dive = diver["dives"][0]
    for seat, mark in enumerate(dive["judges"], start=1):
        _mark(board, "m10m_final", "m10m_final-12", "D1", f"J{seat}", mark)
    row = board.snapshot("program:m10m_final:jury")["rows"][0]
    assert Decimal(row["aspects"]["D1"]["value"]) == Decimal(dive["points_published"])


def test_skating_example_scores_the_published_element_and_component() -> None:
    board = Scoreboard(load_competition(_example("owg2022")))
    perf = next(
        p for p in convert.load(convert.ISU_WOMEN)["performances"] if p["starting_number"] == 22
    )
    element, component = perf["elements"][0], perf["components"][0]
    cid = "women_free-22"
    for seat, (g, m) in enumerate(
        zip(element["judges_goe"], component["judges"], strict=True), start=1
    ):
        _mark(board, "women_free", cid, "E1", f"J{seat}", g)
        _mark(board, "women_free", cid, "SS", f"J{seat}", m)
    _mark(board, "women_free", cid, "DED", "REF", "0")
    row = board.snapshot("program:women_free:jury")["rows"][0]
    assert Decimal(row["aspects"]["E1"]["value"]) == Decimal(element["scores_of_panel"])
    assert Decimal(row["aspects"]["SS"]["value"]) == (
        Decimal(component["panel_mark"]) * Decimal(component["factor"])
    ).quantize(Decimal("0.01"))
    assert row["provisional"] is False


# -- every accepted field is documented ------------------------------------------------------

READER_METHODS = {"str", "num", "int", "bool", "list", "strs", "choice", "has"}


def loader_fields() -> set[str]:
    """Field names the loader accepts: its *_FIELDS sets, the sets passed to ``.unknown(...)``,
    and every key its readers read."""
    # the loader package's modules as one: a set defined in one may be used in another
    tree = ast.Module(
        body=[
            node
            for path in sorted(LOADER.glob("*.py"))
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        ],
        type_ignores=[],
    )
    constants: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Set):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    constants[target.id] = {
                        e.value for e in node.value.elts if isinstance(e, ast.Constant)
                    }
    fields = {f for name, values in constants.items() if name.endswith("_FIELDS") for f in values}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr = node.func.attr
        if attr == "unknown" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Set):
                fields |= {e.value for e in arg.elts if isinstance(e, ast.Constant)}
            elif isinstance(arg, ast.Name):
                fields |= constants[arg.id]
        elif attr in READER_METHODS and node.args and isinstance(node.args[0], ast.Constant):
            if isinstance(node.args[0].value, str):
                fields.add(node.args[0].value)
    return fields


def documented_fields() -> set[str]:
    """Fields with a row of their own in a table of the doc: ``| `field` | ...``."""
    return set(re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(encoding="utf-8"), re.M))


def test_loader_field_extraction_sees_the_known_sets() -> None:
    fields = loader_fields()
    assert loader_module.ASPECT_FIELDS <= fields
    assert loader_module.PROGRAM_FIELDS <= fields
    assert loader_module.COMPETITOR_FIELDS <= fields
    assert {
        "format",
        "medal_points",
        "code",
        "assignments",
        "tolerance_key",
        "eligible",
        "within",
        "points",
        "size",
    } <= fields


def test_every_loader_field_is_documented() -> None:
    missing = sorted(loader_fields() - documented_fields())
    assert not missing, f"fields accepted by scoreboard/loader.py but not documented: {missing}"


def test_every_choice_is_documented() -> None:
    text = FENCE.sub("", DOC.read_text(encoding="utf-8"))
    words = {w for span in re.findall(r"`([^`\n]+)`", text) for w in re.findall(r"[\w.]+", span)}
    enums = [
        model.AspectType,
        model.Aggregation,
        model.AgreementAction,
        model.Visibility,
        model.RankMode,
        model.Role,
        model.Status,
        loader_module._StageName,
    ]
    values = (
        {m.value for e in enums for m in e}
        | set(loader_module.AWARD_TYPES)
        | {"sd", "mad", "asc", "desc"}
    )
    missing = sorted(v for v in values if v not in words)
    assert not missing, f"values accepted by the loader but not documented: {missing}"


def test_format_version_is_documented() -> None:
    assert f"format version **{loader_module.FORMAT_VERSION}**" in DOC.read_text(encoding="utf-8")
