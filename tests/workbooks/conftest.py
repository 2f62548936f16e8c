"""A recorded competition to export from: the display tests' seeded hub (weld live, cook
hidden, cnc frozen, robot published), shared by the export tests of a module."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.cli import main
from server.exports.codes import code, secret
from server.ledger import namespace, open_ledger
from tests.display.conftest import run_async, seed, start_hub
from tests.hubkit import HubProcess


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The display tests' seeded hub: weld live, cook hidden, cnc frozen, robot published."""
    hub = start_hub(tmp_path_factory.mktemp("export-hub"))
    try:
        run_async(seed(hub))
        yield hub
    finally:
        hub.stop()


def export(hub: HubProcess, out: Path, *args: str) -> int:
    """``scorecast export ARGS`` on the hub's file and store, in this process."""
    return main(
        [
            "export",
            *args,
            "--competition",
            str(hub.competition_path),
            "--store",
            hub.store,
            "--out",
            str(out),
        ]
    )


def api(hub: HubProcess, path: str) -> Any:
    r = httpx.get(hub.http + path, timeout=10)
    assert r.status_code == 200, r.text[:200]
    return r.json()


def stored_secret(hub: HubProcess) -> str:
    """The store's verification secret (made by the first certificates export)."""

    async def read() -> str | None:
        cid = json.loads(hub.competition_path.read_text())["id"]
        ledger = open_ledger(hub.store, namespace(cid))
        await ledger.open()
        try:
            return await secret(ledger)
        finally:
            await ledger.close()

    key = asyncio.run(read())
    assert key is not None, "no certificates were exported from this store"
    return key


def verify_path(hub: HubProcess, tmp: Path, program: str, competitor: str) -> str:
    """``/verify/CODE`` of a competitor, after exporting the certificates (which makes the secret)."""
    assert export(hub, tmp, "certificates", "--base-url", hub.http) == 0
    cid = json.loads(hub.competition_path.read_text())["id"]
    return f"/verify/{code(stored_secret(hub), cid, program, competitor)}"
