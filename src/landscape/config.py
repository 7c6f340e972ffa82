"""Deployment settings: where the database lives and who may publish.

Read from the environment first, then from `.streamlit/secrets.toml` (the file Streamlit itself
reads, so one secrets file serves both), then defaults. Nothing here imports streamlit: the CLI and
the tests read the same settings as the dashboard.

- database URL: env `LANDSCAPE_DATABASE_URL`, else `[landscape] database_url`, else a SQLite file
  `var/landscape.sqlite` under the checkout when running from one (what `python3 dev.py start`
  uses), else under the current directory (an installed wheel has no project folder of its own).
- accounts: env `LANDSCAPE_ACCOUNTS` (JSON `{"alice": {"password_hash": "$argon2id$...",
  "role": "admin"}}`), else `[auth.accounts.<username>]` tables.
- OpenID Connect emails: env `LANDSCAPE_EMAIL_ROLES` (JSON `{"a@x.gov.uk": {"role": "area",
  "area": "E23000023"}}`), else `[auth.email_roles]`.
- trusted proxies: env `LANDSCAPE_TRUSTED_PROXIES`, else `[landscape] trusted_proxies`, else 0:
  how many reverse proxies in front of the dashboard append to X-Forwarded-For, so that the
  sign-in limit keys a visitor by the address the outermost of them saw (0: the socket's).
- the secrets file: env `LANDSCAPE_SECRETS_FILE`, else `.streamlit/secrets.toml` in the working
  directory, else in the checkout (when running from one).
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landscape import paths
from landscape.areas import match_area
from landscape.errors import LandscapeError

DATABASE_URL_ENV = "LANDSCAPE_DATABASE_URL"
ACCOUNTS_ENV = "LANDSCAPE_ACCOUNTS"
EMAIL_ROLES_ENV = "LANDSCAPE_EMAIL_ROLES"
SECRETS_FILE_ENV = "LANDSCAPE_SECRETS_FILE"
TRUSTED_PROXIES_ENV = "LANDSCAPE_TRUSTED_PROXIES"


class ConfigError(LandscapeError, ValueError):
    """The settings are present but malformed; the message says which and how to fix it."""


@dataclass(frozen=True)
class AccountConfig:
    """One configured sign-in: the role and (for area offices) the ONS area code it is bound to."""

    username: str
    password_hash: str
    role: str
    area: str | None = None


@dataclass(frozen=True)
class RoleGrant:
    """What an OpenID Connect email may do (no password: the identity provider vouches)."""

    role: str
    area: str | None = None


@dataclass(frozen=True)
class Settings:
    database_url: str
    accounts: Mapping[str, AccountConfig] = field(default_factory=dict)
    email_roles: Mapping[str, RoleGrant] = field(default_factory=dict)
    oidc_configured: bool = False
    trusted_proxies: int = 0


def default_database_path() -> Path:
    root = paths.checkout_root()
    return (root if root is not None else Path.cwd()) / "var" / "landscape.sqlite"


def default_database_url() -> str:
    return f"sqlite:///{default_database_path()}"


def secrets_path() -> Path | None:
    """The secrets file in use, if any."""
    explicit = os.environ.get(SECRETS_FILE_ENV)
    if explicit:
        return Path(explicit)
    for folder in (Path.cwd(), paths.checkout_root()):
        if folder is None:
            continue
        candidate = folder / ".streamlit" / "secrets.toml"
        if candidate.is_file():
            return candidate
    return None


def read_secrets(path: Path | None = None) -> dict[str, Any]:
    path = path if path is not None else secrets_path()
    if path is None or not path.is_file():
        return {}
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from error


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    secrets = read_secrets()
    landscape_section = secrets.get("landscape", {})
    auth_section = secrets.get("auth", {})
    url = (
        env.get(DATABASE_URL_ENV) or landscape_section.get("database_url") or default_database_url()
    )
    accounts_raw = (
        _json_env(env, ACCOUNTS_ENV) if env.get(ACCOUNTS_ENV) else auth_section.get("accounts", {})
    )
    roles_raw = (
        _json_env(env, EMAIL_ROLES_ENV)
        if env.get(EMAIL_ROLES_ENV)
        else auth_section.get("email_roles", {})
    )
    return Settings(
        database_url=str(url),
        accounts=parse_accounts(accounts_raw),
        email_roles=parse_email_roles(roles_raw),
        # Streamlit's st.login needs [auth] redirect_uri and cookie_secret plus a provider.
        oidc_configured=bool(
            auth_section.get("redirect_uri") and auth_section.get("cookie_secret")
        ),
        trusted_proxies=parse_trusted_proxies(
            env.get(TRUSTED_PROXIES_ENV) or landscape_section.get("trusted_proxies", 0)
        ),
    )


def parse_trusted_proxies(raw: object) -> int:
    """A count of reverse proxies: a whole number from 0 (none, the default) to 10."""
    text = str(raw).strip()
    if isinstance(raw, bool) or not text.isdigit() or int(text) > 10:
        raise ConfigError(
            f"trusted_proxies must be a whole number of proxies from 0 to 10, not {raw!r}",
            fix=f"Set {TRUSTED_PROXIES_ENV} (or [landscape] trusted_proxies) to how many reverse "
            "proxies in front of the dashboard add to X-Forwarded-For (usually 1), or 0 for none",
        )
    return int(text)


def parse_accounts(raw: Mapping[str, Any]) -> dict[str, AccountConfig]:
    accounts: dict[str, AccountConfig] = {}
    for username, entry in raw.items():
        if not isinstance(entry, Mapping):
            raise ConfigError(f"account {username!r}: expected a table with password_hash and role")
        password_hash = str(entry.get("password_hash", ""))
        if not password_hash.startswith("$argon2"):
            raise ConfigError(
                f"account {username!r}: password_hash must be an argon2 hash "
                "(make one with `landscape hash-password`)"
            )
        role, area = _role_and_area(f"account {username!r}", entry)
        accounts[str(username)] = AccountConfig(str(username), password_hash, role, area)
    return accounts


def parse_email_roles(raw: Mapping[str, Any]) -> dict[str, RoleGrant]:
    grants: dict[str, RoleGrant] = {}
    for email, entry in raw.items():
        if isinstance(entry, str):
            entry = {"role": entry}
        if not isinstance(entry, Mapping):
            raise ConfigError(f"email {email!r}: expected a role name or a table with role")
        role, area = _role_and_area(f"email {email!r}", entry)
        grants[str(email).strip().lower()] = RoleGrant(role, area)
    return grants


def _role_and_area(what: str, entry: Mapping[str, Any]) -> tuple[str, str | None]:
    role = str(entry.get("role", ""))
    if role not in ("admin", "area"):
        raise ConfigError(f"{what}: role must be 'admin' or 'area', not {role!r}")
    area = entry.get("area")
    if role == "admin":
        return role, None
    if not area:
        raise ConfigError(f"{what}: an area office needs area = '<ONS code>'")
    match = match_area(str(area))
    if match.code is None:
        hint = f" (did you mean {', '.join(match.suggestions)}?)" if match.suggestions else ""
        raise ConfigError(f"{what}: {area!r} is not a police force area{hint}")
    return role, match.code


def _json_env(env: Mapping[str, str], name: str) -> dict[str, Any]:
    try:
        value = json.loads(env[name])
    except json.JSONDecodeError as error:
        raise ConfigError(f"{name} is not valid JSON: {error}") from error
    if not isinstance(value, dict):
        raise ConfigError(f"{name} must be a JSON object keyed by name")
    return value
