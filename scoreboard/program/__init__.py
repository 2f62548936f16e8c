"""One program's live state, and how it ranks.

- ``state``          ``ProgramState``: marks, locks, sign-offs, results; ``check`` and ``apply``
- ``checks``         what an event may do (refusals with their codes), visibility transitions
- ``standings``      ``Standing`` (what ranking gives a competitor) and ranking's memory
- ``field_ranking``  ranking the whole field
- ``incremental``    re-ranking after one competitor's result changed
"""

from __future__ import annotations

from ..numbers import ZERO
from .checks import TRANSITIONS
from .progress import Mark
from .standings import Standing
from .state import ProgramState

__all__ = ["ProgramState", "Standing", "Mark", "TRANSITIONS", "ZERO"]
