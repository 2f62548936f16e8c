"""The whole competition's state: apply events, read snapshots and deltas per channel.

- ``scoreboard``    ``Scoreboard``: applies an event, returns the ``Update`` of each channel
- ``channels``      channel names, audiences, ``Update``
- ``leaderboards``  the program channels, visibility applied
- ``rows``          one competitor's row as an audience sees it
- ``row_cache``     rows remade only from what changed
- ``overview``      programs, medal table, best standardised result
- ``ticker``        the latest public results
"""

from __future__ import annotations

from ..views import row_id
from .channels import JURY, PUBLIC, Audience, ChannelKind, Update, program_channel
from .rows import jury_aspects
from .scoreboard import Scoreboard

__all__ = [
    "Scoreboard",
    "Update",
    "program_channel",
    "jury_aspects",
    "row_id",
    "PUBLIC",
    "JURY",
    "Audience",
    "ChannelKind",
]
