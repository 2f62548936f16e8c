"""Shared test fixtures: infrastructure only (real processes, ports, the browser)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from playwright.async_api import async_playwright

from tests.helpers import (
    CHROMIUM_PATH,
    INSTALL_HINT,
    RedisServer,
    launch_chromium,
    redis_server_path,
)
from tests.hubkit import HubProcess, close_all

RedisFactory = Callable[..., RedisServer]

# No per-example deadline: it is a timed assertion, and on a loaded 2-core machine an example
# that takes 0.1 ms alone once took 503 ms and failed tests/scoreboard/test_draw.py.
settings.register_profile("scorecast", deadline=None)
settings.load_profile("scorecast")


@pytest.fixture
def redis_factory(tmp_path: Path) -> Iterator[RedisFactory]:
    """A callable that starts a real ``redis-server`` on a free loopback port.

    ``redis_factory(persistence=True, extra_args=None)`` returns a started
    :class:`tests.helpers.RedisServer` with ``.url``, ``.port``, ``.kill()``
    (SIGKILL), ``.restart()`` (same port, same dir) and ``.stop()``. Each
    server gets its own directory under ``tmp_path``; all are stopped at
    teardown. A missing redis-server fails the test, it does not skip it.
    """
    executable = redis_server_path()
    if executable is None:
        pytest.fail(f"redis-server not found: {INSTALL_HINT}", pytrace=False)

    servers: list[RedisServer] = []

    def start(*, persistence: bool = True, extra_args: list[str] | None = None) -> RedisServer:
        directory = tmp_path / f"redis-{len(servers)}"
        server = RedisServer(executable, directory, persistence=persistence, extra_args=extra_args)
        servers.append(server)
        return server.start()

    yield start

    for server in servers:
        server.kill()


@pytest.fixture
def redis_server(redis_factory: RedisFactory) -> RedisServer:
    """One started redis-server with durable AOF (``appendfsync always``)."""
    return redis_factory()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium; fails clearly when it is not installed."""
    if not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.fail(f"{CHROMIUM_PATH} not found: {INSTALL_HINT}", pytrace=False)
    return CHROMIUM_PATH


@pytest.fixture
async def browser(chromium_path: str) -> AsyncIterator[Any]:
    """Debian's chromium, headless, through Playwright; closed after the test."""
    async with async_playwright() as pw:
        b = await launch_chromium(pw)
        try:
            yield b
        finally:
            await b.close()


@pytest.fixture(autouse=True)
async def _close_websocket_clients() -> AsyncIterator[None]:
    """Close every tests.hubkit client a test opened (no unclosed-transport warnings)."""
    yield
    await close_all()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """A real hub (``scorecast serve`` in a subprocess) with the small test competition and
    every judge's credential issued (``hub.tokens``)."""
    h = HubProcess(tmp_path / "hub")
    h.issue_credentials()
    h.start()
    yield h
    h.stop()
