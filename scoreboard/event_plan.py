"""The event around the contests (issue 16): venues, categories (tracks), side events, and the
honours that follow from the results (titles, skill-level promotion).

All optional in the competition file; a file without them loads as before. Immutable, as the
rest of the model; the loader (``loader/event_plan.py``) checks them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Name = dict[str, str]  # {"zh": ..., "en": ...}

# the kinds of side events the first user's event has (docs/competition-format.md)
SIDE_EVENT_KINDS = (
    "opening",
    "closing",
    "exhibition",
    "keynote",
    "talk",
    "signing",
    "performance",
    "recruitment",
    "ceremony",
    "other",
)


@dataclass(frozen=True)
class Venue:
    id: str
    name: Name
    city: Name | None = None


@dataclass(frozen=True)
class Category:
    id: str
    name: Name


@dataclass(frozen=True)
class SideEvent:
    """An exhibition, talk, ceremony, performance or recruitment session: when and where."""

    id: str
    kind: str
    name: Name
    day: str  # YYYY-MM-DD
    start: str | None = None  # HH:MM
    end: str | None = None
    venue: str | None = None  # a venue id
    place: Name | None = None  # a hall or room within it
    text: Name | None = None


@dataclass(frozen=True)
class HonourRule:
    """A title or promotion the results lead to, for approval (``scorecast export honours``).

    A competitor is a candidate when ranked within ``top`` (``team_top`` in a team program) or
    given one of ``awards``, in the named programs (all when empty), and eligible: born in or
    after ``born_from`` (a year), and carrying every tag of ``tags`` when given."""

    id: str
    title: Name
    kind: str = "title"  # title (技术能手) or promotion (晋升技师)
    top: int | None = None
    team_top: int | None = None
    awards: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    born_from: int | None = None
    tags: tuple[str, ...] = ()
    note: Name | None = None


@dataclass(frozen=True)
class EventPlan:
    venues: dict[str, Venue] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    side_events: tuple[SideEvent, ...] = ()
    honours: tuple[HonourRule, ...] = ()
    talent_contact: str | None = None  # the organizer's contact link on /talent

    def days(self) -> list[str]:
        return sorted({e.day for e in self.side_events})
