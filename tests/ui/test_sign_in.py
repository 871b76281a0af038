"""Signing in with AppTest: nothing before it, each role's own pages after it, idle and removed accounts signed out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import APP, PASSWORD, app_services, assert_no_exception, click, seed_candidate, signed_in_app
from ui import state
from ui.auth import FIRST_ADMIN
from vetting.authz import Actor
from vetting.literal import escape_markdown
from vetting.lockout import MAX_FAILED_SIGN_INS
from vetting.sessions import PlannedQuestion

ALL_PAGES = ("candidates", "interview", "documents", "scorecards", "ai_calls", "reports", "activity", "users")
ROLE_PAGES = {
    "admin": set(ALL_PAGES),
    "recruiter": {"candidates"},
    "interviewer": {"interview", "documents"},
    "reviewer": {"scorecards", "ai_calls", "reports", "activity"},
}


def visible_text(at: AppTest) -> str:
    """Everything the page shows as text, options of select boxes and cells of tables included."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "code", "info", "warning", "error"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.label) for e in at.button] + [str(o) for box in at.selectbox for o in box.options]
    parts += [e.value.to_string() for e in at.dataframe]
    return "\n".join(parts)


def test_with_no_account_the_app_shows_no_data_and_how_to_create_the_first_admin(data_dir: Path) -> None:
    seed_candidate(data_dir)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert_no_exception(at)
    assert [h.value for h in at.header] == ["Sign in"]
    assert [c.value for c in at.code] == [FIRST_ADMIN]
    assert "no default account or password" in at.warning[0].value
    assert not at.text_input  # not even a form to guess at
    assert "Ada" not in visible_text(at) and "Lovelace" not in visible_text(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/candidates.py")


def test_a_wrong_password_shows_nothing_and_the_right_one_opens_the_roles_pages(data_dir: Path) -> None:
    seed_candidate(data_dir)
    app_services(data_dir).users.add("rita", "recruiter", password=PASSWORD)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert "Lovelace" not in visible_text(at)
    name, password = (next(t for t in at.text_input if t.label == label) for label in ("User name", "Password"))
    name.input("rita")
    password.input("not the password")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert "Lovelace" not in visible_text(at)
    next(t for t in at.text_input if t.label == "Password").input(PASSWORD)
    at.button[0].click()
    at.run()
    assert_no_exception(at)
    assert [h.value for h in at.header] == ["Candidates"]
    assert "Lovelace" in visible_text(at)
    assert any("Signed in as **rita** · recruiter" in c.value for c in at.sidebar.caption)


def test_after_five_failures_the_form_says_the_name_is_locked_even_for_the_right_password(data_dir: Path) -> None:
    app_services(data_dir).users.add("rita", "recruiter", password=PASSWORD)
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    for password in ["not the password"] * MAX_FAILED_SIGN_INS + [PASSWORD]:
        next(t for t in at.text_input if t.label == "User name").input("rita")
        next(t for t in at.text_input if t.label == "Password").input(password)
        at.button[0].click()
        at.run()
        assert_no_exception(at)
    assert [h.value for h in at.header] == ["Sign in"]
    [error] = [e.value for e in at.error]  # the message as the page shows it (escaped)
    assert escape_markdown("Too many failed sign-ins") in error and escape_markdown("15 more minute(s)") in error


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_each_role_gets_only_its_pages(data_dir: Path, role: str) -> None:
    at = signed_in_app(role)
    assert_no_exception(at)
    for page in ALL_PAGES:
        if page in ROLE_PAGES[role]:
            at.switch_page(f"ui/pages/{page}.py").run()
            assert_no_exception(at)
            assert at.header, page
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(f"ui/pages/{page}.py")


def test_an_idle_sign_in_expires_and_a_removed_account_is_signed_out(data_dir: Path) -> None:
    seed_candidate(data_dir)
    at = signed_in_app("recruiter", name="rita")
    assert "Lovelace" in visible_text(at)
    at.session_state[state.LAST_ACTIVE] = time.monotonic() - 31 * 60  # default: 30 minutes
    at.run()
    assert [h.value for h in at.header] == ["Sign in"]
    assert "Signed out after 30 minutes without activity" in at.info[0].value
    assert "Lovelace" not in visible_text(at)

    at = signed_in_app("recruiter", name="rita")
    app_services(data_dir).users.add("ada", "admin", password=PASSWORD)
    app_services(data_dir).users.remove("rita")
    at.run()
    assert [h.value for h in at.header] == ["Sign in"] and "no longer exists" in at.info[0].value


def test_a_role_change_applies_on_the_next_click_and_sign_out_forgets_the_user(data_dir: Path) -> None:
    at = signed_in_app("recruiter", name="rita")
    app_services(data_dir).users.add("ada", "admin", password=PASSWORD)
    app_services(data_dir).users.set_role("rita", "reviewer")
    at.run()
    assert_no_exception(at)
    assert [h.value for h in at.header] == ["Scorecards"]
    click(at, "Sign out")
    assert [h.value for h in at.header] == ["Sign in"] and state.USER not in at.session_state


def test_an_interviewer_sees_only_the_sessions_and_candidates_assigned_to_them(data_dir: Path) -> None:
    ada = seed_candidate(data_dir)
    alan = seed_candidate(data_dir, "Alan Turing")
    services = app_services(data_dir)
    for name in ("grace", "gordon"):
        services.users.add(name, "interviewer", password=PASSWORD)
    recruiter = services.acting_as(Actor("rita", "recruiter"))
    mine = recruiter.sessions.create(ada.id, "rag-customer-support", "rag-case-study", "1.0", "grace")
    theirs = recruiter.sessions.create(alan.id, "rag-customer-support", "rag-case-study", "1.0", "gordon")
    at = signed_in_app("interviewer", name="grace")
    shown = visible_text(at)
    assert "Ada Lovelace" in shown and "Alan Turing" not in shown
    assert not any(t.label == "Interviewer" for t in at.text_input) and not any(
        s.label == "Interviewer" for s in at.selectbox
    )  # an interviewer starts sessions only for themselves

    at = signed_in_app("interviewer", name="grace", session=theirs)  # another interviewer's session, by its URL
    assert_no_exception(at)
    assert "Alan Turing" not in visible_text(at)
    assert any("not assigned to you" in e.value for e in [*at.error, *at.warning])

    plan = [PlannedQuestion("q1", "case", "Walk me through the case.", None, None)]
    services.sessions.store_plan(mine, plan, engine="offline", model=None)
    at = signed_in_app("interviewer", name="grace", session=mine)  # their own session: open, answerable, finishable
    assert_no_exception(at)
    assert any(t.label == "Answer (type or paste)" for t in at.text_area)
    at = click(at, "Finish session")  # asks first: Q1 is unanswered
    at = click(at, "Finish anyway")
    assert any("Session finished" in s.value for s in at.success)
    assert "Open the scorecard" not in visible_text(at)  # the Scorecards page is not an interviewer's


AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "not a real secret, only for this test",
    "client_id": "vetting",
    "client_secret": "unused",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def _sso_app(user: dict[str, object]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = user
    return at.run()


def test_single_sign_on_maps_the_providers_email_to_an_account_and_its_role(data_dir: Path) -> None:
    seed_candidate(data_dir)
    app_services(data_dir).users.add("sam", "recruiter", email="Sam@Example.org")
    outside = _sso_app({"is_logged_in": False})
    assert any(b.label == "Sign in with single sign-on" for b in outside.button)
    assert "Lovelace" not in visible_text(outside)

    stranger = _sso_app({"is_logged_in": True, "email": "eve@example.org"})
    assert_no_exception(stranger)
    assert [h.value for h in stranger.header] == ["Sign in"]
    unknown = f"No account has the e-mail {escape_markdown('eve@example.org')}"  # shown as text, escaped
    assert any(unknown in e.value for e in stranger.error)
    assert "Lovelace" not in visible_text(stranger)

    sam = _sso_app({"is_logged_in": True, "email": "sam@example.org"})
    assert_no_exception(sam)
    assert [h.value for h in sam.header] == ["Candidates"] and "Lovelace" in visible_text(sam)
    assert any("Signed in as **sam** · recruiter" in c.value for c in sam.sidebar.caption)
