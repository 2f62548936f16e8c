"""Small runtime amendments (issue 13) as edits of the competition document in force.

Each returns a new document (the one in force is never changed in place) and a one-line
summary for the record; the hub then records it like any amendment (``in_force``), so a
replay rebuilds exactly the competition these edits made. ``AmendmentRefused`` names what
is wrong and changes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import AmendmentRefused

JUDGE_FIELDS = {"id", "name", "delegation", "role", "assignments"}
COMPETITOR_FIELDS = {"name", "delegation", "bib", "members", "workplace"}


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise AmendmentRefused(f"{what} must be a JSON object")
    return value


def add_judge(data: dict[str, Any], judge: Any) -> tuple[dict[str, Any], str]:
    """A new judge (``{"id", "name", "delegation", "role", "assignments"}``, as in the file)."""
    entry = _object(judge, "add_judge")
    unknown = set(entry) - JUDGE_FIELDS
    if unknown:
        raise AmendmentRefused(
            f"add_judge: unknown field(s) {sorted(unknown)}; use {sorted(JUDGE_FIELDS)}"
        )
    jid = entry.get("id")
    if not isinstance(jid, str) or not jid:
        raise AmendmentRefused("add_judge needs the new judge's id")
    new = copy.deepcopy(data)
    judges = new.setdefault("judges", [])
    if any(j.get("id") == jid for j in judges):
        raise AmendmentRefused(
            f"judge {jid!r} is in the competition already; reassign them with assign_judge"
        )
    judges.append(copy.deepcopy(entry))
    return new, f"judge {jid} added"


def assign_judge(data: dict[str, Any], change: Any) -> tuple[dict[str, Any], str]:
    """A judge's assignments replaced (``{"judge": id, "assignments": [...]}``)."""
    change = _object(change, "assign_judge")
    jid, assignments = change.get("judge"), change.get("assignments")
    if not isinstance(assignments, list):
        raise AmendmentRefused(
            "assign_judge needs assignments: a list of {program, criteria?, aspects?}"
        )
    new = copy.deepcopy(data)
    entry = next((j for j in new.get("judges", []) if j.get("id") == jid), None)
    if entry is None:
        raise AmendmentRefused(f"judge {jid!r} is not in the competition; add them with add_judge")
    entry["assignments"] = copy.deepcopy(assignments)
    return (
        new,
        f"judge {jid} assigned to {', '.join(str(a.get('program')) for a in assignments) or 'nothing'}",
    )


def correct_competitor(data: dict[str, Any], change: Any) -> tuple[dict[str, Any], str]:
    """A competitor's name, delegation, bib, members or workplace corrected
    (``{"competitor": id, "name": {...}, ...}``). The id stays, so their marks stay theirs."""
    change = _object(change, "correct_competitor")
    cid = change.get("competitor")
    fields = {k: v for k, v in change.items() if k != "competitor"}
    unknown = set(fields) - COMPETITOR_FIELDS
    if unknown or not fields:
        raise AmendmentRefused(
            f"correct_competitor takes the competitor's id and any of {sorted(COMPETITOR_FIELDS)}"
        )
    new = copy.deepcopy(data)
    for prog in new.get("programs", []):
        for entry in prog.get("competitors", []):
            if entry.get("id", f"{prog.get('id')}-{entry.get('bib')}") == cid:
                entry["id"] = cid  # a corrected bib must not change the id the marks name
                entry.update(copy.deepcopy(fields))
                return new, f"competitor {cid}: {', '.join(sorted(fields))} corrected"
    raise AmendmentRefused(f"competitor {cid!r} is not in the competition; check the id")


OPS = {
    "add_judge": add_judge,
    "assign_judge": assign_judge,
    "correct_competitor": correct_competitor,
}
