"""Access: accounts from configuration, argon2 sign-in, rate limits held in the database, roles."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from argon2 import PasswordHasher

from landscape.config import (
    ACCOUNTS_ENV,
    DATABASE_URL_ENV,
    SECRETS_FILE_ENV,
    AccountConfig,
    ConfigError,
    load_settings,
    parse_accounts,
    parse_email_roles,
)
from landscape.store.access import (
    WRONG_CREDENTIALS,
    AccessDenied,
    Authenticator,
    NotSignedIn,
    Principal,
    RateLimit,
    Role,
    SignInFailed,
    SignInLocked,
    check_upload,
    principal_for_email,
    wrong_credentials,
)
from tests.builders import minimal_survey
from tests.store_support import ADMIN, CAMBRIDGESHIRE, CAMBS_OFFICE, fresh_store

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
ALICE_HASH = FAST.hash("correct horse battery")
CAMBS_HASH = FAST.hash("cambs office password")
ACCOUNTS = {
    "alice": AccountConfig("alice", ALICE_HASH, "admin"),
    "cambs": AccountConfig("cambs", CAMBS_HASH, "area", CAMBRIDGESHIRE),
}


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 1, 5, 9, 0, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


HOME = "ip:192.0.2.1"
"""The client of tests where who is knocking does not matter."""


def authenticator(store, clock, **kwargs):
    return Authenticator(ACCOUNTS, store.sign_in_log, clock=clock, hasher=FAST, **kwargs)


# --- sign-in ---------------------------------------------------------------------------------


def test_the_right_password_signs_in_with_the_accounts_role(store, clock):
    auth = authenticator(store, clock)
    assert auth.sign_in("alice", "correct horse battery", HOME) == Principal("alice", Role.ADMIN)
    assert auth.sign_in(" cambs ", "cambs office password", HOME) == Principal(
        "cambs", Role.AREA, CAMBRIDGESHIRE
    )


def test_wrong_password_and_unknown_user_get_the_same_message(store, clock):
    auth = authenticator(store, clock)
    with pytest.raises(SignInFailed) as wrong:
        auth.sign_in("alice", "nope", HOME)
    with pytest.raises(SignInFailed) as unknown:
        auth.sign_in("mallory", "nope", HOME)
    assert wrong.value.message == unknown.value.message == WRONG_CREDENTIALS


def test_an_unknown_user_costs_a_hash_verification_too(store, clock):
    calls = []

    class CountingHasher(PasswordHasher):
        def verify(self, hash, password):
            calls.append(hash)
            return super().verify(hash, password)

    hasher = CountingHasher(time_cost=1, memory_cost=8, parallelism=1)
    auth = Authenticator(ACCOUNTS, store.sign_in_log, clock=clock, hasher=hasher)
    with pytest.raises(SignInFailed):
        auth.sign_in("mallory", "whatever", HOME)
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")
    with pytest.raises(SignInFailed):
        auth.sign_in("mallory", "landscape-dummy-password", HOME)  # the dummy's own password
    assert store.table_counts()["failed_sign_ins"] == 2


def test_five_failures_lock_the_username_with_a_try_again_message(store, clock):
    auth = authenticator(store, clock)
    for attempt in range(5):
        clock.now += dt.timedelta(minutes=1)
        with pytest.raises(SignInFailed) as failed:
            auth.sign_in("alice", f"guess {attempt}", client=f"10.0.0.{attempt}")
        assert not isinstance(failed.value, SignInLocked)
    with pytest.raises(SignInLocked) as locked:
        auth.sign_in("alice", "correct horse battery", client="10.0.0.99")
    # failures at 09:01..09:05; the first ages out of the 15-minute window at 09:16
    assert locked.value.minutes == 11
    # a username's lock reads as any failure of the name: it tells nothing of whether it exists
    assert locked.value.message == wrong_credentials(RateLimit())
    assert "locked for 15 minutes" in locked.value.message
    clock.now = dt.datetime(2026, 1, 5, 9, 16, 1)
    assert auth.sign_in("alice", "correct horse battery", HOME).role is Role.ADMIN


def test_five_failures_from_one_client_lock_that_client_for_any_username(store, clock):
    auth = authenticator(store, clock)
    for name in ("a", "b", "c", "d", "e"):
        with pytest.raises(SignInFailed):
            auth.sign_in(name, "x", client="203.0.113.7")
    with pytest.raises(SignInLocked):
        auth.sign_in("alice", "correct horse battery", client="203.0.113.7")
    assert auth.sign_in("alice", "correct horse battery", client="198.51.100.1").username == "alice"


def test_the_lock_holds_across_processes_because_it_is_in_the_database(tmp_path, clock):
    first = fresh_store(tmp_path)
    for _ in range(5):
        with pytest.raises(SignInFailed):
            authenticator(first, clock).sign_in("alice", "x", HOME)
    first.dispose()
    reopened = fresh_store(tmp_path)
    with pytest.raises(SignInLocked):
        authenticator(reopened, clock).sign_in("alice", "correct horse battery", "ip:10.9.9.9")


def test_a_successful_sign_in_clears_that_usernames_failures(store, clock):
    auth = authenticator(store, clock)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            auth.sign_in("alice", "x", client=f"c{_}")
    auth.sign_in("alice", "correct horse battery", client="ok")
    an_hour_ago = clock.now - dt.timedelta(hours=1)
    assert store.sign_in_log.failed_sign_ins_since(an_hour_ago, username="alice") == []


def test_a_custom_limit_applies(store, clock):
    auth = authenticator(store, clock, limit=RateLimit(2, dt.timedelta(minutes=1)))
    for _ in range(2):
        with pytest.raises(SignInFailed):
            auth.sign_in("alice", "x", HOME)
    with pytest.raises(SignInLocked) as locked:
        auth.sign_in("alice", "correct horse battery", "ip:10.9.9.9")
    assert locked.value.minutes == 1


# --- configuration ---------------------------------------------------------------------------


def test_accounts_come_from_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[landscape]\n"
        'database_url = "sqlite:////tmp/x.sqlite"\n'
        "[auth.accounts.alice]\n"
        f'password_hash = "{ALICE_HASH}"\n'
        'role = "admin"\n'
        "[auth.accounts.cambs]\n"
        f'password_hash = "{CAMBS_HASH}"\n'
        'role = "area"\n'
        'area = "Cambridgeshire"\n'
        "[auth.email_roles]\n"
        '"Policy@APCC.example" = "admin"\n'
        '"cambs@opcc.example" = { role = "area", area = "E23000023" }\n'
    )
    monkeypatch.setenv(SECRETS_FILE_ENV, str(secrets))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    monkeypatch.delenv(ACCOUNTS_ENV, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite:////tmp/x.sqlite"
    assert settings.accounts["cambs"] == AccountConfig("cambs", CAMBS_HASH, "area", CAMBRIDGESHIRE)
    assert settings.accounts["alice"].role == "admin"
    assert principal_for_email("policy@apcc.example", settings.email_roles) == Principal(
        "policy@apcc.example", Role.ADMIN
    )
    assert principal_for_email("cambs@opcc.example", settings.email_roles).area_code == (
        CAMBRIDGESHIRE
    )
    assert principal_for_email("someone@else.example", settings.email_roles) is None
    assert principal_for_email(None, settings.email_roles) is None


def test_environment_overrides_the_secrets_file(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRETS_FILE_ENV, str(tmp_path / "absent.toml"))
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://db/landscape")
    monkeypatch.setenv(
        ACCOUNTS_ENV, json.dumps({"bob": {"password_hash": ALICE_HASH, "role": "admin"}})
    )
    settings = load_settings()
    assert settings.database_url == "postgresql+psycopg://db/landscape"
    assert list(settings.accounts) == ["bob"]


def test_the_default_database_is_a_sqlite_file_under_var(tmp_path, monkeypatch):
    monkeypatch.setenv(SECRETS_FILE_ENV, str(tmp_path / "absent.toml"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    url = load_settings().database_url
    assert url.startswith("sqlite:///") and url.endswith("var/landscape.sqlite")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"password_hash": "plaintext", "role": "admin"}, "argon2 hash"),
        ({"password_hash": ALICE_HASH, "role": "root"}, "role must be"),
        ({"password_hash": ALICE_HASH, "role": "area"}, "needs area"),
        ({"password_hash": ALICE_HASH, "role": "area", "area": "Atlantis"}, "not a police force"),
    ],
)
def test_malformed_accounts_are_refused_with_what_to_fix(entry, message):
    with pytest.raises(ConfigError, match=message):
        parse_accounts({"x": entry})


def test_email_roles_are_case_insensitive():
    grants = parse_email_roles({"A@B.example": {"role": "area", "area": "Essex"}})
    assert principal_for_email(" a@b.EXAMPLE ", grants) == Principal(
        "a@b.example", Role.AREA, "E23000028"
    )


# --- upload rules ----------------------------------------------------------------------------


def test_an_administrator_may_publish_any_rows():
    check_upload(ADMIN, minimal_survey())


def test_nobody_signed_in_may_not_publish():
    with pytest.raises(NotSignedIn, match="Sign in"):
        check_upload(None, minimal_survey())


def test_an_area_office_may_publish_its_own_rows():
    survey = minimal_survey()
    own = type(survey)(
        survey.areas[survey.areas["area_code"] == CAMBRIDGESHIRE].reset_index(drop=True),
        survey.programmes[survey.programmes["area_code"] == CAMBRIDGESHIRE].reset_index(drop=True),
    )
    check_upload(CAMBS_OFFICE, own)


def test_an_area_office_upload_touching_other_areas_is_refused_naming_each_row():
    with pytest.raises(AccessDenied) as denied:
        check_upload(CAMBS_OFFICE, minimal_survey())
    problems = denied.value.problems
    assert [(p.location, p.value) for p in problems] == [
        ("Areas!A3", "Essex"),
        ("Areas!A4", "Cumbria"),
        ("Areas!A5", "Surrey"),
        ("Programmes!A4", "Essex"),
        ("Programmes!A5", "Cumbria"),
    ]
    assert "only Cambridgeshire" in problems[0].message
    assert "Cambridgeshire" in denied.value.message


def test_an_area_office_upload_without_its_own_row_is_refused():
    survey = minimal_survey()
    essex_only = type(survey)(
        survey.areas[survey.areas["area_code"] == "E23000028"].reset_index(drop=True),
        survey.programmes.iloc[0:0],
    )
    with pytest.raises(AccessDenied) as denied:
        check_upload(CAMBS_OFFICE, essex_only)
    assert denied.value.problems[0].message == "There is no row for Cambridgeshire."


def test_an_area_principal_needs_an_area():
    with pytest.raises(ValueError, match="area code"):
        Principal("x", Role.AREA)


def test_sign_in_uses_the_one_cached_store_of_the_process(tmp_path, monkeypatch):
    from ui import auth
    from ui import store as ui_store

    monkeypatch.setenv(SECRETS_FILE_ENV, str(tmp_path / "absent.toml"))
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'one.sqlite'}")
    ui_store.store_for.clear()
    try:
        first = ui_store.store()
        assert auth.store() is first and ui_store.store() is first  # one Store, one engine
        monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'other.sqlite'}")
        assert ui_store.store() is not first  # keyed by the database URL
    finally:
        ui_store.store_for.clear()
