from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import RedisFactory
from tests.helpers import RedisServer
from tests.hubkit import HubProcess
from tests.redis.kit import start_hubs

HubsFactory = Callable[[RedisServer, int], list[HubProcess]]


@pytest.fixture
def redis_hubs(tmp_path: Path, redis_factory: RedisFactory) -> Iterator[HubsFactory]:
    """``redis_hubs(redis, n)``: n real hubs sharing ``redis``; all killed at teardown."""
    started: list[HubProcess] = []

    def start(redis: RedisServer, n: int) -> list[HubProcess]:
        hubs = start_hubs(tmp_path / f"hubs{len(started)}", redis.url, n)
        started.extend(hubs)
        return hubs

    yield start
    for h in started:
        h.kill()
