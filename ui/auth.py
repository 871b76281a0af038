"""Signing in and out: the password form, optional single sign-on (`st.login`), and sign-out after idle time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import state
from vetting.authz import Actor, acting
from vetting.kernel.errors import VettingError
from vetting.services import Services

FIRST_ADMIN = "vet users add NAME --role admin"
__all__ = ["FIRST_ADMIN", "Actor", "acting", "sign_in_page", "sign_out", "signed_in"]


def sso_enabled() -> bool:
    """True when `.streamlit/secrets.toml` has an `[auth]` section (OpenID Connect through `st.login`)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _sso_email() -> str | None:
    try:
        if st.user.is_logged_in:
            email = st.user.get("email")
            return str(email) if email else None
    except Exception:  # single sign-on not configured
        return None
    return None


def signed_in(base: Services) -> Actor | None:
    """The signed-in user as their account is now, or None (never signed in, idle too long, account removed)."""
    ss = st.session_state
    if state.USER not in ss and sso_enabled() and (email := _sso_email()):
        actor = base.users.by_email(email)
        if actor is not None:
            _remember(base, actor)
    user = ss.get(state.USER)
    if user is None:
        return None
    idle_s = base.settings.session_idle_minutes * 60
    if time.monotonic() - float(ss.get(state.LAST_ACTIVE, 0.0)) > idle_s:
        sign_out(f"Signed out after {base.settings.session_idle_minutes:g} minutes without activity. Sign in again.")
        return None
    current = base.users.current(user["name"])
    if current is None:
        sign_out("Your account no longer exists. Ask an administrator.")
        return None
    ss[state.LAST_ACTIVE] = now = time.monotonic()
    return Actor(current.name, current.role, via=user["via"], expires=now + idle_s)


def _remember(base: Services, actor: Actor) -> None:
    st.session_state[state.USER] = {"name": actor.name, "via": actor.via}
    st.session_state[state.LAST_ACTIVE] = time.monotonic()
    base.acting_as(actor).activity.record("sign-in", via=actor.via)


def sign_out(notice: str | None = None) -> None:
    """Forget everything this browser tab held (typed text included: it is saved already) and show the sign-in."""
    via = (st.session_state.get(state.USER) or {}).get("via")
    for key in list(st.session_state):
        del st.session_state[key]
    if notice:
        st.session_state[state.SIGNED_OUT_NOTICE] = notice
    if via == "sso":
        st.logout()


def sign_in_page() -> None:
    """The only page before signing in: no candidate data, no names; how to create the first account if none."""
    from ui import components, resources

    with components.guard("opening the accounts", stop=True):
        base = resources.base_services()
        accounts = base.users.count()
    st.header("Sign in")
    if accounts == 0:
        st.warning("No user accounts exist yet, so nothing can be shown. There is no default account or password.")
        st.markdown("On the machine that runs the app, create the first administrator, then sign in here:")
        st.code(FIRST_ADMIN, language="bash")
        return
    if notice := st.session_state.pop(state.SIGNED_OUT_NOTICE, None):
        st.info(notice)
    if sso_enabled():
        email = _sso_email()
        if email:
            st.error(
                f"No account has the e-mail {components.md(email)}. "
                "Ask an administrator to add it with `vet users add`."
            )
            st.button("Sign out of single sign-on", on_click=st.logout)
        else:
            st.button("Sign in with single sign-on", on_click=st.login, type="primary")
        st.caption("Or with a user name and password:")
    with st.form("sign-in"):
        name = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            actor = base.users.verify(name, password)
        except VettingError as exc:  # locked out after repeated failures: the message says for how long
            st.error(components.md(exc))
            return
        if actor is None:
            st.error("Wrong user name or password.")
            return
        _remember(base, actor)
        st.rerun()


def sign_in_pages(paths: tuple[str, ...]) -> list[Any]:
    """The sign-in form as the only page, also under each page's address, so a refresh asks to sign in and then
    returns to the page it was on (with its query parameters) instead of a 'page not found'."""
    pages = [st.Page(sign_in_page, title="Sign in", icon="🔑", default=True)]
    return pages + [st.Page(sign_in_page, title="Sign in", url_path=path) for path in paths]


def sidebar(user: Actor) -> None:
    """Who is signed in, with what role, and the sign-out button."""
    from ui import components

    with st.sidebar:
        st.caption(f"Signed in as **{components.md(user.name)}** · {user.role}")
        st.button("Sign out", on_click=sign_out, args=("You are signed out.",), icon="🚪")


def exported(services: Services, what: str, make: Callable[[], Any], **detail: Any) -> Callable[[], Any]:
    """A download's content, made when the file is fetched, and the export recorded under the acting user."""

    def fetch() -> Any:
        data = make()
        candidate_id, session_id = detail.pop("candidate_id", None), detail.pop("session_id", None)
        services.activity.record("export", candidate_id=candidate_id, session_id=session_id, what=what, **detail)
        return data

    return fetch
