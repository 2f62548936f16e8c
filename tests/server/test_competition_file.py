"""Reading a competition file: each problem with its line (TOML), a syntax error in words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server import competition_file, toml_lines
from server.errors import CompetitionFileUnusable

GOOD = """\
format = 1
delegations = [{ code = "SY" }, { code = "DL" }]

[[programs]]
id = "welding"
places = 2

[[programs.criteria]]
id = "A"

[[programs.criteria.aspects]]
id = "A1"
type = "score"
range = ["0", "10"]

[[programs.competitors]]
bib = "01"
delegation = "SY"

[[programs.competitors]]
bib = "07"
delegation = "DL"

[[judges]]
id = "J1"
assignments = [{ program = "welding" }]
"""


def refused(tmp_path: Path, text: str, name: str = "c.toml") -> str:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(CompetitionFileUnusable) as e:
        competition_file.load(f)
    return str(e.value)


def test_the_good_file_loads(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text(GOOD, encoding="utf-8")
    data, comp = competition_file.load(f)
    assert list(comp.programs["welding"].competitors) == ["welding-01", "welding-07"]


def test_each_problem_gives_its_line_and_ids(tmp_path: Path) -> None:
    text = GOOD.replace('bib = "07"\ndelegation = "DL"', 'bib = "07"\ndelegation = "XX"')
    text = text.replace('range = ["0", "10"]', 'range = ["0", "10"]\nstep = "0.3"')
    text += '\n[[judges]]\nid = "J1"\n'
    out = refused(tmp_path, text)
    assert out.endswith(
        "the competition file has 3 problem(s):\n"
        "  - line 15: programs[welding].criteria[A].aspects[A1].step 0.3 never reaches the "
        "maximum 10 from 0: use a step that divides 10\n"
        "  - line 23: programs[welding].competitors[07].delegation 'XX' is not a delegation of "
        "the competition; add it to delegations\n"
        "  - line 29: judges[J1] id 'J1' is used twice (items #1 and #2); ids must be unique"
    ), out


def test_a_panel_that_cannot_be_filled_names_the_competitor_and_its_line(tmp_path: Path) -> None:
    text = GOOD.replace('type = "score"', 'type = "score"\npanel = 2')
    text += '\n[[judges]]\nid = "J2"\ndelegation = "DL"\nassignments = [{ program = "welding" }]\n'
    out = refused(tmp_path, text)
    assert out.endswith(
        "  - line 21: programs[welding].competitors[07] (from DL) can never be marked on aspect "
        "A1 of welding: under conflict of interest only 1 judge is free to mark a competitor "
        "from DL (J1), and the panel of A1 is 2; assign a judge of another delegation, or set "
        "conflict_of_interest = false"
    ), out


def test_json_problems_name_ids(tmp_path: Path) -> None:
    import tomllib

    data = tomllib.loads(GOOD)
    data["programs"][0]["competitors"][1]["status"] = "gone"
    out = refused(tmp_path, json.dumps(data, indent=1), "c.json")
    assert "\n  - programs[welding].competitors[07].status is 'gone'" in out
    assert refused(tmp_path, '{"format": 1,\n "id": }', "c.json").endswith(
        "is not valid JSON: line 2: Expecting value"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            'id = "cook\nname = "Cooking"\n',
            'line 1: the text in quotes that starts at column 6 is not closed: end it with " '
            'on the same line (text over several lines goes between """ and """) '
            "(the parser says: Illegal character '\\n' (at line 1, column 11))",
        ),
        (
            'id = "cook"\nname = Cooking\n',
            'line 2: Cooking is not a value: put text in quotes ("Cooking")',
        ),
        ('id = "a"\nplaces = 2\nid = "b"\n', "line 3: id is given twice; keep one of them"),
        ('[[programs]\nid = "a"\n', "line 1: the header [[programs is not closed: end it with ]]"),
        ('keys = ["total desc",\n  "aspect:B4 asc"\n', "line 3: the list opened on line 1"),
        ('id "cook"\n', "line 1: the key id must be followed by = and a value"),
    ],
)
def test_a_toml_syntax_error_says_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    out = refused(tmp_path, text)
    assert out.startswith(f"{tmp_path / 'c.toml'} is not valid TOML: {words}"), out
    assert "(the parser says: " in out


def test_every_key_of_the_sample_has_its_line() -> None:
    import tomllib

    text = competition_file.SAMPLE.read_text(encoding="utf-8")
    where = toml_lines.lines(text)
    rows = text.split("\n")

    def paths(x: object, k: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
        out = [k] if k else []
        if isinstance(x, dict):
            for a, b in x.items():
                out += paths(b, (*k, a))
        elif isinstance(x, list):
            for i, b in enumerate(x):
                out += paths(b, (*k, i))
        return out

    every = paths(tomllib.loads(text))
    assert len(every) > 2000
    for keys in every:
        assert keys in where, keys
        if isinstance(keys[-1], str):  # a key's line holds the key
            assert str(keys[-1]) in rows[where[keys] - 1], (keys, where[keys])
