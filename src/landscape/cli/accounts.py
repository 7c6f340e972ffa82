"""`landscape accounts`: password accounts and OpenID Connect email mappings in the database.

add, list, disable, enable, reset (a new one-time code) and log (the audit trail) are for APCC
administrators, signed in with `--as` (password from LANDSCAPE_PASSWORD or a prompt): the first
administrator is the one in the secrets file. set-password is for the person given a code.
Every command that signs in reads the database's accounts beside the secrets file's
(`sign_in_as`, which `landscape publish` and `landscape round` use too).
"""

from __future__ import annotations

import os
from datetime import timedelta

import click

from landscape.cli.group import Refused, echo
from landscape.config import load_settings
from landscape.store import Store, open_store
from landscape.store.access import Authenticator, Principal, Role, local_client
from landscape.store.accounts import (
    CODE_LIFETIME,
    AccountKind,
    Accounts,
    IssuedCode,
    utc_text,
)

PASSWORD_ENV = "LANDSCAPE_PASSWORD"  # noqa: S105 - the variable's name, not a password
USER_ENV = "LANDSCAPE_USER"

_account = click.option(
    "--as",
    "username",
    envvar=USER_ENV,
    required=True,
    help=f"The administrator acting (or env {USER_ENV}); the password from {PASSWORD_ENV} or "
    "a prompt.",
)
_database = click.option(
    "--database",
    "database_url",
    metavar="URL",
    default=None,
    help="Database URL (default: LANDSCAPE_DATABASE_URL, secrets.toml, or var/landscape.sqlite).",
)
_valid_for = click.option(
    "--valid-for",
    "valid_for_hours",
    type=click.FloatRange(min=0),
    default=CODE_LIFETIME.total_seconds() / 3600,
    show_default=True,
    help="Hours the one-time set-password code works for (at most 336, two weeks).",
)


def accounts_of(store: Store) -> Accounts:
    """The store's accounts beside the secrets file's."""
    return Accounts(store.engine, load_settings())


def sign_in_as(store: Store, username: str) -> Principal:
    """Sign in as `username` (a secrets-file or database account), with the sign-in limits."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = click.prompt(f"Password for {username}", hide_input=True)
    authenticator = Authenticator(accounts_of(store).sign_in_accounts(), store.sign_in_log)
    return authenticator.sign_in(username, password, local_client())


def _signed_in(username: str, database_url: str | None) -> tuple[Accounts, Principal]:
    store = open_store(database_url)
    return accounts_of(store), sign_in_as(store, username)


@click.group("accounts")
def accounts_group() -> None:
    """Manage sign-in: password accounts and OpenID Connect emails, kept in the database."""


@accounts_group.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="admin (APCC administrator) or area (an area office, with --area).",
)
@click.option("--area", default=None, help="An area office's force area (name or ONS code).")
@click.option(
    "--oidc",
    is_flag=True,
    help="NAME is an email signed in by the OpenID Connect provider (no password, no code).",
)
@_valid_for
@_account
@_database
def add_command(
    name: str,
    role: str,
    area: str | None,
    oidc: bool,
    valid_for_hours: float,
    username: str,
    database_url: str | None,
) -> None:
    """Add an account; a password account's one-time code is printed once, here."""
    accounts, principal = _signed_in(username, database_url)
    kind = AccountKind.EMAIL if oidc else AccountKind.PASSWORD
    issued = accounts.add(
        principal,
        name,
        role=Role(role),
        area=area,
        kind=kind,
        via=local_client(),
        code_lifetime=timedelta(hours=valid_for_hours),
    )
    added = next(a for a in accounts.list_accounts(principal) if a.name == name.strip().lower())
    if issued is None:
        echo(f"Added {added.name} ({added.may}): it may sign in with OpenID Connect now.")
        return
    echo(f"Added {added.name} ({added.may}).")
    _print_code(issued)


@accounts_group.command("list")
@_account
@_database
def list_command(username: str, database_url: str | None) -> None:
    """Every account that may sign in or could: name, kind, what it may do, state, source."""
    accounts, principal = _signed_in(username, database_url)
    now = accounts.now()
    headers = ("name", "sign-in", "may", "state", "defined in", "added")
    rows = [
        (
            a.name,
            "OpenID Connect" if a.kind is AccountKind.EMAIL else "password",
            a.may,
            a.state(now),
            a.source,
            f"{utc_text(a.created_at)} by {a.created_by}" if a.created_at else "",
        )
        for a in accounts.list_accounts(principal)
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for row in (headers, *rows):
        echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


@accounts_group.command("disable")
@click.argument("name")
@_account
@_database
def disable_command(name: str, username: str, database_url: str | None) -> None:
    """Stop NAME signing in; its open sessions end at their next page. `enable` undoes it."""
    accounts, principal = _signed_in(username, database_url)
    account = accounts.disable(principal, name, via=local_client())
    echo(f"Disabled {account.name} ({account.may}).")


@accounts_group.command("enable")
@click.argument("name")
@_account
@_database
def enable_command(name: str, username: str, database_url: str | None) -> None:
    """Let a disabled account sign in again, as it was."""
    accounts, principal = _signed_in(username, database_url)
    account = accounts.enable(principal, name, via=local_client())
    echo(f"Enabled {account.name} ({account.may}).")


@accounts_group.command("reset")
@click.argument("name")
@_valid_for
@_account
@_database
def reset_command(
    name: str, valid_for_hours: float, username: str, database_url: str | None
) -> None:
    """Clear NAME's password (its sessions end) and print a new one-time code, once."""
    accounts, principal = _signed_in(username, database_url)
    issued = accounts.reset(
        principal, name, via=local_client(), code_lifetime=timedelta(hours=valid_for_hours)
    )
    echo(f"Cleared the password of {issued.account}.")
    _print_code(issued)


@accounts_group.command("set-password")
@click.argument("name")
@_database
def set_password_command(name: str, database_url: str | None) -> None:
    """Set NAME's password with the one-time code an administrator gave you (both prompted)."""
    store = open_store(database_url)
    code = click.prompt("One-time code", hide_input=True)
    password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    principal = accounts_of(store).set_password(name, code, password, via=local_client())
    echo(f"Password set: sign in as {principal.username} ({principal.description}).")


@accounts_group.command("log")
@click.argument("name", required=False)
@_account
@_database
def log_command(name: str | None, username: str, database_url: str | None) -> None:
    """The audit trail: every change to accounts (or to NAME's), who made it, how and when."""
    accounts, principal = _signed_in(username, database_url)
    events = accounts.events(principal, name)
    if not events:
        raise Refused("No account changes are recorded" + (f" for {name!r}" if name else ""))
    for event in events:
        detail = f": {event.detail}" if event.detail else ""
        echo(
            f"{utc_text(event.at)}  {event.account}  {event.action} by {event.actor} "
            f"({event.via}){detail}"
        )


def _print_code(issued: IssuedCode) -> None:
    echo(f"One-time code: {issued.code}")
    echo(
        f"It works once, until {utc_text(issued.expires_at)}, and is shown only now: give it to "
        f"the person, who sets a password with it on the Upload page or with "
        f"`landscape accounts set-password {issued.account}`."
    )


def register(group: click.Group) -> None:
    group.add_command(accounts_group)
