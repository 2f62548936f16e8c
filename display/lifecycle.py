"""A program's lifecycle on its public pages: the stage in words, the objection deadline,
completed marking, corrections (更正) and the rows under appeal (申诉中).

Everything comes from the public board's header (``scoreboard/lifecycle/header.py``), where
visibility is already applied. ``key`` is what ``live.js`` compares to re-render the page
when any of it changes (``lifeKey`` there: keep the two the same).
"""

from __future__ import annotations

import datetime
from typing import Any

from .i18n import Translator

STAGE_WORDS = {
    "marking": "Marking in progress",
    "review": "Under review",
    "publication": "Published for objections",
    "final": "Final results",
}


def clock(ts: int | None) -> str:
    if not isinstance(ts, int):
        return ""
    return datetime.datetime.fromtimestamp(ts / 1000).strftime("%H:%M")


def key(board: dict[str, Any]) -> str:
    life = board.get("lifecycle") or {}
    return "|".join(
        str(x)
        for x in (
            life.get("stage", ""),
            life.get("objections_until", ""),
            len(board.get("corrections") or []),
            len(board.get("appeals") or []),
        )
    )


def view(board: dict[str, Any], t: Translator) -> dict[str, Any]:
    """What the page says about the lifecycle, in the page's language."""
    life = board.get("lifecycle") or {"stage": "marking"}
    stage = life.get("stage", "marking")
    progress = board.get("progress") or {}
    names = {r["competitor"]["id"]: r["competitor"] for r in board.get("rows", [])}
    until = clock(life.get("objections_until"))
    words = t(STAGE_WORDS.get(stage, "Marking in progress"))
    if stage == "publication" and until:
        words = t("Published for objections: objections until {time}", time=until)
    return {
        "stage": stage,
        "words": words,
        "progress": t(
            "{complete} of {of} complete", complete=progress["complete"], of=progress["of"]
        )
        if progress
        else "",
        "moving": bool(board.get("moving")),
        "appealed": {a["competitor"] for a in board.get("appeals") or []},
        "corrections": [
            {
                "bib": c["bib"],
                "name": t.name(names.get(c["competitor"], {}).get("name")),
                "previous": c["previous"] or "–",
                "value": c["value"] or "–",
                "time": clock(c["ts"]),
            }
            for c in board.get("corrections") or []
        ],
    }


def mark_rows(board: dict[str, Any], appealed: set[str]) -> dict[str, Any]:
    """The board with ``appealed: true`` on rows under appeal (the page marks them 申诉中)."""
    if not appealed:
        return board
    rows = [
        {**r, "appealed": True} if r["competitor"]["id"] in appealed else r for r in board["rows"]
    ]
    return {**board, "rows": rows}
