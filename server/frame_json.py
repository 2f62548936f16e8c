"""The JSON of an update frame, a jury row's aspects encoded once each (issue 17, fifth pass).

A jury row (``scoreboard/board/row_cache.py``) carries every aspect of its competitor: value,
state, each judge's mark; some 4 KB of JSON in a WorldSkills scheme of 24 aspects, 50-70 µs of
``json.dumps`` on this machine, for every mark (the jury channel's delta is one such row). A mark
changes one aspect, and the row cache keeps the others' entries, the same dict objects, from one
row to the next (copy on write: ``{**aspects, aid: entry}``; no entry is changed in place). So the
JSON of each entry is kept here by the entry's identity (with the entry itself, so the identity
cannot be reused while it is kept), and a row's aspects are a join of kept strings. Only the
board's own frames are encoded here (``Encoded.keep``): an anonymous jury channel's are copies
made anew for each update, whose entries would never be met again.

The output is the same text as ``codec.encode_json`` (the same keys in the same order; the tests
compare them). A row's aspects are first replaced by a placeholder string, the frame is encoded
in one ``json`` call, and each placeholder's JSON is replaced by its aspects' JSON; should the
frame's own text hold a placeholder (it cannot be typed on a pad, but it is checked), the frame
is encoded the plain way.

The kept entries are bounded (issue 17, sixth pass): by count (``LIMIT``) and by an estimate of the
bytes they hold (``BYTES``: the text, the tuple and the entry itself, which a mark replaces in its
row, so a stale entry lives only here), and the whole maps by count (``MAPS``) and a quarter of
that estimate. Past either bound the stale entries go first (only the cache refers to them),
then, if that freed less than a quarter, the older half (the dict's insertion order).
"""

from __future__ import annotations

from itertools import islice
from sys import getrefcount
from typing import Any

from .codec import ENCODER, encode_json

_ENC = ENCODER
_PLACE = "\x00scorecast-aspects-{}\x00"
_MARK = "\\u0000scorecast-aspects-"  # what every placeholder's JSON holds
LIMIT = 100_000  # entries kept (the real-scale competition has 67,594 aspect entries)
BYTES = 128 << 20  # estimated (``cost``), entries and maps: ~68,000 entries of a jury row's shape
MAPS = 1_000  # whole aspects maps kept (4 KB of text each): a row re-ranked but not re-marked


class FrameJson:
    """Encodes frames; keeps the JSON of the aspect entries it has seen (``LIMIT`` at most)."""

    def __init__(self, limit: int = LIMIT, budget: int = BYTES) -> None:
        self.limit = limit
        self.budget = budget
        self.bytes = 0  # the kept entries' estimated size: at most 3/4 of the budget
        self.map_bytes = 0  # the kept maps': at most 1/4
        self.entries: dict[int, tuple[object, Any, str]] = {}  # id: (entry, its key, "key":json)
        self.maps: dict[int, tuple[object, str]] = {}  # whole aspects maps (a row re-ranked only)
        self.encoded = 0  # entries encoded (the rest came from the cache): for the tests

    def encode(self, frame: dict[str, Any]) -> str:
        rows = frame.get("rows")
        data = frame.get("data")
        if rows is None and isinstance(data, dict):
            rows = data.get("rows")
        if not isinstance(rows, list):
            return encode_json(frame)
        pieces: list[str] = []
        out_rows = []
        for row in rows:
            aspects = row.get("aspects") if isinstance(row, dict) else None
            text = self.kept(aspects) if isinstance(aspects, dict) else None
            if text is None:
                out_rows.append(row)
                continue
            row = row.copy()
            row["aspects"] = _PLACE.format(len(pieces))
            pieces.append(text)
            out_rows.append(row)
        if not pieces:
            return encode_json(frame)
        if "rows" in frame:
            body = {**frame, "rows": out_rows}
        else:
            body = {**frame, "data": {**frame["data"], "rows": out_rows}}
        text = _ENC.encode(body)
        places = [_ENC.encode(_PLACE.format(i)) for i in range(len(pieces))]
        if any(text.count(p) != 1 for p in places):
            return encode_json(frame)  # the frame's own text holds a placeholder
        for place, piece in zip(places, pieces, strict=True):
            text = text.replace(place, piece, 1)
        return text

    def kept(self, aspects: dict[Any, Any]) -> str | None:
        hit = self.maps.get(id(aspects))
        if hit is not None and hit[0] is aspects:
            return hit[1]
        text = self.aspects(aspects)
        if text is not None:
            size = cost(text)  # as if none of its entries were kept elsewhere
            if len(self.maps) >= MAPS or self.map_bytes + size > self.budget // 4:
                self.maps.clear()
                self.map_bytes = 0
            self.maps[id(aspects)] = (aspects, text)
            self.map_bytes += size
        return text

    def aspects(self, aspects: dict[Any, Any]) -> str | None:
        """``{"A1":{...},...}`` from the kept entries; None if a key is not a string or an entry
        holds a placeholder's text (then the frame is encoded the plain way). An entry
        is kept with its key: ``"A1":{...}``, one lookup an aspect."""
        entries = self.entries
        parts = []
        for k, e in aspects.items():
            hit = entries.get(id(e))
            if hit is None or hit[0] is not e or hit[1] != k:
                if not isinstance(k, str):
                    return None  # json.dumps would write it as a string: leave it to json
                text = _ENC.encode(k) + ":" + _ENC.encode(e)
                if _MARK in text:  # it would be taken for a placeholder when spliced in
                    return None
                if hit is not None:  # the same entry under another key: kept anew
                    self.bytes -= cost(entries.pop(id(e))[2])
                size = cost(text)
                if len(entries) >= self.limit or self.bytes + size > self.budget - self.budget // 4:
                    self.evict()
                hit = entries[id(e)] = (e, k, text)
                self.bytes += size
                self.encoded += 1
            parts.append(hit[2])
        return "{" + ",".join(parts) + "}"

    def evict(self) -> None:
        """Drop the stale entries (only this cache refers to them: a mark replaced them in their
        row); if that frees less than a quarter of them, the older half of the rest too. So the
        rows' current entries stay kept while they fit, and a pass frees a quarter at least:
        amortised, a few steps an insertion."""
        entries = self.entries
        before = len(entries)
        # references to a stale entry here: its tuple, the loop's name, getrefcount's argument
        old = [key for key, (e, _k, _t) in entries.items() if getrefcount(e) <= 3]
        if len(old) < before // 4:
            gone = set(old)
            kept = (key for key in entries if key not in gone)
            old += list(islice(kept, (before - len(old) + 1) // 2))
        for key in old:
            self.bytes -= cost(entries.pop(key)[2])


def cost(text: str) -> int:
    """An entry's bytes, estimated from its JSON: its text, its tuple and dict slot, and the entry's
    own objects (a dict of a few short values, each a Python object: some 5 bytes of them for a
    byte of JSON; ``tests/server/test_frame_json_bound.py`` checks the estimate against tracemalloc).
    A map's text costs as much: its entries, were none of them kept elsewhere."""
    return 6 * len(text) + 400


FRAMES = FrameJson()  # the hub's one: entries are shared by every channel and hub in the process
