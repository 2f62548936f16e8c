"""Errors of the scoring core.

Every refusal is a typed error with a stable ``code`` (for the wire) and a
message that says what to do::

    ScoreboardError
    ├── CompetitionFileError      a competition file that does not hold together
    └── EventRefused              an event the state refuses; the state is unchanged
        ├── UnknownId             unknown_program, unknown_competitor, unknown_aspect, ...
        ├── InvalidValue          out_of_range, off_step, invalid_value
        ├── NotAllowed            not_assigned, conflict_of_interest, wrong_role
        └── StateConflict         locked, signed_off, not_locked, no_mark, ...
"""

from __future__ import annotations


class ScoreboardError(Exception):
    code = "scoreboard_error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class CompetitionFileError(ScoreboardError):
    """A competition file with problems; ``problems`` lists every one of them."""

    code = "competition_file"

    def __init__(self, problems: list[str], where: list[str | None] | None = None) -> None:
        self.problems = problems
        # the path of the item each problem is about, where its own path does not say which
        self.where = where if where is not None else [None] * len(problems)
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"the competition file has {len(problems)} problem(s):\n{listing}")


class EventRefused(ScoreboardError):
    code = "refused"


class UnknownId(EventRefused):
    code = "unknown_id"


class InvalidValue(EventRefused):
    code = "invalid_value"


class NotAllowed(EventRefused):
    code = "not_allowed"


class StateConflict(EventRefused):
    code = "state_conflict"
