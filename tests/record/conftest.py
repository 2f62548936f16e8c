"""The record tests' fixtures: a real hub whose competition has an organizer."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.hubkit import HubProcess, small_competition


def with_organizer(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["judges"].append(
        {"id": "org", "name": {"zh": "组委会", "en": "Organizer"}, "role": "organizer"}
    )
    return data


@pytest.fixture
def org_hub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(tmp_path / "hub", with_organizer(small_competition()))
    h.issue_credentials()
    h.start()
    yield h
    h.stop()
