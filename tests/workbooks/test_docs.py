"""docs/organizers.md documents every column the importers read, and the commands."""

from __future__ import annotations

from pathlib import Path

from server.workbooks import competitors, delegations, judges, marking_scheme

DOC = (Path(__file__).resolve().parents[2] / "docs" / "organizers.md").read_text(encoding="utf-8")


def test_every_column_is_documented() -> None:
    for module in (competitors, judges, marking_scheme, delegations):
        for column in module.COLUMNS:
            assert column.header in DOC, f"{module.__name__}: {column.header} is not documented"


def test_the_commands_are_documented() -> None:
    for kind in ("scheme", "delegations", "competitors", "judges"):
        assert f"scorecast import {kind}" in DOC
    assert "scorecast template" in DOC and "--drop-missing" in DOC


def test_the_exports_are_documented() -> None:
    from server.exports.commands import KINDS

    for kind in KINDS:
        assert f"scorecast export {kind}" in DOC
    for page in ("/verify/CODE", "/talent", "/schedule", "--base-url"):
        assert page in DOC
