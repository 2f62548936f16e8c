"""Every page and feed rendered by a real hub (``scorecast serve`` in a subprocess), read over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest

from display.data import Site
from display.venue import reveal_slots
from server.config import Settings
from server.state import AppState
from tests.display.markup import rows_of
from tests.hubkit import OPEN, HubProcess, viewer

ROOT = Path(__file__).resolve().parents[2]

PAGES = [
    "/",
    "/programs/weld",
    "/programs/cook",
    "/programs/cnc",
    "/programs/robot",
    "/competitors/weld-3",
    "/competitors/cook-1",
    "/competitors/cnc-2",
    "/competitors/robot-1",
    "/delegations/JZ",
    "/delegations/SY",
    "/medals",
    "/display/program/weld",
    "/display/program/cook",
    "/display/program/cnc",
    "/display/program/robot",
    "/display/carousel?programs=weld,cook,cnc,robot&seconds=15",
    "/display/medals",
    "/display/ticker",
    "/display/ceremony/robot",
    "/display/ceremony/weld",
    "/display/ceremony/cook",
    "/overlay/lower-third",
    "/overlay/top?program=weld&n=8",
    "/overlay/top?program=cook",
]
HIDDEN_PAGES = [
    "/programs/cook",
    "/competitors/cook-1",
    "/competitors/cook-4",
    "/display/program/cook",
    "/display/carousel?programs=cook",
    "/display/ceremony/cook",
    "/overlay/top?program=cook",
]


def get(site: HubProcess, path: str, **kw: Any) -> httpx.Response:
    return httpx.get(site.http + path, timeout=10, **kw)


def api(site: HubProcess, path: str) -> Any:
    return get(site, "/api/v1" + path).json()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_from_a_running_hub(site: HubProcess, path: str) -> None:
    r = get(site, path)
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in r.text  # Chinese by default
    assert "{{" not in r.text and "{%" not in r.text
    # the live client and its configuration, and stylesheets served with a content hash
    assert 'id="live-config"' in r.text or path.startswith("/delegations/")
    for asset in re.findall(r'(?:href|src)="(/static/display/[^"]+)"', r.text):
        assert get(site, asset).status_code == 200, asset


def test_the_leaderboard_is_in_the_first_paint_in_board_order(site: HubProcess) -> None:
    board = api(site, "/programs/weld/leaderboard")
    html = get(site, "/programs/weld").text
    rows = rows_of(html, "program:weld")
    assert [r.id for r in rows] == [r["competitor"]["id"] for r in board["rows"]]
    for row, want in zip(rows, board["rows"], strict=True):
        assert row.fields["total"] == (want["total"] or "–")
        assert row.fields["rank"] == ("" if want["rank"] is None else str(want["rank"]))
        assert row.fields["name"] == want["competitor"]["name"]["zh"]
    provisional = [r for r in rows if "is-provisional" in r.classes]
    assert [r.id for r in provisional] == [
        r["competitor"]["id"] for r in board["rows"] if r["provisional"]
    ]
    # search engines and no-JS readers get names and scores as text
    assert "欧阳诗涵·阿卜杜热合曼·买买提明" in html and "16.50" in html


def test_the_venue_display_shows_one_page_of_rows(site: HubProcess) -> None:
    html = get(site, "/display/program/weld?rows=5").text
    rows = rows_of(html, "program:weld")
    board = api(site, "/programs/weld/leaderboard")
    assert [r.id for r in rows] == [r["competitor"]["id"] for r in board["rows"][:5]]
    assert "1 / 3" in html  # 12 competitors, 5 a page
    assert rows[0].fields["delegation_name"]  # delegation names, not codes


def test_language_switch_sets_a_cookie_and_english_names(site: HubProcess) -> None:
    r = get(site, "/programs/weld?lang=en")
    assert '<html lang="en">' in r.text and "Welding" in r.text and "Wang Wei" in r.text
    assert "lang=en" in r.headers["set-cookie"]
    again = get(site, "/programs/weld", cookies={"lang": "en"})
    assert (
        '<html lang="en">' in again.text and "Leaderboard" not in again.text
    )  # msgids go through the catalog
    assert "Live" in again.text and "实时" not in again.text
    zh = get(site, "/programs/weld")
    assert "实时" in zh.text and "焊接" in zh.text
    assert get(site, "/?lang=fr").text.startswith('<!doctype html>\n<html lang="zh-CN">')


def jury_totals(site: HubProcess, program: str) -> set[str]:
    """What the jury sees for a program: the numbers that must not reach the public."""
    import asyncio

    from tests.display.conftest import run_async

    out: set[str] = set()

    async def read() -> None:
        v = await viewer(site, f"program:{program}:jury", token=site.tokens[f"{program}-chief"])
        try:
            frame = await asyncio.wait_for(v.recv(), 5)
            assert frame["type"] == "snapshot", frame
            for r in frame["data"]["rows"]:
                if r.get("total"):
                    out.add(r["total"])
                    out.update(r["criteria"].values())
        finally:
            OPEN.remove(v)
            await v.close()

    run_async(read())
    return out


def test_a_hidden_program_shows_that_it_runs_and_nothing_else(site: HubProcess) -> None:
    secrets = jury_totals(site, "cook")
    assert secrets, "the jury must have scores for cook, or this test proves nothing"
    for path in HIDDEN_PAGES:
        html = get(site, path).text
        assert "进行中" in html or "等待成绩公布" in html, path
        rows = [r for r in rows_of(html) if r.channel == "program:cook"]
        assert rows == [], (path, rows)
        visible = re.sub(r"<script[^>]*>.*?</script>", "", html, flags=re.S)
        assert not [x for x in secrets if x in visible], path
        assert (
            'data-f="total"' not in html
            and 'data-f="rank"' not in html
            and 'data-f="award"' not in html
        ), path
    # nor in the feeds
    assert get(site, "/feeds/programs/cook.json").json() == []
    text = get(site, "/feeds/programs/cook.csv").content.decode("utf-8-sig")
    assert text.splitlines()[1:] == []
    xml = ET.fromstring(get(site, "/feeds/programs/cook.xml").text)
    assert xml.attrib["visibility"] == "hidden" and list(xml) == []
    # the delegation page lists its cook competitor without a score
    html = get(site, "/delegations/SY").text
    section = html.split("烹饪（西餐）")[1].split("<h3>")[0]
    assert not re.search(r"\d+\.\d\d", section), section


def test_a_frozen_program_shows_the_freeze_and_marks_later_changes_pending(
    site: HubProcess,
) -> None:
    secrets = jury_totals(site, "cnc")
    for path in ("/programs/cnc", "/display/program/cnc"):
        html = get(site, path).text
        rows = rows_of(html, "program:cnc")
        assert rows and all("is-pending" in r.classes for r in rows)
        assert all(r.fields["total"] == "–" for r in rows)  # frozen before any mark
        body = html.split("<template>")[0] + html.split("</template>")[-1]
        assert not any(s in body for s in secrets if s != "0.00")
    feed = get(site, "/feeds/programs/cnc.json").json()
    assert {r["pending"] for r in feed} == {"1"} and {r["total"] for r in feed} == {""}


def test_published_program_shows_awards_medal_table_and_ceremony(site: HubProcess) -> None:
    html = get(site, "/programs/robot").text
    rows = rows_of(html, "program:robot")
    assert [r.fields["award"] for r in rows[:3]] == ["金牌", "银牌", "铜牌"]
    assert "medal-1" in rows[0].classes
    medals = api(site, "/medals")["medals"]
    html = get(site, "/medals").text
    table = rows_of(html, "overview")
    assert [r.id for r in table] == [m["delegation"] for m in medals]
    assert table[0].fields["medals.gold"] == "1"
    ceremony = get(site, "/display/ceremony/robot").text
    slots = rows_of(ceremony, "program:robot")
    steps = [int(s) for s in re.findall(r'data-step="(\d+)"', ceremony)]
    assert len(slots) == 8 and sorted(steps) == list(range(1, 9))
    by_step = {step: slot for step, slot in zip(steps, slots, strict=True)}
    assert by_step[8].fields["award"] == "金牌" and by_step[7].fields["award"] == "银牌"
    assert by_step[1].fields["rank"] == "8"  # bottom first
    assert "等待成绩公布" in get(site, "/display/ceremony/weld").text


def test_reveal_order_is_bottom_to_top_with_medals_last() -> None:
    def row(cid: str, rank: int, award: str | None = None) -> dict[str, Any]:
        return {"rank": rank, "status": "ok", "award": award, "competitor": {"id": cid}}

    rows = [
        row("a", 1, "gold"),
        row("b", 2, "silver"),
        row("c", 2, "silver"),
        row("d", 4, "bronze"),
        row("e", 5),
        row("f", 6),
        row("g", 7),
    ]
    slots = reveal_slots(rows, ["gold", "silver", "bronze"], places=5)
    order = [r["competitor"]["id"] for r, _ in sorted(slots, key=lambda s: s[1])]
    assert order == ["e", "d", "c", "b", "a"]


def test_feeds_are_flat_tables_in_board_order(site: HubProcess) -> None:
    board = api(site, "/programs/robot/leaderboard")
    js = get(site, "/feeds/programs/robot.json")
    assert js.headers["access-control-allow-origin"] == "*"
    assert js.headers["x-scorecast-version"] == str(board["version"])
    rows = js.json()
    assert [r["bib"] for r in rows] == [r["competitor"]["bib"] for r in board["rows"]]
    assert all(isinstance(v, str) for r in rows for v in r.values())  # flat: vMix reads strings
    assert rows[0]["award"] == "gold" and rows[0]["total"] == board["rows"][0]["total"]
    assert rows[0]["program_zh"].startswith("工业机器人")
    raw = get(site, "/feeds/programs/robot.csv")
    assert raw.headers["content-type"].startswith("text/csv") and raw.content.startswith(
        b"\xef\xbb\xbf"
    )
    table = list(csv.DictReader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert table == rows
    xml = ET.fromstring(get(site, "/feeds/programs/robot.xml").text)
    assert xml.tag == "leaderboard" and xml.attrib["visibility"] == "published"
    assert [{c.tag: c.text or "" for c in row} for row in xml.findall("row")] == rows
    assert get(site, "/feeds/programs/nope.json").status_code == 404


def test_pages_and_assets_are_light_on_a_slow_link(site: HubProcess) -> None:
    r = get(site, "/programs/weld", headers={"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and r.headers["cache-control"] == "no-cache"
    assets = re.findall(r'(?:href|src)="(/static/display/[^"]+)"', r.text)
    assert len(assets) == 2 and all("?v=" in a for a in assets)
    total = 0
    for asset in assets:
        a = get(site, asset, headers={"accept-encoding": "gzip"})
        assert a.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert a.headers["content-encoding"] == "gzip"
        total += int(a.headers.get("content-length") or len(a.content))
    assert total < 15_000, total  # the CSS and the live client, compressed
    assert "immutable" not in get(site, "/static/display/live.js").headers.get("cache-control", "")


def test_unknown_ids_get_a_readable_404_page(site: HubProcess) -> None:
    for path in (
        "/programs/nope",
        "/competitors/nope",
        "/delegations/XX",
        "/display/program/nope",
        "/display/carousel?programs=weld,nope",
        "/overlay/top",
        "/display/ceremony/nope",
    ):
        r = get(site, path)
        assert r.status_code == 404 and "未找到" in r.text, path


def test_pages_read_public_channels_only() -> None:
    site = Site(
        SimpleNamespace(
            app=SimpleNamespace(state=SimpleNamespace(scorecast=AppState(Settings(), None)))  # type: ignore[arg-type]
        )
    )  # type: ignore[arg-type]
    for channel in ("program:weld:jury", "overview:jury"):
        with pytest.raises(ValueError):
            site.snapshot(channel)
    # and no template or handler asks for a jury channel
    for path in (ROOT / "display").rglob("*"):
        if path.suffix in (".py", ".html", ".js"):
            assert ":jury" not in path.read_text(encoding="utf-8") or path.name == "data.py", path


def msgids_in_sources() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "display" / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found.update(re.findall(r'_\(\s*"([^"]+)"', text))
        found.update(re.findall(r"_\(\s*'([^']+)'", text))
        for d in re.findall(r"_\(\s*\{([^}]*)\}\[", text):  # _({"live": "Live", ...}[vis])
            found.update(re.findall(r':\s*"([^"]+)"', d))
    from display.fields import STATUS_LABELS, VISIBILITY_LABELS
    from display.render import JS_MSGIDS

    found.update(JS_MSGIDS, VISIBILITY_LABELS.values(), STATUS_LABELS.values())
    found.update(
        f"No {what} with the id “{{ident}}”." for what in ("program", "competitor", "delegation")
    )
    return found


def test_catalogs_cover_every_msgid() -> None:
    wanted = msgids_in_sources()
    assert len(wanted) > 40
    for lang in ("zh", "en"):
        catalog = json.loads(
            (ROOT / "display" / "i18n" / f"{lang}.json").read_text(encoding="utf-8")
        )
        missing = wanted - set(catalog)
        assert not missing, f"{lang}.json lacks {sorted(missing)}"
        assert all(isinstance(v, str) and v for v in catalog.values())
    zh = json.loads((ROOT / "display" / "i18n" / "zh.json").read_text(encoding="utf-8"))
    untranslated = [k for k in wanted if zh[k] == k and k not in ("DNS", "DNF", "DSQ")]
    assert not untranslated, untranslated
