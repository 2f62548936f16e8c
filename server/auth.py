"""Judge credentials: ``<judge id>.<secret>``, shown once, stored as a salted SHA-256.

The secret is 128 random bits, so a fast hash is enough (nothing to
brute-force); comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(judge: str) -> str:
    return f"{judge}.{secrets.token_urlsafe(16)}"


def digest(token: str, salt: str | None = None) -> str:
    salt = salt or secrets.token_hex(8)
    return f"sha256${salt}${hashlib.sha256((salt + token).encode()).hexdigest()}"


def verify(token: str, stored: str) -> bool:
    try:
        _, salt, _ = stored.split("$", 2)
    except ValueError:
        return False
    return hmac.compare_digest(digest(token, salt), stored)


def judge_of(token: str) -> str:
    return token.rsplit(".", 1)[0] if "." in token else ""
