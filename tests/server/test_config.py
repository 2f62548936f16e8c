"""Settings are data: each one documented, read from flags and the environment."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from server.cli import main, parser
from server.config import HELP, Settings
from server.errors import SettingError

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"


def test_every_setting_has_help_and_a_documented_row() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for f in fields(Settings):
        assert f.name in HELP, f"{f.name} has no help text in server/config.py"
        assert f"SCORECAST_{f.name.upper()}" in doc, (
            f"{f.name} is not documented in docs/configuration.md"
        )
        assert f"--{f.name.replace('_', '-')}" in doc


def test_flags_win_over_environment_which_wins_over_defaults() -> None:
    env = {"SCORECAST_PORT": "9001", "SCORECAST_STORE": "sqlite:///x.db"}
    s = Settings.load({"port": "9002"}, env)
    assert s.port == 9002 and s.store == "sqlite:///x.db" and s.broker == "memory://"
    with pytest.raises(SettingError, match="port"):
        Settings.load({}, {"SCORECAST_PORT": "eighty"})


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    for command in ("demo", "serve", "credentials"):
        assert f"scorecast {command}" in out
    serve_help = parser().format_help()
    assert "SCORECAST_" in serve_help


def test_a_bad_competition_file_exits_with_the_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[programs]]\nid = "p"\n[[programs.criteria]]\nid = "B"\nmax = "20"\n'
        '[[programs.criteria.aspects]]\nid = "B1"\ntype = "judgement"\nmax = "19.5"\n'
    )
    with pytest.raises(SystemExit) as e:
        main(
            ["credentials", "--competition", str(bad), "--store", f"sqlite:///{tmp_path / 'l.db'}"]
        )
    assert "line 6: programs[p].criteria[B].aspects sum to 19.50, criterion max is 20.00" in str(
        e.value
    )
    with pytest.raises(SystemExit, match="cannot read"):
        main(["credentials", "--competition", str(tmp_path / "missing.toml")])


def test_credentials_print_once_and_write_qr_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = Path(__file__).resolve().parents[2] / "scoreboard" / "samples" / "provincial2026.toml"
    store = f"sqlite:///{tmp_path / 'ledger.db'}"
    assert (
        main(
            [
                "credentials",
                "--competition",
                str(sample),
                "--store",
                store,
                "--judge",
                "welding-chief",
                "--qr",
                str(tmp_path / "qr"),
                "--base-url",
                "http://10.0.0.5:8000/",
            ]
        )
        == 0
    )
    lines = [ln for ln in capsys.readouterr().out.splitlines() if not ln.startswith("#")]
    judge, role, token, url = lines[0].split("\t")
    assert (judge, role) == ("welding-chief", "chief") and token.startswith("welding-chief.")
    assert url == f"http://10.0.0.5:8000/judge#token={token}"
    assert (
        (tmp_path / "qr" / "welding-chief.svg").read_text().lstrip().startswith(("<?xml", "<svg"))
    )
    import sqlite3

    stored = (
        sqlite3.connect(tmp_path / "ledger.db").execute("SELECT digest FROM credentials").fetchall()
    )
    assert len(stored) == 1 and token not in stored[0][0]  # only a salted hash is kept
