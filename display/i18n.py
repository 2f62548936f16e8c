"""Message catalogs, Babel-style: the msgid is the English text; one small JSON catalog per language.

``display/i18n/<lang>.json`` maps msgid → translation. A msgid missing from a
catalog falls back to the msgid itself (a test checks that every msgid the
templates use is in every catalog). The language comes from ``?lang=``, then
the ``lang`` cookie, then the default: Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request

LANGUAGES = ("zh", "en")
DEFAULT = "zh"
COOKIE = "lang"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
CATALOGS = Path(__file__).resolve().parent / "i18n"


@cache
def catalog(lang: str) -> dict[str, str]:
    data = json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("@")}


def pick_language(request: Request) -> tuple[str, bool]:
    """The page's language, and whether it came from ``?lang=`` (then the cookie is set)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked, True
    cookie = request.cookies.get(COOKIE)
    return (cookie if cookie in LANGUAGES else DEFAULT), False


class Translator:
    """``_("Medals")`` and friends for one language; ``name({"zh":…, "en":…})`` picks the right one."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.messages = catalog(lang)

    def gettext(self, msgid: str, **params: Any) -> str:
        text = self.messages.get(msgid, msgid)
        return text.format(**params) if params else text

    __call__ = gettext

    def name(self, name: Mapping[str, str] | str | None) -> str:
        if name is None:
            return ""
        if isinstance(name, str):
            return name
        return name.get(self.lang) or name.get(DEFAULT) or next(iter(name.values()), None) or ""

    def other_name(self, name: Mapping[str, str] | str | None) -> str:
        """The name in the other language, or "" when it is the same text."""
        if not isinstance(name, Mapping):
            return ""
        other = next((name[x] for x in LANGUAGES if x != self.lang and name.get(x)), "")
        return "" if other == self.name(name) else other

    def js_messages(self, msgids: list[str]) -> dict[str, str]:
        return {m: self.gettext(m) for m in msgids}
