"""`landscape backup` and `landscape restore` when a file or disk fails: each failure is a domain
error (message, what to do, the path), exit 1 without a traceback, and the database is left
byte for byte as it was (its file hashed before and after).

As in test_db_failures, the tests run as root, so a read-only folder or a full disk is a small
tmpfs (skipped where mounting is not allowed).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from landscape.cli import main
from landscape.store.engine import head_revision
from landscape.store.errors import StoreError
from tests.store_support import sqlite_url
from tests.test_db_failures import ACCOUNTS, published_database, remount, tmpfs

pytestmark = pytest.mark.usefixtures("settings_env")
# the module (`landscape.store.backup` names the function the package exports)
backup_module = importlib.import_module("landscape.store.backup")


@pytest.fixture
def settings_env(tmp_path, monkeypatch):
    monkeypatch.setenv("LANDSCAPE_SECRETS_FILE", str(tmp_path / "no-secrets.toml"))
    accounts = {"alice": {"password_hash": ACCOUNTS["alice"].password_hash, "role": "admin"}}
    monkeypatch.setenv("LANDSCAPE_ACCOUNTS", json.dumps(accounts))
    monkeypatch.delenv("LANDSCAPE_DATABASE_URL", raising=False)


def run(*args: str) -> Result:
    # catch_exceptions=False: anything but a LandscapeError (a traceback) fails the test
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output + result.stderr
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def database(tmp_path) -> Path:
    """A landscape database holding one published wave, closed (its file is all of it)."""
    return published_database(tmp_path / "landscape.sqlite")


@pytest.fixture
def good_backup(database, tmp_path) -> Path:
    out = tmp_path / "backups" / "good.sqlite"
    out.parent.mkdir()
    assert run("backup", str(out), "--database", sqlite_url(database)).exit_code == 0
    return out


# --- landscape backup ----------------------------------------------------------------------


def test_a_backup_into_a_missing_folder_says_so_and_writes_nothing(database, tmp_path):
    before = digest(database)
    out = tmp_path / "no-such-folder" / "b.sqlite"
    result = run("backup", str(out), "--database", sqlite_url(database))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The folder {out.parent} for the backup {out} does not exist: the database was "
        "not changed and no backup was written (unable to open database file). Create the folder "
        "first, or give a path in a folder that exists.\n"
    )
    assert digest(database) == before
    assert not out.parent.exists()


def test_a_backup_into_a_read_only_folder_says_so_and_leaves_nothing(database, tmp_path):
    before = digest(database)
    with tmpfs(tmp_path / "mnt") as folder:
        remount(folder, "ro")
        out = folder / "b.sqlite"
        result = run("backup", str(out), "--database", sqlite_url(database))
        left = list(folder.iterdir())
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: The folder {folder} for the backup {out} is read-only: the database was not "
        "changed and no backup was written ("
    )
    assert result.stderr.endswith("Choose a folder the user running landscape may write to.\n")
    assert digest(database) == before and left == []


def test_a_backup_onto_a_full_disk_says_so_and_leaves_no_partial_file(database, tmp_path):
    before = digest(database)
    with tmpfs(tmp_path / "mnt", size="1m") as folder:
        with (folder / "filler").open("wb") as filler, pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
        out = folder / "b.sqlite"
        result = run("backup", str(out), "--database", sqlite_url(database))
        left = sorted(p.name for p in folder.iterdir())
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The disk holding {folder} is full: the database was not changed and no backup "
        "was written (database or disk is full). Free space on that disk, or write the backup to "
        "another disk.\n"
    )
    assert digest(database) == before and left == ["filler"]


def test_a_backup_of_a_file_that_is_not_a_database_says_to_restore_one(tmp_path):
    source = tmp_path / "notes.sqlite"
    source.write_bytes(b"this is not a database " * 200)
    before = digest(source)
    out = tmp_path / "b.sqlite"
    result = run("backup", str(out), "--database", sqlite_url(source))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The database at {source} is damaged or cannot be read (file is not a "
        "database). Restore it from a backup with `landscape restore BACKUP`, and check the "
        "disk.\n"
    )
    assert digest(source) == before and not out.exists()


def test_a_backup_of_a_database_that_is_not_there_makes_none(tmp_path):
    missing = tmp_path / "typo.sqlite"
    result = run("backup", str(tmp_path / "b.sqlite"), "--database", sqlite_url(missing))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: There is no database at {missing}: nothing was backed up. Check --database or "
        "LANDSCAPE_DATABASE_URL (the default is var/landscape.sqlite).\n"
    )
    assert list(tmp_path.iterdir()) == []  # no typo.sqlite made, no backup written


# --- landscape restore ---------------------------------------------------------------------


def test_a_truncated_backup_is_refused_and_the_database_kept(database, good_backup, tmp_path):
    truncated = tmp_path / "truncated.sqlite"
    whole = good_backup.read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    before = digest(database)
    result = run("restore", str(truncated), "--database", sqlite_url(database), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {truncated} cannot be read as a database: database disk image is malformed. "
        "Nothing was restored: use another (earlier) backup, and check the disk it is on.\n"
    )
    assert digest(database) == before


def test_a_backup_of_a_newer_landscape_is_refused(database, good_backup, tmp_path):
    newer = tmp_path / "newer.sqlite"
    newer.write_bytes(good_backup.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = digest(database)
    result = run("restore", str(newer), "--database", sqlite_url(database), "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {newer} was made by a different version of landscape (schema '0099'). "
        "Restore it with the version of landscape that made it.\n"
    )
    assert digest(database) == before


def test_a_restore_into_a_database_locked_by_a_writer_gives_up(database, good_backup, monkeypatch):
    monkeypatch.setattr(backup_module, "LOCK_WAIT", timedelta(seconds=0.5))
    before = digest(database)
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # another process mid-write
    try:
        result = run("restore", str(good_backup), "--database", sqlite_url(database), "--force")
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: The data store is busy with another upload. Nothing was changed: please try "
        f"again in a moment. ({database} is locked by another writer).\n"
    )
    assert digest(database) == before


def test_a_restore_whose_copy_meets_a_full_disk_keeps_the_database(
    database, good_backup, monkeypatch
):
    def full(_origin, _target):
        raise sqlite3.OperationalError("database or disk is full")

    before = digest(database)
    monkeypatch.setattr(backup_module, "_copy", full)
    with pytest.raises(StoreError) as refused:
        backup_module.restore(good_backup, sqlite_url(database))
    assert refused.value.message == (
        f"The disk holding the database at {database} is full: nothing was changed "
        "(database or disk is full)"
    )
    assert digest(database) == before


def test_a_restore_on_a_full_disk_is_refused_and_keeps_the_database(good_backup, tmp_path):
    with tmpfs(tmp_path / "mnt", size="1m") as folder:
        database = published_database(folder / "landscape.sqlite")
        before = digest(database)
        with (folder / "filler").open("wb") as filler, pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
        result = run("restore", str(good_backup), "--database", sqlite_url(database), "--force")
        after = digest(database)
        partials = [p.name for p in folder.iterdir() if p.name.endswith(".partial")]
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: The disk holding the database at {database} is full: nothing was changed ("
    )
    assert "Free space on that disk" in result.stderr
    assert after == before and partials == []


def test_a_restore_into_a_read_only_folder_is_refused_and_keeps_the_database(good_backup, tmp_path):
    with tmpfs(tmp_path / "mnt") as folder:
        database = published_database(folder / "landscape.sqlite")
        before = digest(database)
        remount(folder, "ro")
        result = run("restore", str(good_backup), "--database", sqlite_url(database), "--force")
        after = digest(database)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: The database at {database} is read-only")
    assert "Make the database file and its folder writable" in result.stderr
    assert after == before


def test_a_restore_where_the_folder_cannot_be_made_says_so(good_backup, tmp_path):
    (tmp_path / "a-file").write_text("in the way")
    target = tmp_path / "a-file" / "landscape.sqlite"
    result = run("restore", str(good_backup), "--database", sqlite_url(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: The database at {target} cannot be opened (")
    assert (tmp_path / "a-file").read_text() == "in the way"


# --- migrations ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["waves", "verify"])
def test_a_database_of_a_newer_landscape_is_refused_not_migrated(command, database):
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    before = digest(database)
    result = run(command, "--database", sqlite_url(database))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: The database at {database} was made by a newer version of landscape (schema "
        f"'0099'; this one knows up to {head_revision()!r}): nothing was changed. Run the version "
        "of landscape "
        "that made it, or restore a backup made by this one with `landscape restore BACKUP`.\n"
    )
    assert digest(database) == before


# --- a backup on read-only media -------------------------------------------------------------


@pytest.mark.parametrize("journal", ["as `landscape backup` writes it", "in WAL mode"])
def test_a_backup_on_read_only_media_is_restored(journal, database, good_backup, tmp_path):
    if journal == "in WAL mode":  # as backups were written before they were set to DELETE
        with sqlite3.connect(good_backup) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
        assert good_backup.read_bytes()[18:20] == b"\x02\x02"
    else:
        assert good_backup.read_bytes()[18:20] == b"\x01\x01"  # a rollback journal
    target = tmp_path / "restored.sqlite"
    with tmpfs(tmp_path / "usb") as media:
        (media / "good.sqlite").write_bytes(good_backup.read_bytes())
        remount(media, "ro")
        result = run("restore", str(media / "good.sqlite"), "--database", sqlite_url(target))
    assert result.exit_code == 0, result.stderr
    assert result.output == f"Restored 1 wave(s) from {media / 'good.sqlite'}.\n"


def test_a_page_on_a_database_of_a_newer_landscape_says_what_to_do(database, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from ui import store as ui_store

    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    monkeypatch.setenv("LANDSCAPE_DATABASE_URL", sqlite_url(database))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"))
        at.run(timeout=120)
    finally:
        ui_store.store_for.clear()
        st.cache_resource.clear()
    assert not at.exception
    errors = [str(e.value).replace("\\", "") for e in at.error]  # as shown: Markdown unescaped
    assert any(f"The database at {database} was made by a newer version" in e for e in errors)
    assert any("landscape restore BACKUP" in e for e in errors), errors
