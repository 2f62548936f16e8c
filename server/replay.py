"""Restoring the board at start (issue 17): a stop is never held up, and a long replay is fast.

While the hub restores (a snapshot load, a replay of the ledger) SIGTERM takes its default action
and ends the process at once: nothing is written then, so nothing is lost, and a stop never waits
for a restore that can take seconds (``stoppable``).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """While the hub restores, SIGTERM ends the process at once (nothing is written then): a
    snapshot load or a replay must not make a stop wait (issue 17: a hub ends within 2 s)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
