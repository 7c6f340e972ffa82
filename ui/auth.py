"""Streamlit-side sign-in: a username/password form, or `st.login` (OpenID Connect) when configured.

The rules live in `landscape.store.access`; this module only keeps the signed-in principal in the
session and renders the forms. The store re-checks every publish against the principal, so nothing
here is the only line of defence.

Accounts are the secrets file's and the database's (`landscape.store.accounts`, managed with
`landscape accounts`), read afresh at each sign-in; a password sign-in kept in the session is
checked against them at each page, so disabling or resetting an account ends its sessions there.
"""

from __future__ import annotations

import streamlit as st

from landscape.config import ConfigError, Settings, load_settings
from landscape.errors import LandscapeError
from landscape.store.access import (
    Authenticator,
    Principal,
    SignInFailed,
    client_address,
    principal_for_email,
)
from landscape.store.accounts import DASHBOARD, Accounts, identity_email
from ui.layout import plain
from ui.store import store as store  # the one store of the process; pages call auth.store()

PRINCIPAL_KEY = "landscape_principal"


def settings() -> Settings:
    return load_settings()


def accounts(config: Settings) -> Accounts:
    """The database's accounts beside the secrets file's (which win on a shared name)."""
    return Accounts(store().engine, config)


def client_id(trusted_proxies: int = 0) -> str:
    """Who is knocking, for the per-client sign-in limit: the address the server saw, or with
    trusted proxies the one the outermost proxy saw (`access.client_address` decides)."""
    try:
        address = st.context.ip_address
        forwarded = st.context.headers.get_all("X-Forwarded-For")
    except Exception:  # outside a browser session (tests, bare mode)
        address, forwarded = None, []
    return client_address(
        address if isinstance(address, str) and address else None,
        [value for value in forwarded if isinstance(value, str)],
        trusted_proxies,
    )


def current_principal() -> Principal | None:
    """The signed-in principal: from this session's password sign-in, or the OIDC identity."""
    signed_in = st.session_state.get(PRINCIPAL_KEY)
    config = _settings_or_none()
    if isinstance(signed_in, Principal):
        if config is None or not accounts(config).revoked(signed_in):
            return signed_in
        st.session_state.pop(PRINCIPAL_KEY, None)  # disabled or reset since: signed out
    if config is not None and config.oidc_configured and _oidc_logged_in():
        email = identity_email(st.user)
        return principal_for_email(email, accounts(config).email_roles())
    return None


def sign_out() -> None:
    """End the session's sign-in, then rerun; an OpenID Connect sign-in through the provider's
    end of session instead (the browser leaves, so nothing reruns here)."""
    st.session_state.pop(PRINCIPAL_KEY, None)
    config = _settings_or_none()
    if config is not None and config.oidc_configured and _oidc_logged_in():
        _oidc_sign_out()
    st.rerun()


def _oidc_sign_out() -> None:
    """st.logout, then stop: a rerun now would clear the queue of messages to the browser,
    and the redirect to the provider with it, before it was sent."""
    st.logout()
    st.stop()


def sign_in_panel() -> Principal | None:
    """Show who is signed in (with a sign-out button), or the sign-in form; return the principal."""
    principal = current_principal()
    if principal is not None:
        left, right = st.columns([4, 1])
        left.success(plain(f"Signed in as {principal.description}."), icon=":material/person:")
        if right.button("Sign out", key="sign_out"):
            sign_out()
        return principal
    config = _settings_or_none()
    if config is None:
        return None
    if config.oidc_configured:
        if _oidc_logged_in():
            st.warning(
                plain(
                    f"You are signed in as {st.user.get('email')}, which may read the dashboard "
                    "but not publish. Ask the APCC administrator to add your email to the "
                    "publishers."
                )
            )
            if st.button("Sign out", key="oidc_sign_out"):
                _oidc_sign_out()
            return None
        if st.button("Sign in with your organisation account", type="primary"):
            st.login()
        st.caption("Or sign in with a landscape account:")
    if not accounts(config).any_sign_in():
        st.info("No publishing accounts are configured; see docs/deployment.md.")
        return None
    principal = _password_form(config)
    if accounts(config).any_open_code():
        _set_password_form(config)
    return principal


def _password_form(config: Settings) -> Principal | None:
    with st.form("sign_in", clear_on_submit=False):
        username = st.text_input("Username", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in")
    if not submitted:
        return None
    try:
        principal = Authenticator(accounts(config).sign_in_accounts(), store().sign_in_log).sign_in(
            username, password, client=client_id(config.trusted_proxies)
        )
    except SignInFailed as failed:
        st.error(failed.message, icon=":material/lock:")
        return None
    except LandscapeError as error:  # the store failed (read-only, full, busy): say so and how
        st.error(plain(error.summary()), icon=":material/error:")
        return None
    st.session_state[PRINCIPAL_KEY] = principal
    st.rerun()
    return principal  # pragma: no cover - st.rerun() does not return


def _set_password_form(config: Settings) -> None:
    """Where a person given a one-time code (`landscape accounts add` or `reset`) sets their
    password: the code is the credential, so this needs no sign-in."""
    with st.expander("Set your password with a one-time code", icon=":material/key:"):
        with st.form("set_password", clear_on_submit=True):
            username = st.text_input("Username", key="set_password_username")
            code = st.text_input("One-time code", type="password", key="set_password_code")
            password = st.text_input(
                "New password (at least 12 characters)",
                type="password",
                autocomplete="new-password",
                key="set_password_new",
            )
            again = st.text_input(
                "New password again", type="password", autocomplete="new-password"
            )
            submitted = st.form_submit_button("Set the password")
        if not submitted:
            return
        if password != again:
            st.error("The two passwords are not the same. Type the new one twice.")
            return
        try:
            principal = accounts(config).set_password(username, code, password, via=DASHBOARD)
        except LandscapeError as refused:
            st.error(plain(refused.summary()), icon=":material/lock:")
            return
        st.success(plain(f"Password set. Sign in above as {principal.username}."))


def _settings_or_none() -> Settings | None:
    try:
        return settings()
    except ConfigError as error:
        st.error(f"The sign-in settings are not right: {error}")
        return None


def _oidc_logged_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:  # st.user needs a configured [auth] section
        return False
