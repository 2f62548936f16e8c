"""Read the rows out of a rendered page: each [data-id] element with its classes and [data-f] texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Row:
    id: str
    classes: set[str]
    fields: dict[str, str] = field(default_factory=dict)
    channel: str | None = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[Row] = []
        self.row_depth: int | None = None
        self.field: tuple[str, int] | None = None  # (name, depth)
        self.text: list[str] = []
        self.in_template = 0
        self.channels: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if tag in VOID:
            return
        self.stack.append((tag, a))
        if self.in_template:
            return
        if a.get("data-channel"):
            self.channels.append(a["data-channel"])
        if a.get("data-id") and self.row_depth is None:
            channel = next(
                (x.get("data-channel") for _, x in reversed(self.stack) if x.get("data-channel")),
                None,
            )
            self.rows.append(
                Row(a["data-id"] or "", set((a.get("class") or "").split()), channel=channel)
            )
            self.row_depth = len(self.stack)
        if self.row_depth is not None and a.get("data-f") is not None and self.field is None:
            self.field = (a["data-f"] or "", len(self.stack))
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        depth = len(self.stack)
        if self.field is not None and depth == self.field[1]:
            self.rows[-1].fields[self.field[0]] = "".join(self.text)
            self.field = None
        if self.row_depth is not None and depth == self.row_depth:
            self.row_depth = None
        if self.stack:
            self.stack.pop()
        if tag == "template":
            self.in_template -= 1

    def handle_data(self, data: str) -> None:
        if self.field is not None:
            self.text.append(data)


def rows_of(html: str, channel: str | None = None) -> list[Row]:
    p = _Parser()
    p.feed(html)
    return [r for r in p.rows if channel is None or r.channel == channel]
