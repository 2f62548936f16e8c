"""PDF documents from Jinja2 HTML templates, printed by WeasyPrint.

WeasyPrint rather than printing through chromium: it is a library (no browser process on the
organizer's machine, nothing to keep running), it paginates by CSS paged media (repeated table
headers, running page heads with the program and the ledger head, page numbers), and it embeds
the fonts it uses as subsets (Noto Sans CJK from fonts-noto-cjk), so the Chinese prints on any
reader. It needs Debian's pango (libpango-1.0-0, libpangoft2-1.0-0: scripts/install.sh).
"""

from __future__ import annotations

import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from .words import award_name, both

TEMPLATES = Path(__file__).resolve().parent / "templates"

env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=jinja2.select_autoescape(("html",)),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(both=both, award_name=award_name)


@cache
def css(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def printed_at(now: datetime.datetime | None = None) -> str:
    now = (now or datetime.datetime.now()).astimezone()
    return now.strftime("%Y-%m-%d %H:%M %Z").strip()


def html(template: str, style: str = "print.css", **ctx: Any) -> str:
    return env.get_template(template).render(css=css(style), printed=printed_at(), **ctx)


def pdf(document: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML  # type: ignore[import-untyped]  # loads pango: when a PDF is made

    out = HTML(string=document, base_url=base_url or str(TEMPLATES)).write_pdf()
    assert out is not None
    return bytes(out)


def write(path: Path, template: str, style: str = "print.css", **ctx: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf(html(template, style, **ctx)))
    return path
