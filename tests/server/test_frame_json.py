"""server/frame_json.py: the fan-out's JSON of a frame is ``encode_json``'s text, with a jury
row's unchanged aspect entries taken from the cache instead of encoded again."""

from __future__ import annotations

from typing import Any

from bench.realscale import Size, competition, marks
from scoreboard import Scoreboard, load_competition
from scoreboard.events import MarkSubmitted
from server.codec import encode_json
from server.frame_json import _PLACE, FRAMES, FrameJson
from server.wire import Encoded


def board_frames(n: int) -> list[dict[str, Any]]:
    """The delta frames of ``n`` marks of a small real-scale competition, then every snapshot."""
    doc = competition(Size(programs=4, worldskills=3, competitors=60, judges=20))
    board = Scoreboard(load_competition(doc))
    frames = []
    for i, (j, f) in enumerate(marks(doc)):
        if i == n:
            break
        e = MarkSubmitted(f"m{i}", f["program"], f["competitor"], f["aspect"], j, f["value"], i)
        frames += [{"type": "delta", "channel": u.channel, **u.delta} for u in board.apply(e)]
    for ch in sorted({f["channel"] for f in frames}):
        frames.append({"type": "snapshot", "channel": ch, "version": 1, "data": board.snapshot(ch)})
    return frames


def test_same_text_as_encode_json_for_every_frame_of_a_board() -> None:
    fj = FrameJson()
    frames = board_frames(400)
    rows = [r for f in frames for r in f.get("rows", f.get("data", {}).get("rows", ()))]
    assert sum("aspects" in r for r in rows) > 300  # the jury rows
    for f in frames:
        assert fj.encode(f) == encode_json(f)
        assert Encoded(f).json() == encode_json(f)


def test_a_rows_unchanged_entries_are_not_encoded_again() -> None:
    fj = FrameJson()
    frames = board_frames(400)
    jury = [f for f in frames if f["type"] == "delta" and "aspects" in (f.get("rows") or [{}])[0]]
    entries = [e for f in jury for r in f["rows"] for e in r["aspects"].values()]
    for f in jury:
        fj.encode(f)
    distinct = len({id(e) for e in entries})
    assert fj.encoded == distinct < len(entries) / 4  # a mark remakes one entry of its row


def test_an_entry_changed_by_a_new_object_is_encoded_anew() -> None:
    fj = FrameJson()
    entry = {"value": "1.00", "state": "complete", "marks": {"j1": "1"}}
    row = {"rank": 1, "aspects": {"A1": entry, "A2": {"value": None}}}
    frame = {"type": "delta", "channel": "program:p:jury", "from": 1, "version": 2, "rows": [row]}
    assert fj.encode(frame) == encode_json(frame)
    row2 = {**row, "aspects": {**row["aspects"], "A1": {**entry, "value": "2.00"}}}
    frame2 = {**frame, "rows": [row2]}
    assert fj.encode(frame2) == encode_json(frame2)
    assert '"A1":{"value":"2.00"' in fj.encode(frame2)


def test_a_frame_holding_a_placeholder_is_encoded_the_plain_way() -> None:
    fj = FrameJson()
    row = {"name": _PLACE.format(0), "aspects": {"A1": {"value": "x"}}}
    frame = {"type": "delta", "channel": "c", "rows": [row, {"n": _PLACE.format(1)}]}
    assert fj.encode(frame) == encode_json(frame)


def test_the_cache_is_bounded() -> None:
    fj = FrameJson(limit=10)
    for i in range(50):
        f = {"type": "delta", "rows": [{"aspects": {"A": {"v": i}, "B": {"v": -i}}}]}
        assert fj.encode(f) == encode_json(f)
        assert len(fj.entries) <= 10


def test_aspects_keyed_by_other_than_strings_are_left_to_json() -> None:
    fj = FrameJson()
    frame = {"type": "delta", "rows": [{"aspects": {1: {"v": 1}, "A": {"v": 2}}}]}
    assert (
        fj.encode(frame)
        == encode_json(frame)
        == '{"type":"delta","rows":[{"aspects":{"1":{"v":1},"A":{"v":2}}}]}'
    )


def test_a_rewritten_copy_is_encoded_without_keeping_its_entries() -> None:
    """An anonymous jury channel's frames are copies made anew for each update (free text
    scrubbed at every depth, server/jury_codes.py): kept, their entries would only pile up."""
    frame = {"type": "delta", "rows": [{"aspects": {"A": {"v": "fresh"}}}]}
    before = len(FRAMES.entries)
    assert Encoded(frame, keep=False).json() == encode_json(frame)
    assert len(FRAMES.entries) == before
    assert Encoded(frame).json() == encode_json(frame)
    assert len(FRAMES.entries) == before + 1
