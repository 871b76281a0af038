"""Fixtures of the evaluation tests that drive the `vet` CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from vetting.cli import common


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI reads its settings from the environment; here they point into tmp (and no cached services leak)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    common.services.cache_clear()
    yield tmp_path / "data"
    common.services.cache_clear()
