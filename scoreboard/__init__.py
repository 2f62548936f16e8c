"""Scorecast's pure scoring core: marks in, ranked leaderboards, awards and deltas out.

No I/O here: no clock, no sockets, no database (a test checks the imports).
"""

from .board import JURY, PUBLIC, Audience, ChannelKind, Scoreboard, Update, program_channel
from .errors import (
    CompetitionFileError,
    EventRefused,
    InvalidValue,
    NotAllowed,
    ScoreboardError,
    StateConflict,
    UnknownId,
)
from .events import (
    Decrypted,
    DrawMade,
    EntryMade,
    Event,
    Locked,
    MarkSubmitted,
    MarkWithdrawn,
    SignedOff,
    StatusChanged,
    Unlocked,
    VisibilityChanged,
    event_from_dict,
    event_to_dict,
)
from .loader import FORMAT_VERSION, load_competition
from .model import Competition, Program, Visibility
from .numbers import fmt, parse_number, round_half_up
from .views import View, apply_delta, old_shape, row_id

__all__ = [
    "JURY",
    "PUBLIC",
    "Scoreboard",
    "Update",
    "Audience",
    "ChannelKind",
    "program_channel",
    "CompetitionFileError",
    "EventRefused",
    "InvalidValue",
    "NotAllowed",
    "ScoreboardError",
    "StateConflict",
    "UnknownId",
    "Decrypted",
    "DrawMade",
    "EntryMade",
    "Event",
    "Locked",
    "MarkSubmitted",
    "MarkWithdrawn",
    "SignedOff",
    "StatusChanged",
    "Unlocked",
    "VisibilityChanged",
    "event_from_dict",
    "event_to_dict",
    "FORMAT_VERSION",
    "load_competition",
    "Competition",
    "Program",
    "Visibility",
    "fmt",
    "parse_number",
    "round_half_up",
    "View",
    "apply_delta",
    "old_shape",
    "row_id",
]
