"""The public index of a large competition (issue 16: 108 programs): programs grouped by
category (track), filtered by a search text, a venue and a day, in the file's order.

Server-side, so the index works without JavaScript (``?q=&venue=&day=``); ``static/find.js``
filters the same list as one types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scoreboard import Competition, Program
from scoreboard.model import Name

OTHER: Name = {"zh": "其他项目", "en": "Other programs"}


@dataclass
class Group:
    id: str
    name: Name
    rows: list[dict[str, Any]] = field(default_factory=list)


def search_text(prog: Program, comp: Competition) -> str:
    """What the search box matches: the names in both languages, the id, category and venue."""
    parts = [prog.id, *prog.name.values()]
    cat = comp.plan.categories.get(prog.category or "")
    venue = comp.plan.venues.get(prog.venue or "")
    for named in (cat, venue):
        if named is not None:
            parts += list(named.name.values())
    return " ".join(parts).lower()


def matches(prog: Program, comp: Competition, q: str, venue: str, day: str) -> bool:
    if q and not all(word in search_text(prog, comp) for word in q.lower().split()):
        return False
    if venue and prog.venue != venue:
        return False
    return not (day and day not in prog.days)


def groups(
    comp: Competition, rows: list[dict[str, Any]], q: str = "", venue: str = "", day: str = ""
) -> list[Group]:
    """The overview's rows by category, in the categories' order (programs without one last),
    only those that match; empty groups left out."""
    out = {cid: Group(cid, c.name) for cid, c in comp.plan.categories.items()}
    other = Group("", OTHER if out else {"zh": "", "en": ""})
    for row in rows:
        prog = comp.programs.get(row["id"])
        if prog is None or not matches(prog, comp, q, venue, day):
            continue
        out.get(prog.category or "", other).rows.append(row)
    return [g for g in [*out.values(), other] if g.rows]


def days(comp: Competition) -> list[str]:
    """Every day of the event: the programs' and the side events'."""
    found = set(comp.plan.days())
    for prog in comp.programs.values():
        found.update(prog.days)
    return sorted(found)
