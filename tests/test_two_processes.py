"""Several dashboard processes, one truth (issue 13): on one SQLite file and on one PostgreSQL
database, a wave published elsewhere is shown on the next page load, and sign-in lockouts hold
across processes.

Runs on both backends (tests/conftest.py's BOTH_BACKENDS). The browser case runs two real
`streamlit run app.py` servers on free loopback ports and publishes through the CLI, a third
process, so neither server is told of the publish except through the database.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from landscape.config import parse_accounts
from landscape.store import open_store
from landscape.store.access import Authenticator, SignInLocked
from tests.browser_support import (
    ARTIFACTS,
    launched_chromium,
    require_chromium,
    streamlit_server,
    wait_for_streamlit,
)
from tests.store_support import ADMIN, database_url, valid_workbook

ROOT = Path(__file__).resolve().parents[1]
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "alice's long password"
ACCOUNTS = {"alice": {"password_hash": FAST.hash(PASSWORD), "role": "admin"}}
FIRST_LABEL = "First wave, on the shared database"
SECOND_LABEL = "Second wave, published by the CLI"


def shared_database(tmp_path: Path) -> str:
    """One database for every process of the test, holding one wave (so no process seeds)."""
    url = database_url(tmp_path / "shared.sqlite")
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "first.xlsx", principal=ADMIN, label=FIRST_LABEL)
    store.dispose()
    return url


def publish_through_the_cli(tmp_path: Path, url: str, label: str) -> None:
    survey = tmp_path / "second.xlsx"
    survey.write_bytes(valid_workbook(strategic_board="No"))
    env = {
        **os.environ,
        "LANDSCAPE_DATABASE_URL": url,
        "LANDSCAPE_SECRETS_FILE": str(tmp_path / "no-secrets.toml"),
        "LANDSCAPE_ACCOUNTS": json.dumps(ACCOUNTS),
        "LANDSCAPE_PASSWORD": PASSWORD,
    }
    command = [str(Path(sys.executable).parent / "landscape"), "publish", str(survey)]
    result = subprocess.run(
        [*command, "--label", label, "--as", "alice"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_the_wave_version_changes_with_every_publish_and_only_then(tmp_path):
    store = open_store(database_url(tmp_path / "version.sqlite"), seed=False)
    assert store.wave_version() == 0
    data = valid_workbook()
    first = store.publish(data, "a.xlsx", principal=ADMIN, label="A").wave
    assert store.wave_version() == int(first.wave_id)
    assert not store.publish(data, "again.xlsx", principal=ADMIN, label="A").created
    assert store.wave_version() == int(first.wave_id)  # a duplicate stores nothing
    other_process = open_store(database_url(tmp_path / "version.sqlite"), seed=False)
    second = other_process.publish(
        valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label="B"
    ).wave
    assert store.wave_version() == int(second.wave_id) > int(first.wave_id)


def test_the_dashboards_wave_list_follows_a_publish_by_another_process(tmp_path, monkeypatch):
    import streamlit as st

    from ui import data

    url = shared_database(tmp_path)
    this_process = open_store(url, seed=False)
    monkeypatch.setattr(data, "_wave_source", lambda: this_process)
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        assert [w.label for w in data.waves()] == [FIRST_LABEL]
        first_id = data.latest_wave_id()
        other_process = open_store(url, seed=False)  # its own engine and pool
        second = other_process.publish(
            valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label=SECOND_LABEL
        ).wave
        # no refresh_waves(), no waiting for a time-to-live: the next read sees it
        assert [w.label for w in data.waves()] == [FIRST_LABEL, SECOND_LABEL]
        assert data.latest_wave_id() == second.wave_id != first_id
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()


FAILING_CHILD = textwrap.dedent(
    """
    import json, sys
    from argon2 import PasswordHasher
    from landscape.config import parse_accounts
    from landscape.store import open_store
    from landscape.store.access import Authenticator, SignInFailed
    url, accounts = sys.argv[1], parse_accounts(json.loads(sys.argv[2]))
    fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    auth = Authenticator(accounts, open_store(url, seed=False).sign_in_log, hasher=fast)
    for _ in range(5):
        try:
            auth.sign_in("alice", "a wrong guess, again", "198.51.100.7")
        except SignInFailed:
            pass
    print("failed 5 times")
    """
)


def test_sign_in_failures_in_one_process_lock_the_account_in_another(tmp_path):
    url = shared_database(tmp_path)
    child = subprocess.run(
        [sys.executable, "-c", FAILING_CHILD, url, json.dumps(ACCOUNTS)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert child.stdout.strip() == "failed 5 times", child.stderr
    accounts = parse_accounts(ACCOUNTS)
    here = Authenticator(accounts, open_store(url, seed=False).sign_in_log, hasher=FAST)
    with pytest.raises(SignInLocked, match="username or password is not right"):
        here.sign_in("alice", PASSWORD, "203.0.113.9")  # the right password, another client


def shown_text(browser, base: str) -> str:
    """A fresh visit (new session) to the default page; the whole page's text once it is idle."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "/", wait_until="domcontentloaded")
        wait_for_streamlit(page)
        return str(page.inner_text("body"))
    finally:
        context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_a_wave_published_elsewhere_is_shown_by_both_servers_on_their_next_page_load(tmp_path):
    require_chromium()
    url = shared_database(tmp_path)
    env = {
        "LANDSCAPE_DATABASE_URL": url,
        "LANDSCAPE_SECRETS_FILE": str(tmp_path / "no-secrets.toml"),
    }
    ARTIFACTS.mkdir(exist_ok=True)
    with (
        streamlit_server(ROOT / "app.py", env=env, log_path=ARTIFACTS / "server-a.log") as a,
        streamlit_server(ROOT / "app.py", env=env, log_path=ARTIFACTS / "server-b.log") as b,
        launched_chromium() as browser,
    ):
        for base in (a, b):  # both servers have listed the waves (and cached the list)
            shown = shown_text(browser, base)
            assert FIRST_LABEL in shown and SECOND_LABEL not in shown
        publish_through_the_cli(tmp_path, url, SECOND_LABEL)
        for base in (b, a):  # the next page load of each shows the new wave as current
            assert SECOND_LABEL in shown_text(browser, base)
