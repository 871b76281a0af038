"""AppTest fixtures: the real app on a fresh data directory, with Streamlit's caches cleared around every test."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO
from ui import state
from vetting.kernel.domain import Candidate
from vetting.kernel.settings import Settings
from vetting.services import Services

APP = REPO / "app.py"
PAGES = {name: f"ui/pages/{name}.py" for name in ("candidates", "interview", "documents", "scorecards")}


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """No cached Services (and so no database or store) may leak from one test's app into the next."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app reads its settings from the environment, exactly as `make run` does; here they point into tmp."""
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    monkeypatch.setenv("VETTING_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


PASSWORD = "correct horse battery staple"


def ensure_user(name: str, role: str) -> None:
    """An account in the app's database (the one VETTING_DATA_DIR points at), created on first use."""
    users = app_services(Path(os.environ["VETTING_DATA_DIR"])).users
    if users.current(name) is None:
        users.add(name, role, password=PASSWORD)


def signed_in_app(role: str = "admin", name: str | None = None, **query: str) -> AppTest:
    """The app, run once, with a user of this role already signed in in this browser tab."""
    name = name or f"{role}-user"
    ensure_user(name, role)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state[state.USER] = {"name": name, "via": "password"}
    at.session_state[state.LAST_ACTIVE] = time.monotonic()
    at.query_params.update(query)
    return at.run()


def open_page(name: str, at: AppTest | None = None, *, role: str = "admin", **query: str) -> AppTest:
    """Run the app signed in (a first run registers the role's pages), then switch to a page by name and run it."""
    if at is None:
        at = signed_in_app(role, **query)
    else:
        at.query_params.update(query)
    at.switch_page(PAGES[name]).run()
    assert_no_exception(at)
    return at


def assert_no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


CV = """# Ada Lovelace

## Experience

- Built a retrieval pipeline over 8,000 support articles with hybrid BM25 and dense search, cutting search time by 30%.
- Designed an evaluation set of 400 real tickets to measure recall@5 before every release.
- Led the migration of scanned PDFs to a layout-aware parser and added product and version metadata to every chunk.

## Projects

Churn prediction: owned the feature pipeline in Airflow and cut training time from six hours to forty minutes.
"""


def app_services(data_dir: Path) -> Services:
    """The same services the app builds, for seeding and checking what it stored."""
    return Services(Settings(_env_file=None, data_dir=data_dir))  # type: ignore[call-arg]


def seed_candidate(data_dir: Path, name: str = "Ada Lovelace", text: str = CV) -> Candidate:
    source = data_dir.parent / f"{name.split()[0].lower()}_cv.md"
    source.write_text(text, encoding="utf-8")
    report = app_services(data_dir).ingestor.ingest([source], name)
    assert report.ok, report.to_dict()
    return report.candidate


def click(at: AppTest, label: str) -> AppTest:
    """Press the button with this label (or starting with it) and rerun."""
    next(b for b in at.button if b.label == label or b.label.startswith(label)).click()
    at.run()
    assert_no_exception(at)
    return at
