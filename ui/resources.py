"""Models and clients created once per process (`st.cache_resource`), shared by every page and every browser tab."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cases import Case, load_cases
from rubrics import Rubric, load_rubrics
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services

if TYPE_CHECKING:
    from vetting.interviews import InterviewRunner


@st.cache_resource(show_spinner=False)
def services() -> Services:
    """The same composition root the `vet` CLI uses, built from VETTING_* settings once per process."""
    built = Services(Settings())
    try:
        built.db  # noqa: B018 - open (and if needed upgrade) the database before the first page needs it
    except SQLAlchemyError as exc:
        raise VettingError(
            "The database cannot be opened: check VETTING_DATABASE_URL, or that the database server is running "
            f"({exc.__class__.__name__})."
        ) from exc
    return built


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Load the embedding model in the background so the first upload or plan does not wait for it."""
    built = services()  # resolved here, in the script thread; the thread only touches the plain object
    thread = threading.Thread(target=lambda: built.embedder, name="embedder-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def rubrics() -> dict[str, Rubric]:
    return load_rubrics(services().settings)


@st.cache_resource(show_spinner=False)
def cases() -> dict[str, Case]:
    return load_cases(services().settings)


@st.cache_resource(show_spinner=False)
def runner() -> InterviewRunner:
    """Plans and scores sessions; built on first use, since the planner needs the embedding model."""
    return services().interviews


def clear() -> None:
    """Forget every cached resource (tests call this between apps)."""
    st.cache_resource.clear()
    st.cache_data.clear()
