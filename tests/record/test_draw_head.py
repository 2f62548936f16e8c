"""Issue 15: ``scorecast verify`` checks a draw's recorded head_hash against the chain."""

from __future__ import annotations

from server.audit import _draw_head
from server.chain import GENESIS

LINKS = [GENESIS, "a" * 64, "b" * 64, "c" * 64]  # links at seq 0 (genesis), 1, 2, 3


def test_a_draw_seeded_with_the_chain_link_at_its_head_seq_passes() -> None:
    assert _draw_head({"head_seq": 2, "head_hash": "b" * 64}, 4, LINKS) is None
    assert _draw_head({"head_seq": 0, "head_hash": GENESIS}, 1, LINKS[:1]) is None


def test_a_draw_whose_head_hash_is_not_the_link_there_is_named() -> None:
    why = _draw_head({"head_seq": 2, "head_hash": "c" * 64}, 4, LINKS)
    assert why is not None and "not the chain's link at seq 2" in why


def test_a_draw_naming_a_head_at_or_after_itself_or_no_head_is_named() -> None:
    for at in (4, 5, -1, None, "2", True):
        why = _draw_head({"head_seq": at, "head_hash": "b" * 64}, 4, LINKS)
        assert why is not None and "not an earlier position" in why, at
