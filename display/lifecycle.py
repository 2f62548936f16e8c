"""A program's lifecycle on its public pages: the stage in words, the objection deadline,
completed marking, corrections (更正) and the rows under appeal (申诉中).

Everything comes from the public board's header (``scoreboard/lifecycle/header.py``), where
visibility is already applied. Every public screen uses it: the program and competitor pages,
the venue displays, the overlays and the feeds. ``key`` is what ``live.js`` compares to
re-render the program page when any of it changes (``lifeKey`` there: keep the two the same);
the other screens keep their stage line (``[data-life-of]``) and their rows' marks current
without a reload: ``stageWords`` and ``markRows`` in ``live.js`` are ``words`` and
``mark_rows`` here.
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


def words(board: dict[str, Any], t: Translator) -> str:
    """The stage in words: 评分中 / 复核中 / 公示中，异议截止 14:30 / 最终成绩."""
    life = board.get("lifecycle") or {}
    stage = life.get("stage", "marking")
    until = clock(life.get("objections_until"))
    if stage == "publication" and until:
        return t("Published for objections: objections until {time}", time=until)
    return t(STAGE_WORDS.get(stage, "Marking in progress"))


def view(board: dict[str, Any], t: Translator) -> dict[str, Any]:
    """What the page says about the lifecycle, in the page's language."""
    life = board.get("lifecycle") or {"stage": "marking"}
    stage = life.get("stage", "marking")
    progress = board.get("progress") or {}
    names = {r["competitor"]["id"]: r["competitor"] for r in board.get("rows", [])}
    return {
        "stage": stage,
        "words": words(board, t),
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


def mark_rows(board: dict[str, Any]) -> dict[str, Any]:
    """The board with ``appealed: true`` on rows under appeal (申诉中) and ``correction`` (the
    latest one's previous and new value) on corrected rows (更正), as the header names them."""
    appealed = {a["competitor"] for a in board.get("appeals") or []}
    corrected = {c["competitor"]: c for c in board.get("corrections") or []}  # the latest wins
    if not appealed and not corrected:
        return board
    rows = []
    for r in board["rows"]:
        cid = r["competitor"]["id"]
        if cid in appealed or cid in corrected:
            r = dict(r)
            if cid in appealed:
                r["appealed"] = True
            if cid in corrected:
                c = corrected[cid]
                r["correction"] = {"previous": c["previous"], "value": c["value"]}
        rows.append(r)
    return {**board, "rows": rows}
