"""The event plan: venues, categories (tracks), side events, honours; each program's category,
venue and days (all optional: docs/competition-format.md, "The whole event")."""

from __future__ import annotations

import re
from typing import Any

from ..event_plan import SIDE_EVENT_KINDS, Category, EventPlan, HonourRule, SideEvent, Venue
from ..model import Name, Program
from .reader import Problems, Reader, indexed

PLAN_FIELDS = {"venues", "categories", "side_events", "honours", "talent_contact"}
PROGRAM_PLAN_FIELDS = {"category", "venue", "days"}
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_day(v: Any) -> bool:
    m = _DAY.match(v) if isinstance(v, str) else None
    if m is None:
        return False
    month, day = int(m[2]), int(m[3])
    return 1 <= month <= 12 and 1 <= day <= _MONTH_DAYS[month - 1]


def read_plan(r: Reader, p: Problems) -> EventPlan:
    venues: dict[str, Venue] = {}
    for path, d in indexed(r.list("venues"), "venues", "id", p):
        vr = Reader(d, path, p)
        vr.unknown({"id", "name", "city"})
        vid = vr.str("id", required=True)
        venues[vid] = Venue(vid, vr.name(fallback=vid), vr.name("city") if vr.has("city") else None)
    categories: dict[str, Category] = {}
    for path, d in indexed(r.list("categories"), "categories", "id", p):
        cr = Reader(d, path, p)
        cr.unknown({"id", "name"})
        cid = cr.str("id", required=True)
        categories[cid] = Category(cid, cr.name(fallback=cid))
    side = tuple(
        _side_event(Reader(d, path, p), venues)
        for path, d in indexed(r.list("side_events"), "side_events", "id", p)
    )
    honours = tuple(
        _honour(Reader(d, path, p)) for path, d in indexed(r.list("honours"), "honours", "id", p)
    )
    contact = r.str("talent_contact") or None
    return EventPlan(venues, categories, side, honours, contact)


def _optional_name(r: Reader, key: str) -> Name | None:
    return r.name(key) if r.has(key) else None


def _day(r: Reader, key: str) -> str:
    v = r.str(key, required=True)
    if v and not is_day(v):
        r.p.add(r.at(key), f"is {v!r}; write a date as YYYY-MM-DD, like 2026-05-20")
    return v


def _side_event(r: Reader, venues: dict[str, Venue]) -> SideEvent:
    r.unknown({"id", "kind", "name", "day", "start", "end", "venue", "place", "text"})
    sid = r.str("id", required=True)
    kind = r.str("kind", "other")
    if kind not in SIDE_EVENT_KINDS:
        r.p.add(r.at("kind"), f"is {kind!r}; use one of {', '.join(SIDE_EVENT_KINDS)}")
    times = []
    for key in ("start", "end"):
        v = r.str(key) or None
        if v is not None and not _TIME.match(v):
            r.p.add(r.at(key), f"is {v!r}; write a time as HH:MM, like 09:30")
        times.append(v)
    if times[0] and times[1] and times[1] < times[0]:
        r.p.add(r.at("end"), f"is before the start {times[0]}")
    venue = r.str("venue") or None
    if venue is not None and venue not in venues:
        r.p.add(r.at("venue"), f"{venue!r} is not one of the venues; add it to venues")
    return SideEvent(
        id=sid,
        kind=kind,
        name=r.name(fallback=sid),
        day=_day(r, "day"),
        start=times[0],
        end=times[1],
        venue=venue,
        place=_optional_name(r, "place"),
        text=_optional_name(r, "text"),
    )


def _honour(r: Reader) -> HonourRule:
    r.unknown(
        {
            "id",
            "title",
            "kind",
            "top",
            "team_top",
            "awards",
            "programs",
            "born_from",
            "tags",
            "note",
        }
    )
    hid = r.str("id", required=True)
    kind = r.str("kind", "title")
    if kind not in ("title", "promotion"):
        r.p.add(r.at("kind"), f"is {kind!r}; use 'title' or 'promotion'")
    top = r.int("top", 0, low=0) or None
    team_top = r.int("team_top", 0, low=0) or None
    awards = r.strs("awards") or ()
    if top is None and team_top is None and not awards:
        r.p.add(r.path, "names nobody: give top, team_top or awards")
    born = r.int("born_from", 0, low=0) or None
    return HonourRule(
        id=hid,
        title=r.name("title", fallback=hid),
        kind=kind,
        top=top,
        team_top=team_top,
        awards=awards,
        programs=r.strs("programs") or (),
        born_from=born,
        tags=r.strs("tags") or (),
        note=_optional_name(r, "note"),
    )


def read_placement(r: Reader) -> tuple[str | None, str | None, tuple[str, ...]]:
    """A program's category, venue and days (checked against the plan by ``check_plan``)."""
    days = r.strs("days") or ()
    for i, d in enumerate(days):
        if not is_day(d):
            r.p.add(f"{r.at('days')}[{i}]", f"is {d!r}; write a date as YYYY-MM-DD")
    return r.str("category") or None, r.str("venue") or None, days


def check_plan(plan: EventPlan, programs: dict[str, Program], p: Problems) -> None:
    """Each program's category and venue, and each honour's programs, exist."""
    for prog in programs.values():
        at = f"programs[{prog.id}]"
        if prog.category is not None and prog.category not in plan.categories:
            p.add(f"{at}.category", f"{prog.category!r} is not one of the categories; add it")
        if prog.venue is not None and prog.venue not in plan.venues:
            p.add(f"{at}.venue", f"{prog.venue!r} is not one of the venues; add it")
    for rule in plan.honours:
        for pid in rule.programs:
            if pid not in programs:
                p.add(f"honours[{rule.id}].programs", f"{pid!r} is not a program")
