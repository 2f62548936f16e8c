"""A program's official state as the documents print it: the one place that reads it.

Today it is the program's visibility (published: official). The lifecycle (issue 14) will
give a program states of its own (sign-off, review, 公示, published, corrected): then
``program_state`` reads that instead, and every document follows.
"""

from __future__ import annotations

from scoreboard import Scoreboard

WORDS: dict[str, tuple[str, str]] = {
    "live": ("比赛进行中，非正式成绩", "In progress: results not official"),
    "hidden": ("成绩未公开，非正式成绩", "Not public: results not official"),
    "frozen": ("成绩已冻结，非正式成绩", "Frozen: results not official"),
    "published": ("已公布：正式成绩", "Published: official results"),
}


def program_state(board: Scoreboard, pid: str) -> str:
    """The program's state word (a key of ``WORDS``)."""
    return board.programs[pid].visibility.value


def is_official(state: str) -> bool:
    return state == "published"


def state_words(state: str) -> tuple[str, str]:
    return WORDS.get(state, (state, state))
