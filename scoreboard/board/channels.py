"""Channel names, the audiences they serve, and the update a change makes to one.

- ``program:<id>``        a program's public leaderboard (visibility applied)
- ``program:<id>:jury``   the same program as the jury sees it: live, every mark
- ``overview`` / ``overview:jury``  programs, their visibility, the medal table
- ``ticker``              the latest public results
"""

from __future__ import annotations

import enum
from functools import lru_cache
from typing import Any, NamedTuple


class Audience(enum.StrEnum):
    """Who a channel is for: everyone, or the jury (live, every mark; never public)."""

    PUBLIC = "public"
    JURY = "jury"


class ChannelKind(enum.StrEnum):
    """What a channel shows: the first part of its name."""

    PROGRAM = "program"
    OVERVIEW = "overview"
    TICKER = "ticker"


PUBLIC = Audience.PUBLIC
JURY = Audience.JURY
AUDIENCES = (PUBLIC, JURY)
TICKER = str(ChannelKind.TICKER)


@lru_cache(maxsize=4096)  # bounded: a name may come from a client
def program_channel(program: str, audience: str = PUBLIC) -> str:
    kind = ChannelKind.PROGRAM
    return f"{kind}:{program}" if audience == PUBLIC else f"{kind}:{program}:{JURY}"


@lru_cache(maxsize=4096)  # bounded: a name may come from a client
def overview_channel(audience: str) -> str:
    return str(ChannelKind.OVERVIEW) if audience == PUBLIC else f"{ChannelKind.OVERVIEW}:{JURY}"


class Update(NamedTuple):
    """A change to one channel: the delta from ``delta['from']`` to ``delta['version']`` (a
    named tuple: one or more is made for most events, and a frozen dataclass is slower to make)."""

    channel: str
    delta: dict[str, Any]
