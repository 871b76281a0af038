"""Models and clients created once per process (`st.cache_resource`), shared by every page and every browser tab."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cases import Case, load_cases
from rubrics import Rubric, load_rubrics
from vetting.authz import PermissionDenied, current_actor
from vetting.interviews import InterviewRunner
from vetting.kernel.errors import VettingError
from vetting.kernel.settings import Settings
from vetting.services import Services

if TYPE_CHECKING:
    from vetting.interviews import InterviewRunner


@st.cache_resource(show_spinner=False)
def base_services() -> Services:
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


def services() -> Services:
    """The services as the signed-in user: every service checks this user's role (nobody signed in: refused)."""
    user = current_actor()  # set by app.py around the page, once the sign-in is checked
    if user is None:
        raise PermissionDenied("Sign in first.")
    return base_services().acting_as(user)


@st.cache_resource(show_spinner=False)
def warm_up() -> threading.Thread:
    """Load the embedding model in the background so the first upload or plan does not wait for it."""
    built = base_services()  # resolved here, in the script thread; the thread only touches the plain object
    thread = threading.Thread(target=lambda: built.embedder, name="embedder-warm-up", daemon=True)
    thread.start()
    return thread


@st.cache_resource(show_spinner=False)
def rubrics() -> dict[str, Rubric]:
    return load_rubrics(base_services().settings)


@st.cache_resource(show_spinner=False)
def cases() -> dict[str, Case]:
    return load_cases(base_services().settings)


def runner() -> InterviewRunner:
    """Plans and scores sessions as the signed-in user; the planner and scorer are built once and shared."""
    return services().interviews


def clear() -> None:
    """Forget every cached resource (tests call this between apps)."""
    st.cache_resource.clear()
    st.cache_data.clear()
