"""The CSV feed never hands a spreadsheet a formula (issue 12, item 7)."""

from __future__ import annotations

import csv
import io

from display.feeds import COLUMNS, csv_cell, csv_text


def test_a_text_that_would_start_a_formula_is_written_as_text() -> None:
    for hostile in (
        '=HYPERLINK("http://x","win")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
    ):
        assert csv_cell(hostile) == "'" + hostile, hostile


def test_numbers_and_plain_text_stay_as_they_are() -> None:
    for plain in ("-3.50", "-1e3", "+2", "98.25", "", "王小明", "Li Na", "a=b", "1-2"):
        assert csv_cell(plain) == plain, plain


def test_the_feed_table_escapes_every_column_and_still_reads_back() -> None:
    row = {c: "" for c in COLUMNS}
    row.update(name_zh="=1+2", name_en="@cmd", total="-1.50", bib="007", delegation="-JZ")
    text = csv_text([row])
    assert text.startswith("\ufeff") and "\r\n" in text
    back = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert back == [{**row, "name_zh": "'=1+2", "name_en": "'@cmd", "delegation": "'-JZ"}]
