"""How a row's fields read on screen. ``display/static/live.js`` has the same rules (``FIELDS``).

Templates write ``<span data-f="total">{{ f(row, "total") }}</span>``; the live
client refills the same elements from new rows with the same rules, so a
server-rendered row and a live-updated one are the same markup (a browser
test compares them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .i18n import Translator
from .lifecycle import STAGE_WORDS, clock

DASH = "–"
VISIBILITY_LABELS = {
    "live": "Live",
    "frozen": "Frozen",
    "hidden": "In progress",
    "published": "Official",
}
STATUS_LABELS = {"DNS": "DNS", "DNF": "DNF", "DSQ": "DSQ"}
FLAGS = (
    "provisional",
    "pending",
    "tied",
    "unresolved_tie",
    "best_of_delegation",
    "no_medal",
    "appealed",
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]", "", str(text).lower()) or "x"


class Fields:
    def __init__(
        self, t: Translator, delegations: Mapping[str, Mapping[str, str]], medals: list[str]
    ) -> None:
        self.t = t
        self.delegations = delegations
        self.medals = medals

    def __call__(self, item: Mapping[str, Any], f: str) -> str:
        t = self.t
        comp = item.get("competitor")
        if f == "rank":
            return "" if item.get("rank") is None else str(item["rank"])
        if f == "total":
            if item.get("total") is not None:
                return str(item["total"])
            status = item.get("status")
            return t(STATUS_LABELS[status]) if status in STATUS_LABELS else DASH
        if f == "name":
            return t.name(comp["name"] if comp else item.get("name"))
        if f == "name_alt":
            return t.other_name(comp["name"] if comp else item.get("name"))
        if f == "bib":
            # a code (an anonymous program shown by codes) is the name already: 工位 07
            return str(comp["bib"]) if comp and not comp.get("coded") else ""
        if f in ("delegation", "delegation_name"):
            code = comp.get("delegation") if comp else item.get("delegation")
            if f == "delegation" or code is None:
                return code or ""
            return t.name(self.delegations.get(code)) or code
        if f == "award":
            award = item.get("award")
            return t(award) if award else ""
        if f == "titles":
            return " · ".join(t(x) for x in item.get("titles") or [])
        if f == "program_name":
            return t.name(item.get("program_name"))
        if f == "visibility":
            if item.get("lifecycle") == "publication":  # public, not final yet: 公示中
                return t(STAGE_WORDS["publication"])
            return t(VISIBILITY_LABELS.get(item.get("visibility", ""), "Live"))
        if f == "progress":
            if item.get("visibility") == "hidden":
                return ""
            # completed marking (every panel of the competitor complete), of all competitors
            done = item.get("complete", item.get("with_result", 0))
            return f"{done} / {item.get('competitors', 0)}"
        if f == "time":
            return clock(item.get("ts"))
        if f == "correction":  # 更正: the previous and the new value (display/lifecycle.py)
            c = item.get("correction")
            if not c:
                return ""
            return f"{t('correction')} {c.get('previous') or DASH} → {c.get('value') or DASH}"
        if f == "stage":  # a ticker item's program, once it is past marking
            stage = item.get("stage")
            return t(STAGE_WORDS[stage]) if stage in STAGE_WORDS and stage != "marking" else ""
        value: Any = item
        for part in f.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        return "" if value is None else str(value)

    def classes(self, item: Mapping[str, Any]) -> str:
        out = []
        for flag in FLAGS:
            if item.get(flag):
                out.append("is-" + flag.replace("_", "-"))
        status = item.get("status")
        if status and status != "ok":
            out.append("status-" + slug(status))
        award = item.get("award")
        if award:
            out.append("award-" + slug(award))
            if award in self.medals:
                out.append(f"medal-{self.medals.index(award) + 1}")
        if item.get("correction"):
            out.append("is-corrected")
        if "total" in item and item.get("total") is None:
            out.append("is-unscored")
        vis = item.get("visibility")
        if vis:
            out.append("vis-" + slug(vis))
        return " ".join(out)
