"""An anonymous program shown to the public by codes before decryption, in the core (issue 15):
the file's setting, the public view keyed by workstation number, its deltas, and decryption."""

from __future__ import annotations

from typing import Any

import pytest

from scoreboard import (
    CompetitionFileError,
    Decrypted,
    EventRefused,
    Scoreboard,
    VisibilityChanged,
    load_competition,
)
from scoreboard.events import SignedOff
from scoreboard.model import PublicMode
from scoreboard.views import apply_delta
from tests.scoreboard.comp_builders import competition, mark, program
from tests.scoreboard.test_draw_event import drawn

ASPECTS = [{"id": "a", "type": "measurement", "max": "10"}]


def coded(**kw: Any) -> dict[str, Any]:
    kw = {"visibility": "live", "public_before_decryption": "codes", **kw}
    return program("p", ASPECTS, n=4, anonymous=True, **kw)


def refused(data: dict[str, Any]) -> str:
    with pytest.raises(CompetitionFileError) as e:
        load_competition(data)
    return str(e.value)


def test_the_file_says_codes_or_hidden_and_refuses_nonsense() -> None:
    comp = load_competition(competition(coded()))
    assert comp.programs["p"].public_before_decryption is PublicMode.CODES
    plain = load_competition(
        competition(program("p", ASPECTS, anonymous=True, visibility="hidden"))
    )
    assert plain.programs["p"].public_before_decryption is PublicMode.HIDDEN  # the default
    msg = refused(competition(coded(visibility="published")))
    assert "'p'" in msg and 'set visibility = "hidden" or "live"' in msg
    msg = refused(competition(program("p", ASPECTS, anonymous=True)))  # live, hidden mode
    assert 'public_before_decryption = "codes"' in msg and "'p'" in msg
    msg = refused(competition(program("p", ASPECTS, public_before_decryption="codes")))
    assert "not anonymous" in msg and "'p'" in msg
    assert "public_before_decryption" in refused(competition(coded(public_before_decryption="x")))


def words(sb: Scoreboard) -> set[str]:
    out = set()
    for c in sb.competition.programs["p"].competitors.values():
        out |= {c.id, *c.name.values()}
    return out


def test_the_public_view_is_by_code_its_deltas_agree_and_decryption_shows_names() -> None:
    data = competition(coded())
    data["judges"].append({"id": "S", "role": "supervisor"})
    sb = Scoreboard(load_competition(data))
    channel = "program:p"
    held = sb.snapshot(channel)
    assert held["rows"] == []  # before the draw: no code, nobody shown

    def take(updates: list[Any]) -> None:
        nonlocal held
        for u in updates:
            if u.channel == channel:
                held = apply_delta(held, u.delta)
        fresh = sb.snapshot(channel)
        assert held == fresh

    first = drawn(sb, "77")
    take(sb.apply(first))
    d = drawn(sb, "78", id="d2", reason="the envelope was opened early")  # a redraw
    take(sb.apply(d))  # the same workstation numbers, other competitors behind them
    assert d.stations != first.stations and len(held["rows"]) == 4
    ws = {cid: f"0{i + 1}" for i, cid in enumerate(d.stations)}
    assert sorted(r["competitor"]["id"] for r in held["rows"]) == sorted(ws.values())
    for i, v in ((1, "0"), (2, "1"), (3, "1"), (4, "0")):
        take(sb.apply(mark("p", f"p-{i}", "a", "J1", v)))
    rows = {r["competitor"]["id"]: r for r in held["rows"]}
    assert rows[ws["p-2"]]["total"] == rows[ws["p-3"]]["total"] != rows[ws["p-1"]]["total"]
    assert [r["competitor"]["id"] for r in held["rows"]][0] == min(ws["p-2"], ws["p-3"])
    text = str(held)
    assert not any(w in text for w in words(sb)), text
    ticker = sb.snapshot("ticker")
    assert ticker["rows"] and all(r["competitor"]["id"] in ws.values() for r in ticker["rows"])
    # the chief may hide it and show it again; it is never frozen or published under codes
    take(sb.apply(VisibilityChanged("v1", "p", "hidden", "C", 0)))
    assert {r["competitor"]["id"] for r in held["rows"]} == set(ws)  # the start list
    assert all(r["total"] is None for r in held["rows"])
    take(sb.apply(VisibilityChanged("v2", "p", "live", "C", 0)))
    assert {r["competitor"]["id"] for r in held["rows"]} == set(ws.values())
    for vis in ("frozen", "published"):
        with pytest.raises(EventRefused) as e:
            sb.apply(VisibilityChanged("v3", "p", vis, "C", 0))
        assert e.value.code == "not_decrypted"
    # decryption: the same view goes back to ids and names, in one delta
    for i in range(1, 5):
        take(sb.apply(SignedOff(f"s{i}", "p", f"p-{i}", "J1", 0)))
    take(sb.apply(Decrypted("x", "p", "C", "S", 0, gate="panels")))
    assert {r["competitor"]["id"] for r in held["rows"]} == set(ws)
    assert {r["competitor"]["name"]["en"] for r in held["rows"]} != {""}
    assert all(r["total"] for r in held["rows"])


def two_layers() -> dict[str, Any]:
    """``p`` by codes with criterion A under the workstation number, B under the second code."""
    prog = coded()
    prog["criteria"] = [
        {"id": "A", "aspects": [{"id": "a", "type": "measurement", "max": "10"}]},
        {"id": "B", "anonymous_layer": "code",
         "aspects": [{"id": "b", "type": "score", "max": "10", "range": ["0", "10"]}]},
    ]  # fmt: skip
    return competition(prog)


def test_second_layer_marks_do_not_show_under_the_workstation_number() -> None:
    """A judge of the second layer (成果评分) knows the code and the mark they gave: if the public
    board showed that mark (criterion B, or a total or rank or order it moves) under the
    workstation number, they would link the two layers, which the draw keeps apart."""
    sb = Scoreboard(load_competition(two_layers()))
    sb.apply(drawn(sb, "77"))
    before = sb.snapshot("program:p")
    ticker = sb.snapshot("ticker")
    cids = list(sb.competition.programs["p"].competitors)
    for i, cid in enumerate(cids):  # the second layer's marks, all different
        sb.apply(mark("p", cid, "b", "J1", str(i + 1)))
    after = sb.snapshot("program:p")
    assert after["rows"] == before["rows"], after["rows"]
    assert sb.snapshot("ticker")["rows"] == ticker["rows"]
    for cid in cids:  # the first layer's: shown by the workstation number, as marked
        sb.apply(mark("p", cid, "a", "J2", "1"))
    rows = sb.snapshot("program:p")["rows"]
    assert all(r["criteria"] == rows[0]["criteria"] and list(r["criteria"]) == ["A"] for r in rows)
    assert all(r["total"] is None and r["rank"] is None for r in rows), rows
    assert [r["competitor"]["id"] for r in rows] == sorted(r["competitor"]["id"] for r in rows)


def test_a_guest_is_not_told_from_the_others_by_code() -> None:
    """The start list names the guests (``guest: true``); a guest's row has a score and no rank
    and comes after every ranked one, so a board by code with ranks would say which workstation
    the guest is at, and the guest's score. A program with guests shows no rank by code."""
    prog = coded()
    prog["competitors"][2]["guest"] = True
    sb = Scoreboard(load_competition(competition(prog)))
    sb.apply(drawn(sb, "77"))
    for i, cid in enumerate(sb.competition.programs["p"].competitors):
        sb.apply(mark("p", cid, "a", "J1", "1" if i == 2 else "0"))  # the guest did best
    rows = sb.snapshot("program:p")["rows"]
    assert all(r["total"] for r in rows), rows
    plain = [{k: v for k, v in r.items() if k not in ("competitor", "total", "criteria")}
             for r in rows]  # fmt: skip
    assert all(p == plain[0] for p in plain), rows
    assert [r["competitor"]["id"] for r in rows] == sorted(r["competitor"]["id"] for r in rows)


def test_an_amendment_leaves_the_ticker_s_codes_as_codes() -> None:
    """Ticker items are renamed by competitor id after an amendment; a coded item's id is the
    workstation number, which may be a competitor's id too (ids may be given: "01"): the item
    of station 01 must not take competitor 01's name."""
    prog = coded()
    for i, c in enumerate(prog["competitors"]):
        c["id"] = f"0{i + 1}"
    data = competition(prog)
    sb = Scoreboard(load_competition(data))
    sb.apply(drawn(sb, "77"))
    for cid in sb.competition.programs["p"].competitors:
        sb.apply(mark("p", cid, "a", "J1", "1"))
    assert len(sb.snapshot("ticker")["rows"]) == 4
    data["name"] = {"zh": "改名", "en": "Renamed"}  # any amendment renames the ticker's items
    sb.amend(load_competition(data))
    items = sb.snapshot("ticker")["rows"]
    assert all(r["competitor"].get("coded") for r in items), items
    names = [n for c in sb.competition.programs["p"].competitors.values() for n in c.name.values()]
    assert not any(n in str(items) for n in names), items
    assert all(r["competitor"]["delegation"] is None for r in items), items


def test_at_decryption_the_ticker_s_items_take_the_names() -> None:
    """The items posted by code before decryption named "Station 07" for good (stale)."""
    data = competition(coded())
    data["judges"].append({"id": "S", "role": "supervisor"})
    sb = Scoreboard(load_competition(data))
    d = drawn(sb, "77")
    sb.apply(d)
    cids = list(sb.competition.programs["p"].competitors)
    for i, cid in enumerate(cids):
        sb.apply(mark("p", cid, "a", "J1", "1" if i else "0"))
        sb.apply(SignedOff(f"s{i}", "p", cid, "J1", 0))
    before = sb.snapshot("ticker")["rows"]
    assert before and all(r["competitor"]["coded"] for r in before)
    updates = sb.apply(Decrypted("x", "p", "C", "S", 0, gate="panels"))
    items = sb.snapshot("ticker")["rows"]
    assert [r["id"] for r in items] == [r["id"] for r in before]
    ws = {f"0{i + 1}": cid for i, cid in enumerate(d.stations)}
    assert [r["competitor"]["id"] for r in items] == [ws[r["competitor"]["id"]] for r in before]
    assert any(u.channel == "ticker" for u in updates)  # live, in a delta


def test_a_delta_lists_the_rows_by_code_not_in_the_file_s_order() -> None:
    """The draw's delta (and any delta of several rows: a hidden board shown again) listed the
    coded rows in the competitors' order in the file, the start list's: row k of the delta was
    the k-th competitor, so its workstation number was theirs."""
    prog = coded()
    prog["competitors"] = program("p", ASPECTS, n=8)["competitors"]
    data = competition(prog)
    sb = Scoreboard(load_competition(data))
    d = drawn(sb, "77")
    assert list(d.stations) != sorted(d.stations)  # the draw is not the file's order

    def delta_ids(updates: list[Any]) -> list[str]:
        [delta] = [u.delta for u in updates if u.channel == "program:p"]
        return [r["competitor"]["id"] for r in delta["rows"]]

    ids = delta_ids(sb.apply(d))
    assert ids == sorted(ids), ids
    sb.apply(VisibilityChanged("v1", "p", "hidden", "C", 0))
    ids = delta_ids(sb.apply(VisibilityChanged("v2", "p", "live", "C", 0)))
    assert ids == sorted(ids), ids
