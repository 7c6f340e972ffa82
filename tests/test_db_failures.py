"""Database failures leave as domain errors that say what failed and what to do: from the store,
on the CLI (exit 1, no traceback) and on the sign-in form, never as a driver traceback.

The module runs on SQLite and on a throwaway PostgreSQL (tests/conftest.py's BOTH_BACKENDS). A
read-only database is, on SQLite, a `?mode=ro` URI (the tests run as root in CI, where chmod does
not stop a write), and on PostgreSQL a database whose sessions are read-only
(default_transaction_read_only). A full disk is the driver's own error, raised on demand, on both;
what only a file can do (a read-only folder or a full disk as a small tmpfs, skipped where
mounting is not allowed; a damaged file; a missing folder) is SQLite's alone, and a server that
cannot be reached PostgreSQL's alone.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from landscape.config import AccountConfig
from landscape.errors import LandscapeError
from landscape.store import StoreError, open_store
from landscape.store.access import Authenticator
from landscape.store.engine import database_location
from landscape.store.errors import DatabaseUnavailable, StoreBusy, database_failure
from tests import postgres_support
from tests.store_support import ADMIN, database_url, sqlite_url, valid_workbook
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "alice's long password"
ACCOUNTS = {"alice": AccountConfig("alice", FAST.hash(PASSWORD), "admin")}
LANDSCAPE = Path(sys.executable).with_name("landscape")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def read_only_url(path: Path) -> str:
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def published_database(path: Path) -> Path:
    """A SQLite database at `path` holding one published wave, closed."""
    store = open_store(sqlite_url(path), seed=False)
    store.publish(valid_workbook(), "existing.xlsx", principal=ADMIN, label="Existing wave")
    store.dispose()
    return path


def sqlite_file_only(backend: str, why: str) -> None:
    if backend != "sqlite":
        pytest.skip(f"SQLite only: {why}")


def postgresql_only(backend: str, why: str) -> None:
    if backend != "postgresql":
        pytest.skip(f"PostgreSQL only: {why}")


def read_only_database(path: Path, backend: str) -> tuple[str, str, str]:
    """A database holding one published wave that accepts reads only: its URL (to open read-only),
    the URL it was written through, and where error messages name it."""
    if backend == "sqlite":
        published_database(path)
        return read_only_url(path), sqlite_url(path), str(path)
    url = database_url(path)
    store = open_store(url, seed=False)
    store.publish(valid_workbook(), "existing.xlsx", principal=ADMIN, label="Existing wave")
    store.dispose()
    return make_read_only(url), url, url


def make_read_only(url: str) -> str:
    """Make every new session of the PostgreSQL database at `url` read-only; returns `url`."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with engine.connect() as conn:
        name = engine.url.database
        conn.exec_driver_sql(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    engine.dispose()
    return url


READ_ONLY_FIX = {
    "sqlite": "Make the database file and its folder writable",
    "postgresql": "Point LANDSCAPE_DATABASE_URL at the primary server, as a user allowed to write",
}
READ_ONLY_DETAIL = {
    "sqlite": "(attempt to write a readonly database)",
    "postgresql": "(cannot execute INSERT in a read-only transaction)",
}


def failed_sign_in(store) -> None:
    Authenticator(ACCOUNTS, store.sign_in_log, hasher=FAST).sign_in("alice", "x", "ip:192.0.2.1")


@contextmanager
def tmpfs(folder: Path, size: str = "4m") -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs is not allowed here")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


# --- from the store ------------------------------------------------------------------------


def test_a_read_only_database_refuses_a_sign_in_with_what_to_do(tmp_path, database_backend):
    url, _, where = read_only_database(tmp_path / "ro.sqlite", database_backend)
    store = open_store(url)
    assert [w.label for w in store.list_waves()] == ["Existing wave"]  # reading still works
    with pytest.raises(DatabaseUnavailable) as refused:
        failed_sign_in(store)
    assert isinstance(refused.value, StoreError) and isinstance(refused.value, LandscapeError)
    assert refused.value.message == (
        f"The database at {where} is read-only: nothing was changed "
        + READ_ONLY_DETAIL[database_backend]
    )
    assert refused.value.fix.startswith(READ_ONLY_FIX[database_backend])
    store.dispose()


def test_a_read_only_database_refuses_a_publish_and_keeps_its_waves(tmp_path, database_backend):
    url, written, _ = read_only_database(tmp_path / "ro.sqlite", database_backend)
    store = open_store(url)
    with pytest.raises(DatabaseUnavailable, match=r"is read-only: nothing was changed"):
        store.publish(valid_workbook(notes="new"), "new.xlsx", principal=ADMIN, label="New")
    store.dispose()
    again = open_store(written, seed=False)
    assert [w.label for w in again.list_waves()] == ["Existing wave"]
    again.dispose()


@pytest.mark.skipif(AS_ROOT, reason="root writes through chmod 0444 (the ?mode=ro case covers it)")
def test_a_database_file_without_write_permission_is_read_only(tmp_path, database_backend):
    sqlite_file_only(database_backend, "file permissions")
    path = published_database(tmp_path / "locked.sqlite")
    path.chmod(0o444)
    with pytest.raises(DatabaseUnavailable, match="is read-only"):
        failed_sign_in(open_store(sqlite_url(path)))


def test_a_read_only_folder_is_reported_as_read_only(tmp_path, database_backend):
    sqlite_file_only(database_backend, "the folder holding the database file")
    if AS_ROOT:  # a read-only mount stops root too
        with tmpfs(tmp_path / "mnt") as folder:
            path = published_database(folder / "landscape.sqlite")
            remount(folder, "ro")
            with pytest.raises(DatabaseUnavailable) as refused:
                failed_sign_in(open_store(sqlite_url(path)))
    else:
        (folder := tmp_path / "ro").mkdir()
        path = published_database(folder / "landscape.sqlite")
        folder.chmod(0o555)
        try:
            with pytest.raises(DatabaseUnavailable) as refused:
                failed_sign_in(open_store(sqlite_url(path)))
        finally:
            folder.chmod(0o755)
    assert refused.value.message.startswith(f"The database at {path} is read-only")


def test_a_full_disk_is_reported_as_full(tmp_path, database_backend):
    sqlite_file_only(database_backend, "a tmpfs under the file (a server's disk is not ours)")
    with tmpfs(tmp_path / "mnt", size="2m") as folder:
        path = published_database(folder / "landscape.sqlite")
        store = open_store(sqlite_url(path))
        with (folder / "filler").open("wb") as filler, pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
        with pytest.raises(DatabaseUnavailable) as refused:
            for attempt in range(50):  # until SQLite needs a page the disk no longer has
                Authenticator(ACCOUNTS, store.sign_in_log, hasher=FAST).sign_in(
                    "x" * 150, "x", f"ip:10.0.0.{attempt}"
                )
        store.dispose()
    assert refused.value.message == (
        f"The disk holding the database at {path} is full: nothing was changed "
        "(database or disk is full)"
    )
    assert refused.value.fix.startswith("Free space on that disk")


def test_a_full_disk_reported_by_the_driver_is_a_domain_error(
    tmp_path, monkeypatch, database_backend
):
    store = open_store(database_url(tmp_path / "full.sqlite"), seed=False)
    original = store.engine.dialect.do_execute

    def full_on_insert(cursor, statement, parameters, context=None):
        if statement.startswith("INSERT"):
            if database_backend == "sqlite":
                raise sqlite3.OperationalError("database or disk is full")
            import psycopg.errors

            raise psycopg.errors.DiskFull(
                'could not extend file "base/16384/16390": No space left on device'
            )
        return original(cursor, statement, parameters, context)

    monkeypatch.setattr(store.engine.dialect, "do_execute", full_on_insert)
    with pytest.raises(DatabaseUnavailable, match="is full: nothing was changed"):
        failed_sign_in(store)
    with pytest.raises(DatabaseUnavailable, match="is full"):
        store.publish(valid_workbook(), "survey.xlsx", principal=ADMIN, label="Wave")
    assert store.list_waves() == []
    store.dispose()


def test_a_damaged_database_file_says_to_restore_a_backup(tmp_path, database_backend):
    sqlite_file_only(database_backend, "a file overwritten with other bytes")
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"this is not a database " * 200)
    with pytest.raises(DatabaseUnavailable) as refused:
        open_store(sqlite_url(path))
    assert refused.value.message.startswith(f"The database at {path} is damaged")
    assert "landscape restore" in refused.value.fix


def test_a_missing_folder_that_cannot_be_made_says_so(tmp_path, database_backend):
    sqlite_file_only(database_backend, "the folder of the database file")
    (tmp_path / "a-file").write_text("in the way")
    with pytest.raises(DatabaseUnavailable, match="cannot be opened"):
        open_store(sqlite_url(tmp_path / "a-file" / "landscape.sqlite"))


def test_a_lock_not_granted_stays_store_busy_and_schema_refusals_stay_the_stores():
    assert isinstance(database_failure("x", "database is locked"), StoreBusy)
    assert isinstance(database_failure("x", "canceling statement due to lock timeout"), StoreBusy)
    # (a duplicate row or an immutable wave is sqlalchemy's IntegrityError: tests/test_store.py)


def test_the_database_is_named_without_a_servers_password():
    where = database_location(sa.make_url("postgresql+psycopg://landscape:s3cret@db/landscape"))
    assert "s3cret" not in where and "db/landscape" in where
    assert database_location(sa.make_url("sqlite:///file:/srv/l.sqlite?mode=ro&uri=true")) == (
        "/srv/l.sqlite"
    )


# --- on the CLI ----------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LANDSCAPE), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "LANDSCAPE_SECRETS_FILE": "/nonexistent.toml", **(env or {})},
    )


def test_landscape_waves_on_a_read_only_database_exits_1_without_a_traceback(
    tmp_path, database_backend
):
    # a database with no schema: opening it must migrate (write)
    path = tmp_path / "empty.sqlite"
    if database_backend == "sqlite":
        sqlite3.connect(path).close()
        url, where = read_only_url(path), str(path)
    else:
        url = where = make_read_only(database_url(path))
    result = run_cli("waves", "--database", url)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: The database at {where} is read-only:")
    assert "Traceback" not in result.stderr + result.stdout
    assert "sqlalchemy" not in result.stderr.lower()


def test_landscape_publish_on_a_read_only_database_exits_1_without_a_traceback(
    tmp_path, database_backend
):
    url, _, where = read_only_database(tmp_path / "ro.sqlite", database_backend)
    workbook = tmp_path / "survey.xlsx"
    workbook.write_bytes(valid_workbook(notes="new"))
    env = {
        "LANDSCAPE_ACCOUNTS": json.dumps(
            {"alice": {"password_hash": ACCOUNTS["alice"].password_hash, "role": "admin"}}
        ),
        "LANDSCAPE_PASSWORD": PASSWORD,
    }
    result = run_cli(
        "publish", str(workbook), "--label", "New", "--as", "alice",
        "--database", url, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"The database at {where} is read-only" in result.stderr
    assert READ_ONLY_FIX[database_backend] in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


# --- on the page ---------------------------------------------------------------------------


def test_the_sign_in_form_on_a_read_only_deployment_shows_the_message(
    tmp_path, monkeypatch, database_backend
):
    from ui import store as ui_store

    url, _, _ = read_only_database(tmp_path / "ro.sqlite", database_backend)
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv(
        "LANDSCAPE_ACCOUNTS",
        json.dumps({"alice": {"password_hash": ACCOUNTS["alice"].password_hash, "role": "admin"}}),
    )
    st.cache_data.clear()
    ui_store.store_for.clear()
    try:
        at = AppTest.from_file(
            str(Path(__file__).resolve().parents[1] / "pages" / "upload.py"), default_timeout=120
        ).run()
        at.text_input[0].input("alice")
        at.text_input[1].input("a wrong password")
        next(b for b in at.button if b.label == "Sign in").click()
        at.run()
    finally:
        ui_store.store_for.clear()
    assert not at.exception
    errors = [str(e.value).replace("\\", "") for e in at.error]  # as shown: Markdown unescaped
    assert any("is read-only: nothing was changed" in e for e in errors), errors
    assert any(READ_ONLY_FIX[database_backend] in e for e in errors), errors
    assert not any("Traceback" in e or "sqlalchemy" in e.lower() for e in errors)


@pytest.mark.parametrize("page", [spec.path for spec in registry.PAGES])
def test_every_page_on_a_damaged_database_says_what_to_do(
    page, tmp_path, monkeypatch, database_backend
):
    from ui import store as ui_store

    sqlite_file_only(database_backend, "a file overwritten with other bytes")

    path = tmp_path / "damaged.sqlite"
    path.write_bytes(b"this is not a database " * 200)
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", sqlite_url(path))
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "none.toml"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(page)
        at.run()
    finally:
        ui_store.store_for.clear()
        st.cache_resource.clear()
    assert not at.exception
    errors = [str(e.value).replace("\\", "") for e in at.error]
    assert any(f"The database at {path} is damaged" in e for e in errors), errors
    assert any("landscape restore" in e for e in errors)


# --- a database server that cannot be reached (PostgreSQL) --------------------------------


def unreachable_url() -> tuple[str, str]:
    """A PostgreSQL URL with a password where nothing listens (a free loopback port), and how
    messages name it (without the password)."""
    url = (
        f"postgresql+psycopg://landscape:s3cret@127.0.0.1:{postgres_support.free_port()}/landscape"
    )
    return url, sa.make_url(url).render_as_string(hide_password=True)


UNREACHABLE_FIX = "Check that the database server is running and accepts connections"


def test_an_unreachable_server_says_it_cannot_be_reached_and_what_to_do(database_backend):
    postgresql_only(database_backend, "a database server")
    url, where = unreachable_url()
    with pytest.raises(DatabaseUnavailable) as refused:
        open_store(url)
    message, fix = refused.value.message, refused.value.fix
    assert message.startswith(f"Cannot reach the database server at {where}: nothing was changed")
    assert "Connection refused" in message
    assert fix.startswith(UNREACHABLE_FIX) and "LANDSCAPE_DATABASE_URL" in fix
    assert "s3cret" not in message + fix


def test_a_server_that_never_answers_is_given_up_on_after_the_connect_timeout(
    database_backend, monkeypatch
):
    postgresql_only(database_backend, "a database server")
    from landscape.store import engine

    monkeypatch.setattr(engine, "CONNECT_TIMEOUT", 2)  # the default (10 s), shortened
    with socket.socket() as silent:  # the kernel accepts the connection; no server answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable) as refused:
            open_store(f"postgresql+psycopg://landscape@127.0.0.1:{port}/landscape")
        waited = time.monotonic() - started
    assert refused.value.message.startswith("Cannot reach the database server at")
    assert "timeout expired" in refused.value.message
    assert 1.5 <= waited < 8  # given up on after the timeout, not after the OS's minutes


def test_landscape_waves_on_an_unreachable_server_exits_1_without_a_traceback(database_backend):
    postgresql_only(database_backend, "a database server")
    url, where = unreachable_url()
    result = run_cli("waves", "--database", url)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: Cannot reach the database server at {where}: ")
    assert UNREACHABLE_FIX in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "sqlalchemy" not in result.stderr.lower() and "s3cret" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # libpq's lines and tabs: one line


def test_a_servers_error_of_several_lines_is_one_line():
    failure = database_failure(
        "postgresql+psycopg://landscape:***@db/landscape",
        'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
        "Connection refused\n\tIs the server running on that host and accepting TCP/IP "
        "connections?\n",
        server=True,
    )
    assert "\n" not in failure.summary() and "\t" not in failure.summary()
    assert failure.message.endswith("Is the server running on that host and accepting TCP/IP "
                                    "connections?)")  # fmt: skip


@pytest.mark.parametrize("page", [spec.path for spec in registry.PAGES])
def test_every_page_on_an_unreachable_server_says_what_to_do(
    page, tmp_path, monkeypatch, database_backend
):
    from ui import store as ui_store

    postgresql_only(database_backend, "a database server")
    url, where = unreachable_url()
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", url)
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "none.toml"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page(page)
        at.run()
    finally:
        ui_store.store_for.clear()
        st.cache_resource.clear()
    assert not at.exception
    errors = [str(e.value).replace("\\", "") for e in at.error]
    assert any(f"Cannot reach the database server at {where}" in e for e in errors), errors
    assert any(UNREACHABLE_FIX in e for e in errors)
    assert not any("s3cret" in e or "Traceback" in e for e in errors)


# --- faults named by their real cause (issue 21) -----------------------------------------------


@contextmanager
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a published database (WAL mode, closed) that this process may not
    write: a read-only tmpfs as root (chmod does not stop root), else permissions."""
    if AS_ROOT:
        with tmpfs(tmp_path / "mnt", size="8m") as folder:
            published_database(folder / "landscape.sqlite")
            remount(folder, "ro")
            yield folder / "landscape.sqlite"
    else:
        (folder := tmp_path / "ro").mkdir()
        published_database(folder / "landscape.sqlite")
        folder.chmod(0o555)
        try:
            yield folder / "landscape.sqlite"
        finally:
            folder.chmod(0o755)


def test_a_database_in_a_read_only_folder_can_still_be_read(tmp_path, database_backend):
    sqlite_file_only(database_backend, "the folder holding the database file")
    with read_only_folder(tmp_path) as path:
        store = open_store(sqlite_url(path))
        assert [w.label for w in store.list_waves()] == ["Existing wave"]
        assert store.verify().ok
        with pytest.raises(DatabaseUnavailable, match="is read-only: nothing was changed"):
            store.publish(
                valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label="B"
            )
        store.dispose()
        listed = run_cli("waves", "--database", sqlite_url(path))
        assert listed.returncode == 0, listed.stderr
        assert "Existing wave" in listed.stdout


_FILE_SIZE_LIMITED = """
import resource, sys
from pathlib import Path
from landscape.store import open_store
from tests.store_support import ADMIN, sqlite_url, valid_workbook
path = Path(sys.argv[1])
store = open_store(sqlite_url(path), seed=False)
# smaller than the wave's pages: the publish's first write past it fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, resource.RLIM_INFINITY))
try:
    store.publish(valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label="B")
except Exception as error:
    print(type(error).__name__, error.summary())
else:
    print("published")
"""


def test_a_file_size_limit_is_named_and_not_reported_as_damage(tmp_path, database_backend):
    sqlite_file_only(database_backend, "the file-size limit of the process writing the file")
    path = published_database(tmp_path / "limited.sqlite")
    child = subprocess.run(
        [sys.executable, "-c", _FILE_SIZE_LIMITED, str(path)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    said = child.stdout.strip()
    assert said.startswith("DatabaseUnavailable The database at"), child.stderr
    assert "may not write files larger than" in said and "ulimit -f" in said
    assert "damaged" not in said.replace("is not damaged", "")
    store = open_store(sqlite_url(path), seed=False)
    assert [w.label for w in store.list_waves()] == ["Existing wave"] and store.verify().ok


def test_a_publish_into_a_damaged_file_is_not_attempted(tmp_path, database_backend):
    sqlite_file_only(database_backend, "pages of a file overwritten")
    path = published_database(tmp_path / "damaged.sqlite")
    db = sqlite3.connect(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    (root,) = db.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_programme_records_wave_id'"
    ).fetchone()
    db.execute("PRAGMA journal_mode = DELETE")  # no -wal beside it: the file is all there is
    db.close()
    with path.open("r+b") as handle:  # an index page, read by no listing of the waves
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * page_size)
    store = open_store(sqlite_url(path), seed=False)
    assert [w.label for w in store.list_waves()] == ["Existing wave"]  # it still reads
    wal = path.with_name(path.name + "-wal")
    before = path.read_bytes(), wal.stat().st_size if wal.exists() else 0
    with pytest.raises(DatabaseUnavailable) as refused:
        store.publish(valid_workbook(strategic_board="No"), "b.xlsx", principal=ADMIN, label="B")
    after = path.read_bytes(), wal.stat().st_size if wal.exists() else 0
    store.dispose()
    assert refused.value.message.startswith(f"The database at {path} is damaged")
    assert "quick check" in refused.value.message
    assert "landscape restore" in refused.value.fix
    assert after == before  # nothing written into the file or its log
