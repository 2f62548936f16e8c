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
from tests.display.conftest import display_competition, run_async, seed
from tests.hubkit import HubProcess

# the robot program is published by the seed; its consent and years of birth, by bib
CONSENT = {1, 2, 4, 6, 8}
BORN = {1: 1990, 2: 1984, 3: 1999, 5: 2001, 6: 1995, 7: 1988, 8: 2000}
HONOURS = [
    {
        "id": "jineng",
        "title": {"zh": "辽宁省技术能手", "en": "Liaoning Technical Expert"},
        "top": 5,
        "team_top": 3,
        "born_from": 1986,
    },
    {
        "id": "jishi",
        "kind": "promotion",
        "title": {"zh": "晋升技师", "en": "Promotion to technician"},
        "awards": ["gold", "silver", "bronze"],
    },
]


def event_competition() -> dict[str, Any]:
    """The display tests' competition with the event around it: venues, categories, honours,
    the talent contact, consent and years of birth (consent also in cook, which is hidden)."""
    comp = display_competition()
    comp["venues"] = [
        {"id": "dl", "name": {"zh": "大连世界博览广场", "en": "Dalian World Expo Center"}},
        {"id": "sy", "name": {"zh": "沈阳职业技术学院", "en": "Shenyang Polytechnic College"}},
    ]
    comp["categories"] = [
        {"id": "mfg", "name": {"zh": "制造与工程技术", "en": "Manufacturing and engineering"}},
        {"id": "svc", "name": {"zh": "社会与个人服务", "en": "Social and personal services"}},
    ]
    comp["honours"] = HONOURS
    comp["talent_contact"] = "mailto:talent@example.org"
    for prog in comp["programs"]:
        prog["venue"] = "sy" if prog["id"] == "cook" else "dl"
        prog["category"] = "svc" if prog["id"] == "cook" else "mfg"
        prog["days"] = ["2026-05-20", "2026-05-21"]
        if prog["id"] == "weld":  # a standardised score to export (the public board shows it)
            prog["standardisation"] = {"centre": "500", "factor": "50", "spread": "sd"}
        for c in prog["competitors"]:
            bib = int(c["bib"])
            c["talent_consent"] = bib in CONSENT
            if prog["id"] == "robot" and bib in BORN:
                c["born"] = BORN[bib]
    return comp


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The display tests' seeded hub (weld live, cook hidden, cnc frozen, robot published) on
    ``event_competition``."""
    hub = HubProcess(
        tmp_path_factory.mktemp("export-hub"),
        competition=event_competition(),
        env={"SCORECAST_JUDGE_RATE": "10000"},
    )
    hub.issue_credentials()
    hub.start()
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
