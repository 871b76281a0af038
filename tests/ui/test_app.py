"""The app as a whole: every page opens on an empty data directory, and a database it cannot open gets a message."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, PAGES, open_page
from tests.ui.hostile import plain


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_opens_on_a_fresh_data_directory(data_dir: Path, name: str) -> None:
    at = open_page(name)
    assert at.header and at.header[0].value == name.capitalize()
    assert any("Offline engine" in c.value for c in at.sidebar.caption)


def test_a_database_that_cannot_be_opened_is_a_message_not_a_traceback(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VETTING_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    shown = [plain(e.value) for e in at.error]
    assert any("database cannot be opened" in e and "VETTING_DATABASE_URL" in e for e in shown)
