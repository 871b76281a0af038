"""Users and settings page (administrator): accounts and their roles, and the settings in force (read only)."""

from __future__ import annotations

import streamlit as st

from ui import components, resources
from vetting.authz import ROLE_NAMES, Right

services = resources.services()
with components.guard("opening the accounts", stop=True):
    services.actor.require(Right.MANAGE_USERS)
    users = services.users.accounts()
st.header("Users and settings")
st.caption("The `vet users` commands do the same on the machine that runs the app.")
st.dataframe(
    [
        {"user": u.name, "role": u.role, "e-mail (single sign-on)": u.email or "", "password": u.has_password}
        for u in users
    ],
    hide_index=True,
    width="stretch",
)

add, change = st.columns(2)
with add, st.form("add-user", clear_on_submit=True):
    st.subheader("Add a user")
    name = st.text_input("User name")
    role = st.selectbox("Role", ROLE_NAMES, index=ROLE_NAMES.index("interviewer"))
    password = st.text_input("Password (at least 10 characters)", type="password")
    email = st.text_input("E-mail for single sign-on (optional)")
    if st.form_submit_button("Add user", type="primary"):
        with components.guard("adding the user"):
            user = services.users.add(name, role, password=password or None, email=email or None)
            services.activity.record("user.add", user=user.name, role=user.role)
            st.success(f"Added {user.name} ({user.role}).")
with change, st.form("change-user"):
    st.subheader("Change a user")
    who = st.selectbox("User", [u.name for u in users])
    new_role = st.selectbox("New role", ROLE_NAMES)
    role_pressed = st.form_submit_button("Set role")
    remove_pressed = st.form_submit_button("Remove user")
    if who and (role_pressed or remove_pressed):
        with components.guard("changing the user"):
            if remove_pressed:
                services.users.remove(who)
                services.activity.record("user.remove", user=who)
            else:
                services.users.set_role(who, new_role)
                services.activity.record("user.set-role", user=who, role=new_role)
            st.rerun()

st.subheader("Settings in force")
st.caption("Set through VETTING_* environment variables or a `.env` file; secrets are never shown.")
values = services.settings.model_dump()
st.dataframe(
    [
        {
            "setting": f"VETTING_{key.upper()}",
            "value": "(set)" if "key" in key and values[key] else str(values[key]),
            "meaning": field.description or "",
        }
        for key, field in type(services.settings).model_fields.items()
    ],
    hide_index=True,
    width="stretch",
)
