"""Fixtures for the language-model seam: a scripted loopback server, and the real local server when CI starts one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.llm.stub import StubServer
from vetting.kernel.settings import Settings

# Read at import: the autouse fixture in tests/conftest.py clears VETTING_* variables before each test runs.
REAL_SERVER_URL = os.environ.get("VETTING_TEST_LLM_URL")
REAL_SERVER_MODEL = os.environ.get("VETTING_TEST_LLM_MODEL", "gemma-3-270m")


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer().start()
    yield server
    server.stop()


def llm_settings(tmp_path: Path, url: str, **overrides: object) -> Settings:
    """Settings pointing at `url`, with short timeouts and no retry delays worth waiting for."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "llm_base_url": url,
        "llm_model": "stub-model",
        "llm_timeout_s": 5.0,
        "llm_max_retries": 0,
        "llm_max_attempts": 2,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg,arg-type]


@pytest.fixture
def real_server_url() -> str:
    """The local OpenAI-compatible server started by scripts/llm-server.sh (CI), else skip with the reason."""
    if not REAL_SERVER_URL:
        pytest.skip("VETTING_TEST_LLM_URL is not set: start one with `scripts/llm-server.sh start` (CI does)")
    return REAL_SERVER_URL
