from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hubkit import HubProcess


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    h = HubProcess(tmp_path / "hub")
    h.issue_credentials()
    h.start()
    yield h
    h.stop()
