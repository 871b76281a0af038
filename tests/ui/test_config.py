"""The browser's upload limit and the ingest limit agree, and no traceback is configured to reach a user."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO
from vetting.kernel.settings import Settings


def _config() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_streamlit_upload_limit_matches_the_ingest_limit() -> None:
    default_mb = Settings.model_fields["max_upload_mb"].default
    assert _config()["server"]["maxUploadSize"] == default_mb


def test_error_details_are_hidden_from_users() -> None:
    assert _config()["client"]["showErrorDetails"] == "none"
