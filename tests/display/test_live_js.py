"""live.js agrees with the Python it mirrors: ``apply_delta`` (scoreboard/views.py) and the field rules (display/fields.py)."""

from __future__ import annotations

import copy
import datetime
import random
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser

from display import lifecycle
from display.data import medal_view
from display.fields import Fields
from display.i18n import Translator
from display.render import print_stamp
from scoreboard import apply_delta
from scoreboard.views import View
from tests.display.browsing import live, open_page
from tests.hubkit import HubProcess

pytestmark = pytest.mark.browser


def delta_cases(
    seed: int = 7, steps: int = 300
) -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """(snapshot, delta, next snapshot) triples from a View taking random updates."""
    rnd = random.Random(seed)
    view = View({"program": "p", "visibility": "live"}, history=steps)
    ids = [f"c{i}" for i in range(12)]
    cases = []
    for _ in range(steps):
        before = copy.deepcopy(view.snapshot())
        rows = [
            {
                "competitor": {"id": cid},
                "total": str(rnd.randint(0, 30)),
                "rank": rnd.randint(1, 12),
            }
            for cid in rnd.sample(ids, rnd.randint(0, 3))
        ]
        live_ids = list(view.order) + [
            r["competitor"]["id"] for r in rows if r["competitor"]["id"] not in view.order
        ]
        removed = rnd.sample(live_ids, 1) if live_ids and rnd.random() < 0.15 else []
        order = None
        grows = any(r["competitor"]["id"] not in view.order for r in rows)
        if grows or removed or rnd.random() < 0.5:  # a view is told its order when rows come or go
            order = [i for i in live_ids if i not in removed]
            rnd.shuffle(order)
        header = {"visibility": rnd.choice(["live", "frozen"])} if rnd.random() < 0.2 else None
        # rows whose rank alone changes go in the delta's ``ranks`` (``View.update``'s moved)
        touched = {r["competitor"]["id"] for r in rows} | set(removed)
        movable = [i for i in view.order if i not in touched]
        moved = {
            i: {**view.rows[i], "rank": view.rows[i]["rank"] % 12 + 1}
            for i in rnd.sample(movable, min(len(movable), rnd.randint(0, 3)))
        }
        ranks = {i: r["rank"] for i, r in moved.items()}
        delta = view.update(rows, order, header, removed, moved=(moved, ranks))
        if delta is not None:
            cases.append((before, copy.deepcopy(delta), copy.deepcopy(view.snapshot())))
    return cases


async def test_apply_delta_in_the_browser_is_the_python_one(
    site: HubProcess, browser: Browser
) -> None:
    w = await open_page(browser, site.http + "/display/ticker")
    await live(w.page, "ticker")
    cases = delta_cases()
    assert len(cases) > 200
    assert sum("ranks" in d for _, d, _ in cases) > 50  # the rank-only form is tried too
    for snap, delta, want in cases:
        assert apply_delta(snap, delta) == want
    got = await w.page.evaluate(
        "cases => cases.map(([s, d]) => window.scorecast.applyDelta(s, d))",
        [[s, d] for s, d, _ in cases],
    )
    assert got == [want for _, _, want in cases]
    # the chief desk's port (judge_client/static/desk.js) too, ``ranks`` included
    desk = await w.page.evaluate(
        """async cases => { const m = await import('/judge/static/desk.js');
                            return cases.map(([s, d]) => m.applyDelta(s, d)); }""",
        [[s, d] for s, d, _ in cases],
    )
    assert desk == [want for _, _, want in cases]
    # a gap is refused, as in Python
    snap, delta, _ = cases[5]
    error = await w.page.evaluate(
        """([s, d]) => { try { window.scorecast.applyDelta(s, {...d, from: d.from + 1});
                                                    return null; } catch (e) { return e.message; } }""",
        [snap, delta],
    )
    assert error and "does not apply" in error
    # ticker and overview rows are keyed by "id"
    ticker = {"version": 0, "rows": [{"id": "t1", "competitor": {"id": "x"}}]}
    d = {
        "from": 0,
        "version": 1,
        "rows": [{"id": "t2", "competitor": {"id": "x"}}],
        "order": ["t2", "t1"],
    }
    assert await w.page.evaluate(
        "([s, d]) => window.scorecast.applyDelta(s, d)", [ticker, d]
    ) == apply_delta(ticker, d)


FIELDS = [
    "rank",
    "total",
    "name",
    "name_alt",
    "bib",
    "delegation",
    "delegation_name",
    "award",
    "titles",
    "program_name",
    "visibility",
    "progress",
    "time",
    "criteria.A",
    "criteria.B",
    "correction",
    "stage",
    "medals.gold",
    "nope.x",
]


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_field_rules_in_the_browser_are_the_python_ones(
    site: HubProcess, browser: Browser, lang: str
) -> None:
    w = await open_page(browser, f"{site.http}/display/ticker?lang={lang}")
    await live(w.page, "ticker")
    items: list[dict[str, Any]] = []
    for pid in ("weld", "cook", "cnc", "robot"):
        items += httpx.get(f"{site.http}/api/v1/programs/{pid}/leaderboard").json()["rows"]
    items += httpx.get(f"{site.http}/api/v1/programs").json()
    items += httpx.get(f"{site.http}/api/v1/medals").json()["medals"]
    items += await w.page.evaluate("window.scorecast.snapshot('ticker').rows")
    # and the odd ones: statuses, titles, ties, a name missing in one language
    items += [
        {
            "rank": None,
            "total": None,
            "status": s,
            "competitor": {"id": "z", "bib": "9", "name": {"zh": "甲"}, "delegation": None},
        }
        for s in ("DNS", "DNF", "DSQ", "ok")
    ]
    items += [
        {
            "rank": 3,
            "total": "1.00",
            "status": "ok",
            "tied": True,
            "unresolved_tie": True,
            "award": "bronze",
            "titles": ["silver", "a title no catalog knows"],
            "best_of_delegation": True,
            "pending": True,
            "competitor": {
                "id": "y",
                "bib": "8",
                "name": {"en": "Only English"},
                "delegation": "JZ",
            },
        }
    ]
    # the lifecycle's: a corrected row (更正), a ticker item past marking
    items += [
        {
            "competitor": {"id": "x", "bib": "1", "name": {"zh": "甲"}, "delegation": None},
            "total": "9.00",
            "appealed": True,
            "correction": {"previous": "8.50", "value": "9.00"},
        },
        {
            "competitor": {"id": "x", "bib": "1", "name": {"zh": "甲"}, "delegation": None},
            "total": None,
            "correction": {"previous": "8.50", "value": None},
        },
    ]
    items += [  # an overview program in 公示: public, not final yet
        {"id": "p", "visibility": "published", "lifecycle": "publication", "competitors": 3}
    ]
    items += [
        {"id": "t", "program": "p", "stage": s, "provisional": False}
        for s in ("marking", "review", "publication", "final", "nonsense")
    ]
    medals = ["gold", "silver", "bronze"]
    delegations = {
        d["code"]: d["name"]
        for d in httpx.get(f"{site.http}/api/v1/competition").json()["delegations"]
    }
    py = Fields(Translator(lang), delegations, medals)
    want = [[py(item, f) for f in FIELDS] + [py.classes(item)] for item in items]
    got = await w.page.evaluate(
        """([items, fields]) => items.map(
        item => fields.map(f => window.scorecast.field(item, f)).concat([window.scorecast.classes(item)]))""",
        [items, FIELDS],
    )
    assert len(got) == len(want) > 40
    for item, g, x in zip(items, got, want, strict=True):
        assert g == x, item


async def test_medal_view_and_print_stamp_in_the_browser_are_the_python_ones(
    site: HubProcess, browser: Browser
) -> None:
    w = await open_page(browser, site.http + "/medals")
    await live(w.page, "overview")
    overview = await w.page.evaluate("window.scorecast.snapshot('overview')")
    row = {"delegation": "A", "rank": 1, "medals": {"gold": 1}, "points": 3, "total": 1}
    zero = {"delegation": "B", "rank": 2, "medals": {"gold": 0}, "points": 0, "total": 0}
    cases = [
        overview,
        {**overview, "medals": [{**m, "total": 0, "rank": 1} for m in overview["medals"]]},
        {"medals": [row, zero], "rows": [{"id": "p", "lifecycle": "final"}]},
        {"medals": [{**zero, "rank": 1}], "rows": [{"id": "p", "lifecycle": "final"}]},
        {"medals": [{**zero, "rank": 1}], "rows": [{"id": "p", "visibility": "frozen"}]},
        {"medals": [], "rows": []},
        {
            "medals": [{**zero, "rank": 1}],
            "rows": [{"id": "p", "visibility": "published", "lifecycle": "publication"}],
            "not_counted": 1,
        },
    ]
    got = await w.page.evaluate("cases => cases.map(window.scorecast.medalView)", cases)
    assert got == [medal_view(c) for c in cases]
    assert [g["state"] for g in got] == [
        "ranked",
        "no_medals",
        "ranked",
        "no_medals",
        "no_results",
        "no_results",
        "no_results",
    ]
    ms = 1_790_000_000_000
    js = await w.page.evaluate("ms => window.scorecast.stamp(new Date(ms))", ms)
    assert js == print_stamp(datetime.datetime.fromtimestamp(ms / 1000))


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_stage_words_and_row_marks_in_the_browser_are_the_python_ones(
    site: HubProcess, browser: Browser, lang: str
) -> None:
    """display/lifecycle.py words and mark_rows, live.js stageWords and markRows."""
    w = await open_page(browser, f"{site.http}/display/program/robot?lang={lang}")
    await live(w.page, "program:robot")
    robot = await w.page.evaluate("window.scorecast.snapshot('program:robot')")
    rows = robot["rows"]
    ids = [r["competitor"]["id"] for r in rows]
    until = 1_790_000_000_000
    boards = [robot] + [
        {**robot, "lifecycle": life}
        for life in (
            {"stage": "marking"},
            {"stage": "review"},
            {"stage": "publication", "objections_until": until},
            {"stage": "publication"},
            {"stage": "final", "objections_until": until},
            {},
        )
    ]
    boards.append(
        {
            **robot,
            "appeals": [{"competitor": ids[0], "aspect": None}],
            "corrections": [
                {"competitor": ids[1], "bib": "2", "previous": "1.00", "value": "2.00", "ts": 1},
                {"competitor": ids[1], "bib": "2", "previous": "2.00", "value": "3.00", "ts": 2},
                {"competitor": ids[0], "bib": "1", "previous": None, "value": "4.00", "ts": 3},
            ],
        }
    )
    t = Translator(lang)
    got = await w.page.evaluate(
        "bs => bs.map(b => [window.scorecast.stageWords(b), window.scorecast.markRows(b)])",
        boards,
    )
    assert got == [[lifecycle.words(b, t), lifecycle.mark_rows(b)] for b in boards]
    marked = got[-1][1]["rows"]
    assert marked[0]["appealed"] is True and marked[0]["correction"]["value"] == "4.00"
    assert marked[1]["correction"] == {"previous": "2.00", "value": "3.00"}
    deadline = t("Published for objections: objections until {time}", time=lifecycle.clock(until))
    assert got[3][0] == deadline and got[4][0] == t("Published for objections")
