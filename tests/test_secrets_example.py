"""The shipped .streamlit/secrets.example.toml is what docs/deployment.md says: read as it stands,
it configures OpenID Connect for st.login and one bootstrap administrator."""

from __future__ import annotations

import tomllib
from pathlib import Path

from landscape.config import SECRETS_FILE_ENV, load_settings

EXAMPLE = Path(__file__).resolve().parents[1] / ".streamlit" / "secrets.example.toml"


def test_the_example_configures_oidc_and_one_bootstrap_administrator(monkeypatch):
    monkeypatch.setenv(SECRETS_FILE_ENV, str(EXAMPLE))
    for name in ("LANDSCAPE_ACCOUNTS", "LANDSCAPE_EMAIL_ROLES", "LANDSCAPE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.oidc_configured
    assert [(a.username, a.role) for a in settings.accounts.values()] == [("apcc-admin", "admin")]
    assert {e: g.role for e, g in settings.email_roles.items()} == {
        "policy.lead@apcc.example": "admin"
    }


def test_the_example_has_every_key_st_login_needs_for_one_provider():
    auth = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["auth"]
    needed = {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"}
    assert needed <= set(auth)
    assert auth["redirect_uri"].endswith("/oauth2callback")


def test_the_real_secrets_file_is_never_committed():
    ignored = (EXAMPLE.parents[1] / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".streamlit/secrets.toml" in ignored
