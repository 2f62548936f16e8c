"""``scorecast judge``: interactive entry with feedback, and the status listing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.hubkit import ROOT, HubProcess
from tests.judge.kit import ledger_events


def scorecast(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server.cli", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_interactive_entry_shows_acks_checks_and_refusals(hub: HubProcess, tmp_path: Path) -> None:
    outbox = str(tmp_path / "sy.db")
    lines = [
        "weld 1 B1 8.5",  # bib 1 → weld-1, acked
        "2 B1 11",  # one program: it may be left out; out of range, checked before sending
        "weld 3 B1 7.25",  # off the step
        "weld 5 A1 2",  # weld-5 is from SY, like this judge: refused by the hub, with its reason
        "weld 9 A1 2",  # no such bib
        "signoff 1",
        "weld 1 B1 9",  # after the sign-off: refused
        "status",
        "quit",
    ]
    r = scorecast(
        "judge",
        "--hub",
        hub.ws,
        "--token",
        hub.tokens["weld-sy"],
        "--outbox",
        outbox,
        stdin="\n".join(lines) + "\n",
    )
    out = r.stdout
    assert r.returncode == 0, out + r.stderr
    assert "weld: A1 (0–3), A2 (pass/fail), B1 (0–10 step 0.5)" in out
    assert "mark weld weld-1 B1 8.5: ✓ acked #2" in out  # seq 1: the definition
    assert "✗ 11 is out of range for B1; enter a value from 0 to 10" in out
    assert "✗ 7.25 is not on the step of B1; use steps of 0.5 from 0" in out
    assert (
        "mark weld weld-5 A1 2: ✗ refused [conflict_of_interest]" in out
        and "another judge must mark" in out
    )
    assert "✗ competitor '9' is not in program weld" in out
    assert "signoff weld weld-1: ✓ acked #3" in out
    assert "mark weld weld-1 B1 9: ✗ refused [signed_off]" in out
    assert "0 pending, 2 acked, 2 refused" in out
    assert [e["kind"] for _, _, e in ledger_events(hub)] == ["mark", "signoff"]

    listing = scorecast("judge", "status", "--outbox", outbox, "--json")
    states = [json.loads(line)["state"] for line in listing.stdout.splitlines()]
    assert sorted(states) == ["acked", "acked", "refused", "refused"]


def test_marks_typed_while_the_hub_is_down_wait_in_the_outbox(
    hub: HubProcess, tmp_path: Path
) -> None:
    outbox = str(tmp_path / "j1.db")
    token = hub.tokens["weld-j1"]
    scorecast(
        "judge", "--hub", hub.ws, "--token", token, "--outbox", outbox, stdin="weld 1 B1 8\nquit\n"
    )
    hub.stop()
    r = scorecast(
        "judge",
        "--hub",
        hub.ws,
        "--token",
        token,
        "--outbox",
        outbox,
        stdin="weld 2 B1 6.5\nweld 3 B1 12\nquit\n",
    )
    assert "queued; it goes out when the hub answers" in r.stdout
    assert "✗ 12 is out of range" in r.stdout, (
        "checked offline against the scheme kept in the outbox"
    )
    assert "1 mark(s) stay in the outbox" in r.stdout
    assert (
        "1 pending, 1 acked, 0 refused" in scorecast("judge", "status", "--outbox", outbox).stdout
    )
    hub.start()
    r = scorecast(
        "judge", "flush", "--hub", hub.ws, "--token", token, "--outbox", outbox, "--timeout", "20"
    )
    assert r.returncode == 0 and "0 pending, 2 acked, 0 refused in all" in r.stdout
    assert [e["value"] for _, _, e in ledger_events(hub)] == ["8", "6.5"]


def test_the_cli_of_an_anonymous_program_types_and_shows_codes_only(tmp_path: Path) -> None:
    """issue 15: the CLI takes the judge's codes from /judge/api/me, never the start list."""

    from tests.anonymity_kit import anonymous_competition, draw, leaks

    hub = HubProcess(tmp_path / "hub", anonymous_competition())
    hub.issue_credentials()
    hub.start()
    try:
        d = draw(hub)  # the key, as the supervisor reads it
        station = f"{d['rows'][0]['workstation']:02d}"
        r = scorecast(
            "judge", "--hub", hub.ws, "--token", hub.tokens["weld-j1"],
            "--outbox", str(tmp_path / "j1.db"),
            stdin=f"weld {station} A2 pass\nweld {d['rows'][0]['bib']} A2 pass\nquit\n",
        )  # fmt: skip
    finally:
        hub.stop()
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"mark weld {station} A2 pass: ✓ acked" in r.stdout
    # the bib is not a code: refused before sending (and echoed as typed)
    assert "is not in program weld" in r.stdout
    shown = r.stdout.replace(f"competitor '{d['rows'][0]['bib']}'", "")
    assert leaks([shown], d, "workstation", "HLD") == []
