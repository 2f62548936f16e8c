"""A program's official state as the documents print it: the one place that reads it.

The lifecycle (issue 14): in review and in 公示 a program's results are not official yet
(in 公示 they are public, open to appeals); final is official (``published``, the word the
documents always used); before review, the program's visibility.
"""

from __future__ import annotations

from scoreboard import Scoreboard
from scoreboard.model import Lifecycle

WORDS: dict[str, tuple[str, str]] = {
    "live": ("比赛进行中，非正式成绩", "In progress: results not official"),
    "hidden": ("成绩未公开，非正式成绩", "Not public: results not official"),
    "frozen": ("成绩已冻结，非正式成绩", "Frozen: results not official"),
    "review": ("成绩复核中，非正式成绩", "Under review: results not official"),
    "publication": ("公示中，尚非最终成绩", "Published for objections: results not yet final"),
    "published": ("已公布：正式成绩", "Published: official results"),
}


def program_state(board: Scoreboard, pid: str) -> str:
    """The program's state word (a key of ``WORDS``)."""
    state = board.programs[pid]
    stage = state.lifecycle.stage
    if stage is Lifecycle.FINAL:
        return "published"
    if stage in (Lifecycle.REVIEW, Lifecycle.PUBLICATION):
        return stage.value
    return state.visibility.value


def is_official(state: str) -> bool:
    return state == "published"


def state_words(state: str) -> tuple[str, str]:
    return WORDS.get(state, (state, state))
