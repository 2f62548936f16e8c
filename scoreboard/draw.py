"""The draw (抽签): workstation numbers, a marking order and anonymous codes, reproducibly.

A draw must be fair and checkable by anyone afterwards, so it uses no hidden randomness: its
seed combines what the supervisor enters at the draw with the ledger's head hash at that
moment (neither side alone can steer it), and every step below is written out so that an
independent program reproduces the same list::

    seed      = SHA-256( "scorecast-draw/1" ‖ 0x00 ‖ purpose ‖ 0x00 ‖ seed_input ‖ 0x00 ‖ head_hash )
    stream(k) = SHA-256( seed ‖ k as 8 bytes big-endian ),   k = 0, 1, 2, …   (32 bytes each)
    below(n)  = the next 8 bytes of the stream as an unsigned big-endian integer x, drawn again
                while x ≥ 2⁶⁴ − (2⁶⁴ mod n) (no bias), then x mod n
    shuffle   = Fisher–Yates: for i = n−1 down to 1, swap items[i] and items[below(i + 1)]

The items shuffled are the program's competitor ids in bib order. ``draw`` gives workstation
``1..n`` in shuffled order and a marking order (a second shuffle with purpose ``order``);
``codes`` gives each competitor a code of the second anonymity layer (成果评分) from an
alphabet without look-alike characters, unique within the program.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

DOMAIN = b"scorecast-draw/1"
CODE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I/L look-alikes, no B/8, S/5, Z/2


def seed(purpose: str, seed_input: str, head_hash: str) -> bytes:
    parts = [DOMAIN, purpose.encode(), seed_input.encode(), head_hash.encode()]
    return hashlib.sha256(b"\x00".join(parts)).digest()


class Stream:
    """The deterministic byte stream of a seed, read 8 bytes at a time."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.block = 0
        self.buffer = b""

    def next64(self) -> int:
        while len(self.buffer) < 8:
            self.buffer += hashlib.sha256(self.key + self.block.to_bytes(8, "big")).digest()
            self.block += 1
        head, self.buffer = self.buffer[:8], self.buffer[8:]
        return int.from_bytes(head, "big")

    def below(self, n: int) -> int:
        if n <= 0:
            raise ValueError("below() needs n ≥ 1")
        limit = 2**64 - (2**64 % n)
        while True:
            x = self.next64()
            if x < limit:
                return x % n


def shuffle(items: Sequence[str], key: bytes) -> list[str]:
    out = list(items)
    stream = Stream(key)
    for i in range(len(out) - 1, 0, -1):
        j = stream.below(i + 1)
        out[i], out[j] = out[j], out[i]
    return out


@dataclass(frozen=True)
class Draw:
    workstations: dict[str, int]  # competitor id → workstation number 1..n
    order: tuple[str, ...]  # the marking order, competitor ids


def draw(competitors: Sequence[str], seed_input: str, head_hash: str) -> Draw:
    """The draw of one program: ``competitors`` in bib order (the loader's order)."""
    stations = shuffle(competitors, seed("workstation", seed_input, head_hash))
    order = shuffle(competitors, seed("order", seed_input, head_hash))
    return Draw({cid: i + 1 for i, cid in enumerate(stations)}, tuple(order))


def codes(
    competitors: Sequence[str], seed_input: str, head_hash: str, length: int = 4
) -> dict[str, str]:
    """A distinct code of ``length`` characters for each competitor (the second layer)."""
    if len(CODE_ALPHABET) ** length < 2 * len(competitors):
        raise ValueError(f"{length}-character codes are too few for {len(competitors)} competitors")
    stream = Stream(seed("code", seed_input, head_hash))
    out: dict[str, str] = {}
    taken: set[str] = set()
    for cid in competitors:
        while True:
            code = "".join(CODE_ALPHABET[stream.below(len(CODE_ALPHABET))] for _ in range(length))
            if code not in taken:
                break
        taken.add(code)
        out[cid] = code
    return out
