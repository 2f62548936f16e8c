"""Jinja2 rendering: one environment, the per-request context (language, fields, asset URLs)."""

from __future__ import annotations

import datetime
import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from . import lifecycle
from .data import Site
from .fields import Fields
from .i18n import COOKIE, HTML_LANG, LANGUAGES, Translator, pick_language

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
STATIC_URL = "/static/display"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=jinja2.select_autoescape(("html", "xml")),
    trim_blocks=True,
    lstrip_blocks=True,
)


@cache
def static_url(name: str) -> str:
    """The asset's URL with a content hash, so browsers cache it until it changes."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    return f"{STATIC_URL}/{name}?v={digest}"


def lang_url(request: Request, lang: str) -> str:
    params = dict(request.query_params)
    params["lang"] = lang
    return f"{request.url.path}?{urlencode(params)}"


def print_stamp(now: datetime.datetime | None = None) -> str:
    """When the page was made, for the printed sheet (``stamp`` in static/live.js renews it on print)."""
    now = (now or datetime.datetime.now()).astimezone()
    offset = now.strftime("%z")
    return now.strftime("%Y-%m-%d %H:%M") + f" UTC{offset[:3]}:{offset[3:]}"


# What the live client needs to translate on its own (the rest is in the server-rendered markup).
JS_MSGIDS = [
    "DNS",
    "DNF",
    "DSQ",
    "Live",
    "Frozen",
    "In progress",
    "Official",
    "Reconnecting…",
    *lifecycle.STAGE_WORDS.values(),
    "Published for objections: objections until {time}",
    "correction",
    "Not counted yet: {n} program(s) in publication for objections",
]


class Page:
    """A request's rendering context: the site, the language, the field rules."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.site = Site(request)
        self.lang, self.lang_from_query = pick_language(request)
        self.t = Translator(self.lang)
        self.medal_names = self.site.medal_names()
        self.fields = Fields(self.t, self.site.delegation_names(), self.medal_names)

    def program_filter(self) -> str | None:
        """``?program=ID`` (checked: an unknown id is a 404), or None for every program."""
        program = self.request.query_params.get("program") or None
        if program is not None:
            self.site.program_model(program)
        return program

    def live_config(self, kind: str, channels: list[str], **extra: Any) -> dict[str, Any]:
        return {
            "kind": kind,
            "lang": self.lang,
            "channels": channels,
            "msgs": self.t.js_messages(JS_MSGIDS + self.site.award_names()),
            "delegations": self.site.delegation_names(),
            "medals": self.medal_names,
            **extra,
        }

    def render(self, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        t = self.t
        ctx.setdefault("tab", None)
        ctx.setdefault("live", None)
        html = env.get_template(template).render(
            request=self.request,
            lang=self.lang,
            html_lang=HTML_LANG[self.lang],
            languages=LANGUAGES,
            lang_url=lambda lang: lang_url(self.request, lang),
            _=t.gettext,
            name=t.name,
            other_name=t.other_name,
            f=self.fields,
            row_classes=self.fields.classes,
            static=static_url,
            competition=self.site.competition,
            medal_names=self.medal_names,
            printed=print_stamp(),
            life_words=lambda board: lifecycle.words(board, t),
            **ctx,
        )
        response = HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-cache"})
        if self.lang_from_query:
            response.set_cookie(COOKIE, self.lang, max_age=365 * 24 * 3600, samesite="lax")
        return response
