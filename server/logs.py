"""Structured logs: one JSON object per line, one line per event."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

logger = logging.getLogger("scorecast")


def setup(level: str = "info") -> None:
    if getattr(setup, "done", False):
        logger.setLevel(level.upper())
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    setup.done = True  # type: ignore[attr-defined]


def log(event: str, level: int = logging.INFO, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        line = {
            "ts": round(time.time(), 3),
            "level": logging.getLevelName(level).lower(),
            "event": event,
            **fields,
        }
        logger.log(level, json.dumps(line, ensure_ascii=False, default=str))
