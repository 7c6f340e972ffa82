"""The sign-in limit holds: under parallel attempts (threads and processes), against spoofed
X-Forwarded-For headers, and against failures under invented names; unknown names are not stored.

Real password checks are counted by wrapping the argon2 hasher: a check that is not made cannot
be won, so "at most the limit of checks" is what the limit promises.
"""

from __future__ import annotations

import multiprocessing
import threading
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from landscape.config import AccountConfig
from landscape.store import open_store
from landscape.store.access import (
    LOOPBACK_CLIENT,
    UNKNOWN_NAME_PREFIX,
    Authenticator,
    SignInFailed,
    SignInLocked,
    client_address,
    local_client,
)
from landscape.store.tables import failed_sign_ins
from tests.store_support import database_url

LIMIT = 5  # RateLimit's default
PASSWORD = "correct horse battery"
ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.1"


class CountingHasher(PasswordHasher):
    """A fast argon2 hasher that counts its verifications: `checks` against real accounts'
    hashes (the password checks an attacker could win), `verifications` of any hash (the work
    every attempt costs, the authenticator's dummy hash included)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.checks = 0
        self.verifications = 0
        self._dummies: set[str] = set()
        self._lock = threading.Lock()

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        made = super().hash(password, salt=salt)
        if password == "landscape-dummy-password":  # the authenticator's own dummy
            self._dummies.add(made)
        return made

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.verifications += 1
            self.checks += hash not in self._dummies
        return super().verify(hash, password)


@pytest.fixture
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture
def accounts(hasher):
    return {"alice": AccountConfig("alice", hasher.hash(PASSWORD), "admin")}


def outcomes(attempts) -> list[str]:
    results = []
    for attempt in attempts:
        try:
            attempt()
            results.append("signed in")
        except SignInLocked:
            results.append("locked")
        except SignInFailed:
            results.append("failed")
    return results


# --- parallel attempts -----------------------------------------------------------------------


def test_twenty_parallel_wrong_passwords_get_at_most_the_limit_of_real_checks(
    store, accounts, hasher
):
    results: list[str] = []
    start = threading.Barrier(20)

    def attempt(number: int) -> None:
        auth = Authenticator(accounts, store.sign_in_log, hasher=hasher)
        start.wait()
        results.extend(outcomes([lambda: auth.sign_in("alice", f"guess {number}", ATTACKER)]))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # before: 20 of 20 attempts were checked (the count was read, then written, apart)
    assert hasher.checks == LIMIT
    assert hasher.verifications == 20  # the refused attempts cost the same work
    assert sorted(results) == ["failed"] * LIMIT + ["locked"] * (20 - LIMIT)
    assert store.table_counts()["failed_sign_ins"] == LIMIT


def _child_attempt(url, password_hash, start, answers) -> None:
    """One process's attempt: its own engine on the shared file, its own count of checks."""
    hasher = CountingHasher()
    accounts = {"alice": AccountConfig("alice", password_hash, "admin")}
    auth = Authenticator(accounts, open_store(url, seed=False).sign_in_log, hasher=hasher)
    start.wait()
    answers.put(
        (outcomes([lambda: auth.sign_in("alice", "wrong", f"ip:{ATTACKER}")])[0], hasher.checks)
    )


def test_twenty_parallel_processes_get_at_most_the_limit_of_real_checks(tmp_path, hasher):
    url = database_url(tmp_path / "shared.sqlite")  # on each backend under test
    open_store(url, seed=False).dispose()
    processes = multiprocessing.get_context("fork")  # the children start with landscape imported
    start, answers = processes.Barrier(20), processes.Queue()
    children = [
        processes.Process(target=_child_attempt, args=(url, hasher.hash(PASSWORD), start, answers))
        for _ in range(20)
    ]
    for child in children:
        child.start()
    results = [answers.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert sum(checks for _, checks in results) == LIMIT
    assert sorted(outcome for outcome, _ in results) == ["failed"] * LIMIT + ["locked"] * 15


# --- who the client is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "forwarded", [[], ["10.1.2.3"], ["10.9.9.9, 172.16.0.1"], ["unknown"], [VICTIM]]
)
def test_without_trusted_proxies_the_key_is_the_socket_whatever_the_header_says(forwarded):
    assert client_address(ATTACKER, forwarded, 0) == f"ip:{ATTACKER}"


@pytest.mark.parametrize("forwarded", ["10.1.2.3", "172.16.0.1", "unknown", VICTIM, "::1"])
def test_a_loopback_peer_rewritten_by_the_server_is_keyed_as_loopback(forwarded):
    # Streamlit's uvicorn reports a loopback peer's X-Forwarded-For hop as its address.
    rewritten = None if forwarded == "::1" else forwarded
    assert client_address(rewritten, [forwarded], 0) == LOOPBACK_CLIENT


def test_with_one_trusted_proxy_the_key_is_the_hop_the_proxy_wrote():
    # The client sends its own header; the proxy appends the address it saw.
    for spoofed in ("10.1.2.3", VICTIM, "unknown", "1.1.1.1, 2.2.2.2"):
        assert client_address("127.0.0.1", [f"{spoofed}, {ATTACKER}"], 1) == f"ip:{ATTACKER}"
    assert client_address(None, [ATTACKER], 1) == f"ip:{ATTACKER}"
    # two headers are one list (the proxy's hop is still the last)
    assert client_address(None, [VICTIM, ATTACKER], 1) == f"ip:{ATTACKER}"


def test_with_two_trusted_proxies_the_key_is_the_second_hop_from_the_right():
    assert client_address("10.0.0.2", [f"{VICTIM}, {ATTACKER}, 10.0.0.1"], 2) == f"ip:{ATTACKER}"


def test_a_proxy_hop_that_is_no_address_falls_back_to_the_socket():
    assert client_address("10.0.0.2", ["unknown"], 1) == "ip:10.0.0.2"
    assert client_address("10.0.0.2", [], 1) == "ip:10.0.0.2"  # not through the proxy


def test_an_ipv6_client_is_keyed_by_its_64_so_it_cannot_rotate_within_it():
    one = client_address("2001:db8:1:2::1", [], 0)
    other = client_address("2001:db8:1:2:ffff::9", [], 0)
    assert one == other == "ip:2001:db8:1:2::/64"
    assert client_address("::ffff:203.0.113.7", [], 0) == f"ip:{ATTACKER}"


def test_the_page_reads_the_socket_and_the_configured_proxies(monkeypatch):
    import streamlit as st

    from ui import auth

    headers = SimpleNamespace(get_all=lambda name: [f"{VICTIM}, {ATTACKER}"])
    monkeypatch.setattr(st, "context", SimpleNamespace(ip_address="10.0.0.5", headers=headers))
    assert auth.client_id() == "ip:10.0.0.5"
    assert auth.client_id(trusted_proxies=1) == f"ip:{ATTACKER}"


def test_the_trusted_proxies_setting_is_read_and_checked(monkeypatch, tmp_path):
    from landscape.config import TRUSTED_PROXIES_ENV, ConfigError, load_settings

    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "none.toml"))
    assert load_settings().trusted_proxies == 0
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "1")
    assert load_settings().trusted_proxies == 1
    monkeypatch.setenv(TRUSTED_PROXIES_ENV, "-1")
    with pytest.raises(ConfigError, match="whole number of proxies"):
        load_settings()


# --- spoofed headers against the limit -------------------------------------------------------


def test_rotating_x_forwarded_for_does_not_evade_the_limit(store, accounts, hasher):
    auth = Authenticator(accounts, store.sign_in_log, hasher=hasher)
    results = outcomes(
        lambda n=n: auth.sign_in(f"guess-{n}", "x", client_address(ATTACKER, [f"10.0.0.{n}"], 0))
        for n in range(20)
    )
    assert results == ["failed"] * LIMIT + ["locked"] * 15
    assert hasher.verifications == 20  # each attempt costs one verification, refused or not


@pytest.mark.parametrize(
    ("proxies", "peer", "header"),
    [(0, ATTACKER, VICTIM), (1, "127.0.0.1", f"{VICTIM}, {ATTACKER}")],
    ids=["direct", "behind-a-proxy"],
)
def test_another_clients_address_in_the_header_does_not_lock_that_client(
    store, accounts, proxies, peer, header
):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    attacker = client_address(peer, [header], proxies)
    assert attacker == f"ip:{ATTACKER}"
    results = outcomes(lambda: auth.sign_in("somebody", "x", attacker) for _ in range(10))
    assert results[-1] == "locked"
    victim = client_address(VICTIM, [], 0) if proxies == 0 else client_address(None, [VICTIM], 1)
    assert auth.sign_in("alice", PASSWORD, victim).username == "alice"


def test_unknown_in_the_header_does_not_lock_out_direct_visitors(store, accounts):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    outcomes(
        lambda: auth.sign_in("somebody", "x", client_address(ATTACKER, ["unknown"], 0))
        for _ in range(10)
    )
    direct_visitor = client_address("192.0.2.44", [], 0)
    assert direct_visitor != "unknown"
    assert auth.sign_in("alice", PASSWORD, direct_visitor).username == "alice"


# --- invented names --------------------------------------------------------------------------


def test_failures_under_invented_names_leave_a_real_account_able_to_sign_in(store, accounts):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    results = outcomes(
        lambda n=n: auth.sign_in(f"admin{n}", "x", f"ip:{ATTACKER}") for n in range(20)
    )
    assert results == ["failed"] * LIMIT + ["locked"] * 15  # the attacker is throttled
    assert auth.sign_in("alice", PASSWORD, f"ip:{VICTIM}").username == "alice"


def test_failures_against_the_account_itself_still_lock_it(store, accounts):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    outcomes(lambda n=n: auth.sign_in("alice", "x", f"ip:10.0.0.{n}") for n in range(LIMIT))
    with pytest.raises(SignInLocked):
        auth.sign_in("alice", PASSWORD, f"ip:{VICTIM}")


def test_on_the_cli_one_users_invented_names_do_not_lock_another_users_account(
    store, accounts, monkeypatch
):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    monkeypatch.setattr("getpass.getuser", lambda: "mallory")
    outcomes(lambda n=n: auth.sign_in(f"invented{n}", "x", local_client()) for n in range(10))
    assert local_client() == "cli:mallory"
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    assert auth.sign_in("alice", PASSWORD, local_client()).username == "alice"


def test_failed_sign_ins_hold_no_clear_text_unknown_username(store, accounts):
    auth = Authenticator(accounts, store.sign_in_log, hasher=CountingHasher())
    secret = "Tr0ub4dor&3-typed-in-the-wrong-box"
    outcomes([lambda: auth.sign_in(secret, "x", f"ip:{ATTACKER}")])
    outcomes([lambda: auth.sign_in("alice", "x", f"ip:{ATTACKER}")])
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(failed_sign_ins)).mappings().all()
    names = [row["username"] for row in rows]
    assert len(names) == 2 and names[1] == "alice"
    assert (
        names[0].startswith(UNKNOWN_NAME_PREFIX) and len(names[0]) == len(UNKNOWN_NAME_PREFIX) + 64
    )
    dump = "\n".join(str(dict(row)) for row in rows).lower()
    assert secret.lower() not in dump and "tr0ub4dor" not in dump


def test_the_same_unknown_name_gives_the_same_digest_within_a_process(store, accounts):
    from landscape.store.access import unknown_name_digest

    assert unknown_name_digest(" Someone ") == unknown_name_digest("someone")
    assert unknown_name_digest("someone") != unknown_name_digest("someone else")


# --- nothing tells whether an account exists ------------------------------------------------


def _failure(auth: Authenticator, name: str, password: str, client: str) -> tuple[str, str]:
    try:
        auth.sign_in(name, password, client)
    except SignInFailed as failed:
        return type(failed).__name__, failed.message
    raise AssertionError("signed in")


def test_locked_unknown_and_wrong_get_the_same_message_and_the_same_work(store, accounts, hasher):
    auth = Authenticator(accounts, store.sign_in_log, hasher=hasher)
    # each name fails LIMIT times from as many clients (no client is locked), then once more
    for name in ("alice", "nobody"):
        for n in range(LIMIT):
            _failure(auth, name, "guess", f"ip:10.1.0.{n}")
    seen = {}
    for case, (name, password) in {
        "locked account, right password": ("alice", PASSWORD),
        "locked account, wrong password": ("alice", "guess"),
        "locked unknown name": ("nobody", "guess"),
        "fresh unknown name": ("somebody", "guess"),
    }.items():
        before = hasher.verifications
        _, message = _failure(auth, name, password, f"ip:10.2.0.{len(seen)}")
        seen[case] = (message, hasher.verifications - before)
    wrong = _failure(auth, "another", "guess", "ip:10.3.0.1")[1]
    messages = {message for message, _ in seen.values()}
    assert messages == {wrong}, seen
    assert "username or password is not right" in wrong
    assert all(work == 1 for _, work in seen.values()), seen  # one argon2 verification each
    # and a wrong password for an account that is not locked says the very same
    fresh = Authenticator(accounts, store.sign_in_log, hasher=hasher)
    store.sign_in_log.clear_failed_sign_ins("alice")
    assert _failure(fresh, "alice", "guess", "ip:10.4.0.1")[1] == wrong
