"""Verification codes for certificates: ``/verify/{code}`` shows the result the code names.

A code is an HMAC-SHA256 of the competition, program and competitor under a secret kept in
the store (beside the judges' credentials, under a name no judge can have): it cannot be
guessed (60 bits; the page shows nothing for a wrong code) and it is the same after any
restart, on any hub of the competition. Printed as ``K7QF-3MZD-X9PA`` (Crockford's base 32:
no I, L, O or U, so a code read aloud or typed from paper is read back right).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from ..ledger import Ledger

SECRET_KEY = "record:verify-secret"  # not a judge id: judges' ids name competition judges
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12  # characters: 60 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


async def secret(ledger: Ledger, create: bool = False) -> str | None:
    """The store's verification secret; ``create``: make one when there is none."""
    held = await ledger.credential(SECRET_KEY)
    if held is None and create:
        await ledger.put_credential(SECRET_KEY, secrets.token_hex(32))
        held = await ledger.credential(SECRET_KEY)
    return held


def code(key: str, competition: str, program: str, competitor: str) -> str:
    mac = hmac.new(
        bytes.fromhex(key), f"{competition}\0{program}\0{competitor}".encode(), hashlib.sha256
    ).digest()
    n = int.from_bytes(mac[:8], "big") >> (64 - 5 * LENGTH)
    chars = "".join(ALPHABET[(n >> (5 * i)) & 31] for i in reversed(range(LENGTH)))
    return "-".join(chars[i : i + 4] for i in range(0, LENGTH, 4))


def normal(text: str) -> str | None:
    """A code as typed (any case, with or without dashes, O for 0) in its printed form."""
    chars = text.upper().replace("-", "").replace(" ", "").translate(_READ_AS)
    if len(chars) != LENGTH or any(c not in ALPHABET for c in chars):
        return None
    return "-".join(chars[i : i + 4] for i in range(0, LENGTH, 4))
