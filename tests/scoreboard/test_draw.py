"""The draw (抽签) is reproducible from its documented recipe, fair, and unsteerable (issue 15)."""

from __future__ import annotations

import hashlib
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from scoreboard.draw import CODE_ALPHABET, codes, draw, shuffle
from scoreboard.draw import seed as draw_seed

HEAD = "9f" * 32
FIELD = [f"weld-{i:02d}" for i in range(1, 13)]


def reference_shuffle(items: list[str], purpose: str, seed_input: str, head: str) -> list[str]:
    """The recipe of scoreboard/draw.py's docstring, written out again from the text."""
    key = hashlib.sha256(
        b"scorecast-draw/1\x00"
        + purpose.encode()
        + b"\x00"
        + seed_input.encode()
        + b"\x00"
        + head.encode()
    ).digest()
    stream = b"".join(hashlib.sha256(key + k.to_bytes(8, "big")).digest() for k in range(64))
    pos = 0
    out = list(items)
    for i in range(len(out) - 1, 0, -1):
        n = i + 1
        while True:
            x = int.from_bytes(stream[pos : pos + 8], "big")
            pos += 8
            if x < 2**64 - (2**64 % n):
                break
        j = x % n
        out[i], out[j] = out[j], out[i]
    return out


def test_the_draw_follows_the_published_recipe() -> None:
    d = draw(FIELD, "4729", HEAD)
    stations = reference_shuffle(FIELD, "workstation", "4729", HEAD)
    assert d.workstations == {cid: i + 1 for i, cid in enumerate(stations)}
    assert list(d.order) == reference_shuffle(FIELD, "order", "4729", HEAD)


def test_the_same_inputs_give_the_same_draw_and_either_input_changes_it() -> None:
    assert draw(FIELD, "4729", HEAD) == draw(FIELD, "4729", HEAD)
    assert draw(FIELD, "4728", HEAD) != draw(FIELD, "4729", HEAD)
    assert draw(FIELD, "4729", "00" * 32) != draw(FIELD, "4729", HEAD)


@given(st.lists(st.text(min_size=1, max_size=4), unique=True, max_size=40), st.text(max_size=8))
def test_a_draw_is_a_permutation_with_stations_one_to_n(field: list[str], seed_input: str) -> None:
    d = draw(field, seed_input, HEAD)
    assert sorted(d.workstations.values()) == list(range(1, len(field) + 1))
    assert sorted(d.order) == sorted(field) and set(d.workstations) == set(field)


def test_every_competitor_is_equally_likely_at_every_station() -> None:
    """3,000 draws of 5 competitors: each of the 25 (competitor, station) cells near 600."""
    cells: Counter[tuple[int, int]] = Counter()
    items = ["a", "b", "c", "d", "e"]
    for k in range(3000):
        for pos, item in enumerate(shuffle(items, draw_seed("workstation", str(k), HEAD))):
            cells[items.index(item), pos] += 1
    expected = 3000 / 5
    chi2 = sum((n - expected) ** 2 / expected for n in cells.values())
    assert len(cells) == 25
    assert chi2 < 50, chi2  # 16 degrees of freedom: p < 0.0001 beyond 45


def test_codes_are_distinct_unambiguous_and_secret_from_the_stations() -> None:
    field = [f"c{i}" for i in range(300)]
    c = codes(field, "second-layer", HEAD)
    assert len(set(c.values())) == 300
    assert all(len(v) == 4 and set(v) <= set(CODE_ALPHABET) for v in c.values())
    assert codes(field, "second-layer", HEAD) == c
    assert codes(field, "other", HEAD) != c
