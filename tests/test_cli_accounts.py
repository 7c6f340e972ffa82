"""`landscape accounts add|list|disable|enable|reset|set-password|log`, on SQLite and PostgreSQL:
the secrets file's administrator bootstraps the first database accounts, whose codes print once,
and the accounts made so sign in to the other commands (`landscape round`)."""

from __future__ import annotations

import json
import re

import pytest
from argon2 import PasswordHasher
from click.testing import CliRunner

from landscape.cli import main
from landscape.store import open_store
from tests.store_support import database_url

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ADMIN_PASSWORD = "the bootstrap admin's password"
OFFICE_PASSWORD = "cambridgeshire's own password"
CODE = re.compile(r"One-time code: ([A-Z0-9]{5}(?:-[A-Z0-9]{5}){3})")


@pytest.fixture
def env(tmp_path, monkeypatch):
    url = database_url(tmp_path / "accounts.sqlite")
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv(
        "LANDSCAPE_ACCOUNTS",
        json.dumps({"apcc-admin": {"password_hash": FAST.hash(ADMIN_PASSWORD), "role": "admin"}}),
    )
    monkeypatch.setenv("LANDSCAPE_PASSWORD", ADMIN_PASSWORD)
    # argon2 at a test's cost: the CLI's own hashers (sign-in's dummy hash, set-password's hash)
    for module in ("landscape.store.access", "landscape.store.accounts"):
        monkeypatch.setattr(f"{module}.PasswordHasher", lambda: FAST)
    open_store(url)
    return url


def run(*args: str, input: str | None = None, password: str | None = None):
    env = {"LANDSCAPE_PASSWORD": password} if password else {}
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def add_office(name: str = "cambs-opcc", area: str = "Cambridgeshire") -> str:
    result = run("accounts", "add", name, "--role", "area", "--area", area, "--as", "apcc-admin")
    assert result.exit_code == 0, result.output
    match = CODE.search(result.output)
    assert match, result.output
    return match.group(1)


def set_password(name: str, code: str, password: str = OFFICE_PASSWORD):
    return run("accounts", "set-password", name, input=f"{code}\n{password}\n{password}\n")


def test_add_prints_the_code_once_and_the_office_sets_its_password_and_returns_its_area(env):
    result = run(
        "accounts", "add", "cambs-opcc", "--role", "area", "--area", "Cambridgeshire",
        "--as", "apcc-admin",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added cambs-opcc (area office, Cambridgeshire).\n")
    assert "is shown only now" in result.output
    code = CODE.search(result.output)
    assert code
    listed = run("accounts", "list", "--as", "apcc-admin").output
    assert code.group(1) not in listed  # shown once: never again
    assert re.search(r"cambs-opcc\s+password\s+area office, Cambridgeshire\s+awaiting", listed)
    done = set_password("cambs-opcc", code.group(1))
    assert done.exit_code == 0, done.output
    assert "Password set: sign in as cambs-opcc (cambs-opcc (area office, Cambridgeshire))" in (
        done.output
    )
    # the account made so signs in to the other commands
    opened = run(
        "round", "open", "--label", "APCC 2026 survey", "--period", "2025-26",
        "--deadline", "2026-03-31", "--as", "apcc-admin",
    )  # fmt: skip
    assert opened.exit_code == 0, opened.output
    status = run("round", "status", "--as", "cambs-opcc", password=OFFICE_PASSWORD)
    assert status.exit_code == 0, status.output
    assert "Cambridgeshire" in status.output and "Essex" not in status.output


def test_an_oidc_email_is_added_without_a_code(env):
    result = run(
        "accounts", "add", "Data@Cambs-PCC.example", "--oidc", "--role", "area",
        "--area", "E23000023", "--as", "apcc-admin",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Added data@cambs-pcc.example (area office, Cambridgeshire): it may sign in with "
        "OpenID Connect now.\n"
    )
    listed = run("accounts", "list", "--as", "apcc-admin").output
    assert re.search(
        r"data@cambs-pcc.example\s+OpenID Connect\s+area office, Cambridgeshire", listed
    )


def test_list_shows_the_secrets_files_administrator_beside_the_databases_accounts(env):
    add_office()
    lines = run("accounts", "list", "--as", "apcc-admin").output.splitlines()
    assert lines[0].split() == ["name", "sign-in", "may", "state", "defined", "in", "added"]
    assert lines[1].split() == [
        "apcc-admin", "password", "APCC", "administrator", "active", "secrets", "file",
    ]  # fmt: skip
    assert lines[2].startswith("cambs-opcc") and "database" in lines[2]
    assert "by apcc-admin" in lines[2]


def test_disable_stops_sign_in_and_enable_restores_it(env):
    set_password("cambs-opcc", add_office())
    assert run("accounts", "disable", "cambs-opcc", "--as", "apcc-admin").output == (
        "Disabled cambs-opcc (area office, Cambridgeshire).\n"
    )
    refused = run("round", "status", "--as", "cambs-opcc", password=OFFICE_PASSWORD)
    assert refused.exit_code == 1
    assert "username or password is not right" in refused.output
    assert run("accounts", "enable", "cambs-opcc", "--as", "apcc-admin").exit_code == 0
    assert "There is no survey round" in (
        run("round", "status", "--as", "cambs-opcc", password=OFFICE_PASSWORD).output
    )  # signed in: refused only for want of a round


def test_reset_clears_the_password_and_prints_a_new_code(env):
    first = add_office()
    set_password("cambs-opcc", first)
    result = run("accounts", "reset", "cambs-opcc", "--valid-for", "2", "--as", "apcc-admin")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Cleared the password of cambs-opcc.\nOne-time code: ")
    second = CODE.search(result.output)
    assert second and second.group(1) != first
    old = run("round", "status", "--as", "cambs-opcc", password=OFFICE_PASSWORD)
    assert old.exit_code == 1
    assert set_password("cambs-opcc", first, "trying the old code").exit_code == 1
    assert set_password("cambs-opcc", second.group(1), "a new password now").exit_code == 0


def test_a_wrong_code_is_refused_with_exit_1_and_what_to_do(env):
    add_office()
    result = set_password("cambs-opcc", "AAAAA-AAAAA-AAAAA-AAAAA")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: That account name and one-time code do not match an open code (a code works "
        "once, and only until it expires). Check both, or ask an APCC administrator for a new "
        "code."
    )


def test_an_office_cannot_manage_accounts_and_a_wrong_password_changes_nothing(env):
    set_password("cambs-opcc", add_office())
    office = run(
        "accounts", "add", "essex", "--role", "area", "--area", "Essex", "--as", "cambs-opcc",
        password=OFFICE_PASSWORD,
    )  # fmt: skip
    assert office.exit_code == 1
    assert "Only an APCC administrator may manage accounts" in office.output
    wrong = run(
        "accounts", "add", "essex", "--role", "area", "--area", "Essex", "--as", "apcc-admin",
        password="not the admin's password",
    )  # fmt: skip
    assert wrong.exit_code == 1
    names = run("accounts", "list", "--as", "apcc-admin").output
    assert "essex" not in names


def test_a_bad_area_is_refused_naming_a_suggestion(env):
    result = run(
        "accounts", "add", "cambs", "--role", "area", "--area", "Cambridgshire",
        "--as", "apcc-admin",
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: 'Cambridgshire' is not a police force area (did you mean Cambridgeshire, "
    )


def test_log_shows_every_change_with_who_how_and_when(env):
    code = add_office()
    set_password("cambs-opcc", code)
    run("accounts", "disable", "cambs-opcc", "--as", "apcc-admin")
    lines = run("accounts", "log", "cambs-opcc", "--as", "apcc-admin").output.splitlines()
    assert [re.sub(r"^\S+ \S+ UTC  ", "", line).split(" (")[0] for line in lines] == [
        "cambs-opcc  added by apcc-admin",
        "cambs-opcc  code issued by apcc-admin",
        "cambs-opcc  password set by cambs-opcc",
        "cambs-opcc  disabled by apcc-admin",
    ]
    assert all("(cli:" in line for line in lines)
    assert code not in "\n".join(lines)
    nothing = run("accounts", "log", "nobody", "--as", "apcc-admin")
    assert nothing.exit_code == 1 and "No account changes are recorded for 'nobody'" in (
        nothing.output
    )
