"""Accounts in the database (landscape.store.accounts): one-time codes, sign-in beside the secrets
file's accounts, disable / reset, OpenID Connect email mappings, and the append-only audit trail.
Runs on SQLite and PostgreSQL (conftest BOTH_BACKENDS)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from landscape.config import AccountConfig, RoleGrant, Settings
from landscape.store.access import (
    AccessDenied,
    Authenticator,
    Principal,
    Role,
    SignInFailed,
    principal_for_email,
)
from landscape.store.accounts import (
    CODE_NOT_RIGHT,
    AccountKind,
    AccountRefused,
    Accounts,
    code_digest,
    identity_email,
)
from landscape.store.tables import account_codes, account_events, accounts
from tests.store_support import CAMBRIDGESHIRE, fresh_store

FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
BOOTSTRAP = Principal("apcc-admin", Role.ADMIN)
PASSWORD = "a long enough password"
FILE = Settings(
    database_url="unused",
    accounts={"apcc-admin": AccountConfig("apcc-admin", FAST.hash(PASSWORD), "admin")},
    email_roles={"lead@apcc.example": RoleGrant("admin")},
)
VIA = "cli:tester"
CLIENT = "ip:192.0.2.7"


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path):
    return fresh_store(tmp_path)


@pytest.fixture
def book(store, clock) -> Accounts:
    return Accounts(store.engine, FILE, clock=clock, hasher=FAST)


def sign_in(book: Accounts, store, name: str, password: str) -> Principal:
    return Authenticator(book.sign_in_accounts(), store.sign_in_log, hasher=FAST).sign_in(
        name, password, CLIENT
    )


def test_an_added_office_sets_its_password_with_its_code_and_signs_in_bound_to_its_area(
    book, store
):
    issued = book.add(BOOTSTRAP, "Cambs-OPCC", role=Role.AREA, area="Cambridgeshire", via=VIA)
    assert issued is not None and issued.account == "cambs-opcc"
    assert len(issued.code) == 23 and issued.code.count("-") == 3
    with pytest.raises(SignInFailed):  # no password until the code is used
        sign_in(book, store, "cambs-opcc", PASSWORD)
    # case, spaces and dashes of the code as typed do not matter
    typed = issued.code.lower().replace("-", " ")
    assert book.set_password("cambs-opcc", typed, "the office's own password", via=VIA) == (
        Principal("cambs-opcc", Role.AREA, CAMBRIDGESHIRE)
    )
    assert sign_in(book, store, "Cambs-OPCC", "the office's own password") == Principal(
        "cambs-opcc", Role.AREA, CAMBRIDGESHIRE
    )


def test_a_code_is_stored_only_as_its_digest_and_works_once(book, store):
    issued = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert issued is not None
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(account_codes.c.code_sha256)).scalars().all()
        everything = " ".join(str(v) for row in conn.execute(sa.select(accounts)) for v in row)
        trail = " ".join(r.detail for r in conn.execute(sa.select(account_events)))
    assert stored == [code_digest(issued.code)]
    assert issued.code not in everything + trail
    book.set_password("cambs", issued.code, "first password here", via=VIA)
    with pytest.raises(AccountRefused, match=re.escape(CODE_NOT_RIGHT)):
        book.set_password("cambs", issued.code, "second password here", via=VIA)
    assert sign_in(book, store, "cambs", "first password here").username == "cambs"


def test_a_code_expires(book, clock):
    issued = book.add(
        BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA,
        code_lifetime=dt.timedelta(hours=2),
    )  # fmt: skip
    assert issued is not None and issued.expires_at == clock.now + dt.timedelta(hours=2)
    clock.now += dt.timedelta(hours=2, seconds=1)
    with pytest.raises(AccountRefused, match=re.escape(CODE_NOT_RIGHT)):
        book.set_password("cambs", issued.code, "too late for this one", via=VIA)
    [listed] = [a for a in book.list_accounts(BOOTSTRAP) if a.name == "cambs"]
    assert listed.state(clock.now) == "awaiting its password (code expired: reset it)"


def test_a_wrong_code_or_another_accounts_code_is_refused_alike(book):
    cambs = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    book.add(BOOTSTRAP, "essex", role=Role.AREA, area="Essex", via=VIA)
    assert cambs is not None
    for name, code in (("essex", cambs.code), ("cambs", "AAAAA-AAAAA-AAAAA-AAAAA"), ("x", "y")):
        with pytest.raises(AccountRefused) as refused:
            book.set_password(name, code, "a long enough password", via=VIA)
        assert refused.value.message == CODE_NOT_RIGHT


def test_a_short_password_is_refused_and_the_code_still_works(book):
    issued = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert issued is not None
    with pytest.raises(AccountRefused, match="12 to 1000 characters"):
        book.set_password("cambs", issued.code, "short", via=VIA)
    book.set_password("cambs", issued.code, "long enough at last", via=VIA)


def test_reset_clears_the_password_at_once_and_the_old_code_stops_working(book, store):
    first = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert first is not None
    book.set_password("cambs", first.code, "the first password", via=VIA)
    signed_in = sign_in(book, store, "cambs", "the first password")
    unused = book.reset(BOOTSTRAP, "cambs", via=VIA)
    assert book.revoked(signed_in)  # the session signed in before the reset ends
    with pytest.raises(SignInFailed):
        sign_in(book, store, "cambs", "the first password")
    second = book.reset(BOOTSTRAP, "cambs", via=VIA)  # a second reset replaces the first code
    with pytest.raises(AccountRefused, match=re.escape(CODE_NOT_RIGHT)):
        book.set_password("cambs", unused.code, "from the old code", via=VIA)
    book.set_password("cambs", second.code, "the second password", via=VIA)
    assert not book.revoked(sign_in(book, store, "cambs", "the second password"))


def test_a_disabled_account_signs_in_as_no_account_would_and_enable_restores_it(book, store):
    issued = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert issued is not None
    book.set_password("cambs", issued.code, "the office password", via=VIA)
    before = sign_in(book, store, "cambs", "the office password")
    disabled = book.disable(BOOTSTRAP, "cambs", via=VIA)
    assert not disabled.active and disabled.state(book.now()) == "disabled"
    assert book.revoked(before)
    with pytest.raises(SignInFailed) as refused:
        sign_in(book, store, "cambs", "the office password")
    with pytest.raises(SignInFailed) as unknown:
        sign_in(book, store, "nobody-at-all", "the office password")
    assert refused.value.message == unknown.value.message
    book.enable(BOOTSTRAP, "cambs", via=VIA)
    assert sign_in(book, store, "cambs", "the office password") == before


def test_an_email_mapping_grants_an_openid_identity_its_role_until_disabled(book):
    assert book.add(
        BOOTSTRAP, "Data@Cambs-PCC.example", role=Role.AREA, area="Cambridgeshire",
        kind=AccountKind.EMAIL, via=VIA,
    ) is None  # fmt: skip
    grants = book.email_roles()
    assert principal_for_email("data@cambs-pcc.example", grants) == Principal(
        "data@cambs-pcc.example", Role.AREA, CAMBRIDGESHIRE
    )
    assert principal_for_email("lead@apcc.example", grants) == Principal(
        "lead@apcc.example", Role.ADMIN
    )  # the secrets file's mapping, beside the database's
    assert principal_for_email("someone@else.example", grants) is None
    assert sorted(grants) == ["data@cambs-pcc.example", "lead@apcc.example"]
    book.disable(BOOTSTRAP, "data@cambs-pcc.example", via=VIA)
    assert principal_for_email("data@cambs-pcc.example", grants) is None
    with pytest.raises(AccountRefused, match="no password to reset"):
        book.reset(BOOTSTRAP, "data@cambs-pcc.example", via=VIA)


def test_the_secrets_file_wins_a_name_it_defines_cannot_be_added_disabled_or_reset(book, store):
    for name, kind in (
        ("apcc-admin", AccountKind.PASSWORD),
        ("lead@apcc.example", AccountKind.EMAIL),
    ):
        with pytest.raises(AccountRefused, match="already an account in the secrets file"):
            book.add(BOOTSTRAP, name, role=Role.ADMIN, kind=kind, via=VIA)
    with pytest.raises(AccountRefused, match="defined in the secrets file"):
        book.reset(BOOTSTRAP, "apcc-admin", via=VIA)
    with pytest.raises(AccountRefused, match="defined in the secrets file"):
        book.disable(BOOTSTRAP, "lead@apcc.example", via=VIA)
    assert sign_in(book, store, "apcc-admin", PASSWORD) == BOOTSTRAP


def test_only_an_administrator_manages_accounts(book):
    office = Principal("cambs", Role.AREA, CAMBRIDGESHIRE)
    for actor in (None, office):
        with pytest.raises(AccessDenied, match="Only an APCC administrator may manage accounts"):
            book.add(actor, "x-office", role=Role.ADMIN, via=VIA)
        with pytest.raises(AccessDenied):
            book.list_accounts(actor)
        with pytest.raises(AccessDenied):
            book.events(actor)
    with pytest.raises(AccountRefused, match="cannot disable the account you are signed in"):
        book.disable(BOOTSTRAP, "APCC-Admin", via=VIA)


def test_a_database_administrator_can_manage_accounts_in_turn(book, store):
    issued = book.add(BOOTSTRAP, "second-admin", role=Role.ADMIN, via=VIA)
    assert issued is not None
    book.set_password("second-admin", issued.code, "the second admin's", via=VIA)
    second = sign_in(book, store, "second-admin", "the second admin's")
    assert second == Principal("second-admin", Role.ADMIN)
    assert book.add(second, "essex", role=Role.AREA, area="Essex", via=VIA) is not None


@pytest.mark.parametrize(
    ("name", "role", "area", "kind", "message"),
    [
        ("no spaces allowed", Role.ADMIN, None, AccountKind.PASSWORD, "cannot be a username"),
        ("x", Role.ADMIN, None, AccountKind.PASSWORD, "cannot be a username"),
        ("not-an-email", Role.ADMIN, None, AccountKind.EMAIL, "is not an email address"),
        ("office", Role.AREA, None, AccountKind.PASSWORD, "needs its area"),
        ("office", Role.AREA, "Cambridgshire", AccountKind.PASSWORD, "did you mean"),
        ("office", Role.ADMIN, "Essex", AccountKind.PASSWORD, "not bound to an area"),
    ],
)
def test_an_account_that_cannot_be_is_refused_saying_why(book, name, role, area, kind, message):
    with pytest.raises(AccountRefused, match=message):
        book.add(BOOTSTRAP, name, role=role, area=area, kind=kind, via=VIA)
    assert [a.source for a in book.list_accounts(BOOTSTRAP)] == ["secrets file", "secrets file"]


def test_a_name_is_added_once(book):
    book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    with pytest.raises(AccountRefused, match="There is already an account 'cambs'"):
        book.add(BOOTSTRAP, "CAMBS", role=Role.ADMIN, via=VIA)


def test_every_change_is_in_the_audit_trail_with_who_how_and_when(book, clock):
    issued = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert issued is not None
    clock.now += dt.timedelta(minutes=5)
    book.set_password("cambs", issued.code, "the office password", via="dashboard")
    clock.now += dt.timedelta(minutes=5)
    book.disable(BOOTSTRAP, "cambs", via=VIA)
    book.disable(BOOTSTRAP, "cambs", via=VIA)  # no change, no entry
    book.enable(BOOTSTRAP, "cambs", via=VIA)
    book.reset(BOOTSTRAP, "cambs", via=VIA)
    trail = [(e.action, e.actor, e.via, f"{e.at:%H:%M}") for e in book.events(BOOTSTRAP, "cambs")]
    assert trail == [
        ("added", "apcc-admin", VIA, "09:00"),
        ("code issued", "apcc-admin", VIA, "09:00"),
        ("password set", "cambs", "dashboard", "09:05"),
        ("disabled", "apcc-admin", VIA, "09:10"),
        ("enabled", "apcc-admin", VIA, "09:10"),
        ("reset", "apcc-admin", VIA, "09:10"),
        ("code issued", "apcc-admin", VIA, "09:10"),
    ]
    assert book.events(BOOTSTRAP)[0].detail == "password account: area office, Cambridgeshire"


def test_the_database_refuses_to_change_or_delete_the_audit_trail(book, store):
    book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    for statement in (
        account_events.update().values(actor="someone else"),
        account_events.delete(),
    ):
        with pytest.raises(Exception, match="never changed or deleted"), store.engine.begin() as c:
            c.execute(statement)
    assert len(book.events(BOOTSTRAP)) == 2


def test_the_list_shows_both_sources_and_each_state(book, clock):
    pending = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    book.add(BOOTSTRAP, "essex", role=Role.AREA, area="Essex", via=VIA)
    book.disable(BOOTSTRAP, "essex", via=VIA)
    assert pending is not None
    listed = {(a.name, a.source, a.may, a.state(clock.now)) for a in book.list_accounts(BOOTSTRAP)}
    assert listed == {
        ("apcc-admin", "secrets file", "APCC administrator", "active"),
        ("lead@apcc.example", "secrets file", "APCC administrator", "active"),
        (
            "cambs",
            "database",
            "area office, Cambridgeshire",
            "awaiting its password (code valid until 2026-03-05 09:00 UTC)",
        ),
        ("essex", "database", "area office, Essex", "disabled"),
    }


def test_a_wrong_code_costs_the_server_no_password_hash(store, clock):
    class CountingHasher(PasswordHasher):
        hashes = 0

        def hash(self, password, *, salt=None):
            CountingHasher.hashes += 1
            return FAST.hash(password)

    book = Accounts(store.engine, FILE, clock=clock, hasher=CountingHasher())
    issued = book.add(BOOTSTRAP, "cambs", role=Role.AREA, area="E23000023", via=VIA)
    assert issued is not None
    for _ in range(5):
        with pytest.raises(AccountRefused):
            book.set_password("cambs", "AAAAA-AAAAA-AAAAA-AAAAA", "a long enough password", via=VIA)
    assert CountingHasher.hashes == 0
    book.set_password("cambs", issued.code, "a long enough password", via=VIA)
    assert CountingHasher.hashes == 1


@pytest.mark.parametrize(
    ("claims", "email"),
    [
        ({"email": " Data@Cambs-PCC.example ", "sub": "x"}, "data@cambs-pcc.example"),
        ({"email": "data@cambs-pcc.example", "email_verified": True}, "data@cambs-pcc.example"),
        ({"email": "data@cambs-pcc.example", "email_verified": False}, ""),
        ({"sub": "no email claim"}, ""),
    ],
)
def test_an_identity_is_mapped_by_its_email_unless_the_provider_has_not_verified_it(claims, email):
    assert identity_email(claims) == email
