"""Shared fixtures: isolated data directories, the shared corpus (skipped with a reason when absent), one embedder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from tests.backends import (  # noqa: F401 - fixtures shared by every test module
    _postgres_admin,
    backend_settings,
    database_url,
    postgres_url,
    store_backend,
)
from vetting.kernel.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own VETTING_* variables or .env must never leak into a test."""
    for key in list(os.environ):
        if key.startswith("VETTING_"):
            monkeypatch.delenv(key)


@pytest.fixture
def shared_data() -> Path:
    """The shared corpus beside the checkout; tests that need it skip with a reason when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not beside this checkout (present in CI)")
    return SHARED


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with every path inside a fresh temporary directory and no LLM."""
    return Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real packaged embedding model, loaded once for the whole test session."""
    from vetting.embeddings import make_embedder

    return make_embedder(Settings(_env_file=None))  # type: ignore[call-arg]
