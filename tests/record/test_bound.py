"""Issue 13: the ledger holds the competition; a hub refuses a file that differs from it."""

from __future__ import annotations

import sqlite3

from tests.hubkit import HubProcess, judge, mark, small_competition
from tests.record.kit import (
    all_boards,
    edited,
    replayed_boards,
    scorecast,
    serve_refused,
    with_judge,
    write,
)

EXPECT = {
    "remove_competitor": ("programs[weld].competitors[weld-1] removed", "unknown"),
    "tighten_step": ("programs[weld].aspects[B1].step: 0.5 → 1", "B1"),
    "unassign_judge": ("judges[weld-j2].assignments", "weld-j2"),
    "remove_program": ("programs[cook] removed", "cook"),
}


async def marks(hub: HubProcess) -> dict[str, int]:
    seqs = {}
    j1, j2 = await judge(hub, "weld-j1"), await judge(hub, "weld-j2")
    cook = await judge(hub, "cook-j1")
    for name, (j, p, c, a, v) in {
        "half_step": (j1, "weld", "weld-2", "B1", "8.5"),
        "j2": (j2, "weld", "weld-3", "B1", "7"),
        "weld-1": (j1, "weld", "weld-1", "B1", "6"),
        "cook": (cook, "cook", "cook-1", "B1", "5"),
    }.items():
        ack = await mark(j, f"m-{name}", p, c, a, v)
        assert ack["type"] == "ack", ack
        seqs[name] = ack["seq"]
    return seqs


async def test_first_event_is_the_definition_and_each_edit_refuses_to_start(
    hub: HubProcess,
) -> None:
    seqs = await marks(hub)
    hub.stop()
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    assert db.execute("SELECT seq, kind FROM events ORDER BY seq LIMIT 1").fetchone() == (
        1,
        "competition",
    )
    lost_seq = {
        "remove_competitor": seqs["weld-1"],
        "tighten_step": seqs["half_step"],
        "unassign_judge": seqs["j2"],
        "remove_program": seqs["cook"],
    }
    for edit, (path, _) in EXPECT.items():
        f = write(hub.workdir / f"{edit}.json", edited(edit))
        out = serve_refused(hub, f)
        assert out.returncode == 4, (edit, out.stdout, out.stderr)
        assert "differs from the competition recorded" in out.stderr, out.stderr
        assert path in out.stderr, (edit, out.stderr)
        assert f"seq {lost_seq[edit]} " in out.stderr, (edit, out.stderr)
        assert "scorecast amend" in out.stderr
        assert "Traceback" not in out.stderr
    # nothing was written by the refusals; the same file still starts
    hub.start()
    assert (await mark(await judge(hub, "weld-j1"), "after", "weld", "weld-4", "B1", "3"))[
        "type"
    ] == "ack"


async def test_an_old_ledger_without_a_definition_gets_it_at_the_next_seq(
    hub: HubProcess,
) -> None:
    await marks(hub)
    hub.stop()
    # the same events in a ledger as written before issue 13: no hash column, no definition
    old_path = hub.workdir / "old.db"
    old = sqlite3.connect(old_path)
    old.executescript(
        "CREATE TABLE events (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL, body BLOB NOT NULL);"
        "CREATE TABLE credentials (judge TEXT PRIMARY KEY, digest TEXT NOT NULL);"
    )
    db = sqlite3.connect(hub.store.removeprefix("sqlite:///"))
    rows = db.execute("SELECT seq - 1, key, kind, body FROM events WHERE seq > 1").fetchall()
    old.executemany("INSERT INTO events VALUES (?, ?, ?, ?)", rows)
    old.executemany(
        "INSERT INTO credentials VALUES (?, ?)", db.execute("SELECT * FROM credentials")
    )
    old.commit()
    old.close()
    hub.store = f"sqlite:///{old_path}"
    hub.start()
    assert "ledger.definition_recorded" in hub.log_path.read_text()
    hub.stop()
    db = sqlite3.connect(old_path)
    assert db.execute("SELECT seq, kind FROM events ORDER BY seq DESC LIMIT 1").fetchone() == (
        len(rows) + 1,
        "competition",
    )
    out = scorecast("verify", "--store", hub.store)
    assert out.returncode == 0, out.stdout


async def test_amend_adds_a_judge_and_refuses_to_drop_marks(hub: HubProcess) -> None:
    seqs = await marks(hub)
    hub.stop()
    amended = write(
        hub.workdir / "amended.json", with_judge(small_competition(), "weld-j4", "weld")
    )
    out = scorecast(
        "amend",
        "--competition",
        str(amended),
        "--store",
        hub.store,
        "--reason",
        "a fourth judge",
        "--author",
        "organizer-anna",
    )
    assert out.returncode == 0, out.stderr
    assert "judges[weld-j4] added" in out.stdout
    # refused: it would drop an accepted mark; nothing is written
    before = (
        sqlite3.connect(hub.store.removeprefix("sqlite:///"))
        .execute("SELECT COUNT(*) FROM events")
        .fetchone()
    )
    dropping = write(hub.workdir / "dropping.json", edited("remove_competitor"))
    out = scorecast("amend", "--competition", str(dropping), "--store", hub.store, "--reason", "x")
    assert out.returncode == 4, (out.stdout, out.stderr)
    assert f"seq {seqs['weld-1']} " in out.stderr and "invalidate" in out.stderr
    after = (
        sqlite3.connect(hub.store.removeprefix("sqlite:///"))
        .execute("SELECT COUNT(*) FROM events")
        .fetchone()
    )
    assert before == after
    # the original file no longer starts (the amended one is in force)
    assert serve_refused(hub, hub.competition_path).returncode == 4
    hub.competition_path.write_text(amended.read_text())
    hub.issue_credentials()
    hub.start()
    j4 = await judge(hub, "weld-j4")
    ack = await mark(j4, "j4-1", "weld", "weld-5", "B1", "9")
    assert ack["type"] == "ack", ack
    running = await all_boards(hub)
    # a fresh replay (no snapshot) of a copy of the ledger equals the running hub
    assert await replayed_boards(hub, hub.competition_path) == running
    hub.stop()
    export = scorecast("export-ledger", "--store", hub.store)
    kinds = [line.split('"kind": ')[1].split(",")[0] for line in export.stdout.splitlines()]
    assert kinds[0] == '"competition"' and '"amendment"' in kinds
    assert "organizer-anna" in export.stdout and "a fourth judge" in export.stdout
    assert scorecast("verify", "--store", hub.store).returncode == 0
