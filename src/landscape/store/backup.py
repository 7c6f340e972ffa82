"""Backup and restore of a SQLite store, and the check that a file is a landscape database.

Both use SQLite's online backup API, so a backup is consistent even while others write. PostgreSQL
deployments use pg_dump / pg_restore instead. A backup is restored only if it verifies: its
immutability triggers are all there and unaltered, and every wave matches its chained content hash
(`verify.py`), so a file edited with its triggers dropped is refused, with or without --force.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from landscape.config import load_settings
from landscape.errors import LandscapeError
from landscape.store.engine import DEFAULT_BUSY_TIMEOUT, database_location, known_revisions
from landscape.store.errors import (
    NotALandscapeDatabase,
    StoreBusy,
    StoreError,
    backup_failure,
    database_failure,
)
from landscape.store.tables import metadata
from landscape.store.verify import NotVerified, Verification, verify
from landscape.store.waves import Store, open_store

_CHECK_THE_NAME = "Check the file's name and folder"
_MADE_BY_BACKUP = "Give a file made by `landscape backup`"
_AN_EARLIER_BACKUP = (
    "Nothing was restored: use another (earlier) backup, and check the disk it is on"
)
_REVISIONS_BEFORE_THE_CHAIN = ("0001", "0002")
# The triggers of migration 0002, all a backup made before the chain (0003) can show.
_TRIGGERS_BEFORE_THE_CHAIN = tuple(
    f"{table}_no_{action}"
    for table in ("wave_files", "waves", "area_answers", "programme_records")
    for action in ("update", "delete")
)


_UNABLE_TO_OPEN = "unable to open database file: "
# SQLite's result codes for a lock not granted, as the backup's progress callback sees them.
_NOT_GRANTED = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED


def backup(store: Store, out: Path) -> Path:
    """Copy the whole database to `out`. Written to a temporary name first, so `out` is never
    half a file; a failure (folder missing or read-only, disk full) is `BackupFailed`, with
    nothing left behind and the database unchanged."""
    if store.engine.dialect.name != "sqlite":
        raise StoreError(
            "backup works on a SQLite file; for PostgreSQL use pg_dump / pg_restore",
            fix="Give --database a sqlite:/// URL, or back the server up with pg_dump",
        )
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        with store.engine.connect() as conn:  # the store's own failures are the engine's
            source = conn.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            try:
                partial.unlink(missing_ok=True)
                target = sqlite3.connect(partial)
                try:
                    _copy(source, target)
                    # A rollback-journal file, not WAL: it then opens read-only on read-only media
                    # (WAL needs its -shm file beside it).
                    target.execute("PRAGMA journal_mode = DELETE")
                finally:
                    target.close()
                os.replace(partial, out)
            except (sqlite3.Error, OSError) as error:
                folder = out.parent
                writable = os.access(folder, os.W_OK) if folder.is_dir() else None
                raise backup_failure(
                    str(out), str(folder), str(error), writable=writable
                ) from error
    finally:
        if partial.is_file():
            partial.unlink(missing_ok=True)
    return out


# How long a backup or restore waits for a lock another process holds (as the store waits).
LOCK_WAIT: timedelta = DEFAULT_BUSY_TIMEOUT


def _copy(origin: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """SQLite's online backup of `origin` into `target` (one transaction on `target`: all or
    nothing). A lock not granted within `LOCK_WAIT` is "database is locked"; Python's own
    loop would wait for it for ever."""
    deadline = time.monotonic() + LOCK_WAIT.total_seconds()

    def give_up_when_locked_too_long(status: int, _remaining: int, _total: int) -> None:
        if status in _NOT_GRANTED and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    origin.backup(target, progress=give_up_when_locked_too_long, sleep=0.05)


def sqlite_path(url: str) -> Path:
    """The file a SQLite URL names; any other database is refused."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite" or sa_url.database in (None, "", ":memory:"):
        raise StoreError(
            "Backup and restore work on a SQLite file; for PostgreSQL use pg_dump / pg_restore",
            fix="Give --database a sqlite:/// URL, or back the server up with pg_dump",
        )
    return Path(database_location(sa_url))  # also for a `file:...?mode=ro` URI


def existing_database(url: str) -> Path:
    """The SQLite file `url` names, which must exist: backing up a mistyped path would otherwise
    make (and copy) a new empty database there."""
    path = sqlite_path(url)
    if not path.is_file():
        raise StoreError(
            f"There is no database at {path}: nothing was backed up",
            fix="Check --database or LANDSCAPE_DATABASE_URL (the default is var/landscape.sqlite)",
        )
    return path


def check_landscape_database(path: Path) -> str:
    """The migration revision of the landscape database at `path`; refuses anything else, and
    a file that cannot be read, each with what to do (`NotALandscapeDatabase`)."""
    path = Path(path)
    if not path.is_file():
        raise NotALandscapeDatabase(f"{path} does not exist.", fix=_CHECK_THE_NAME)
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as error:
        raise NotALandscapeDatabase(
            f"{path} cannot be read: {error.strerror}.",
            fix="Make it readable by the user running landscape",
        ) from error
    if header != b"SQLite format 3\x00":
        raise NotALandscapeDatabase(
            f"{path} is not a SQLite database, so not a landscape backup.", fix=_MADE_BY_BACKUP
        )
    connection = _read_only(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()
        if not integrity or integrity[0] != "ok":
            raise NotALandscapeDatabase(
                f"{path} is damaged (integrity check: {integrity}).", fix=_AN_EARLIER_BACKUP
            )
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        needed = {"alembic_version", *(t.name for t in metadata.sorted_tables)}
        if not needed <= tables:
            raise NotALandscapeDatabase(
                f"{path} is a SQLite database but not a landscape one "
                f"(missing tables: {', '.join(sorted(needed - tables))}).",
                fix=_MADE_BY_BACKUP,
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else ""
        if revision not in known_revisions():
            raise NotALandscapeDatabase(
                f"{path} was made by a different version of landscape (schema {revision!r}).",
                fix="Restore it with the version of landscape that made it",
            )
        _check_tamper_evidence(path, connection, revision)
    except (sqlite3.DatabaseError, sa.exc.DBAPIError) as error:
        raise NotALandscapeDatabase(
            f"{path} cannot be read as a database: {error}.", fix=_AN_EARLIER_BACKUP
        ) from error
    finally:
        connection.close()
    return revision


def _read_only(path: Path) -> sqlite3.Connection:
    """`path` opened read-only. In a folder that cannot be written (read-only media), a WAL-mode
    file (as backups made before journal_mode = DELETE were) is opened immutable, since SQLite
    cannot make its -shm file there; a closed backup with no -wal file beside it misses nothing."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not os.access(path.parent, os.W_OK) and not path.with_name(f"{path.name}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def _check_tamper_evidence(path: Path, connection: sqlite3.Connection, revision: str) -> None:
    """Refuse a backup whose triggers were dropped or altered, or whose waves do not verify."""
    if revision in _REVISIONS_BEFORE_THE_CHAIN:
        triggers = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        missing = [name for name in _TRIGGERS_BEFORE_THE_CHAIN if name not in triggers]
        verification = Verification((), tuple(f"the trigger {name} is missing" for name in missing))
    else:
        # The same check as `landscape verify`, over this read-only connection.
        engine = sa.create_engine("sqlite://", creator=lambda: connection, poolclass=sa.StaticPool)
        with engine.connect() as conn:
            verification = verify(conn)
    if not verification.ok:
        raise NotVerified(f"The backup {path}", verification)


def restore(source: Path, url: str | None = None) -> Store:
    """Replace the database at `url` with the backup `source` (checked first), then migrate.

    An existing database is overwritten in one SQLite transaction, so a failure (read-only,
    disk full, locked by a writer for longer than the busy timeout) leaves it as it was; a new
    one is written under a temporary name first. Either failure is the database's own
    `DatabaseUnavailable` or `StoreBusy`."""
    url = url or load_settings().database_url
    check_landscape_database(source)
    target_path = sqlite_path(url)
    with _database_failures(target_path):
        target_path.parent.mkdir(parents=True, exist_ok=True)
        origin = _read_only(Path(source))
        try:
            if target_path.exists():
                _copy_into(origin, target_path)
            else:
                partial = target_path.with_name(target_path.name + ".partial")
                try:
                    _copy_into(origin, partial)
                    os.replace(partial, target_path)
                finally:
                    partial.unlink(missing_ok=True)
        finally:
            origin.close()
    return open_store(url, seed=False)


def _copy_into(origin: sqlite3.Connection, path: Path) -> None:
    target = sqlite3.connect(path, timeout=0)  # `_copy` waits for a lock, up to LOCK_WAIT
    try:
        _copy(origin, target)
    finally:
        target.close()


@contextmanager
def _database_failures(path: Path) -> Iterator[None]:
    """The driver's and the file system's failures on the database at `path` as the store's
    own (`database_failure`), as the engine reports them for every statement."""
    try:
        yield
    except LandscapeError:
        raise
    except (sqlite3.Error, OSError) as error:
        folder = path.parent
        writable = (
            os.access(folder, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))
            if folder.is_dir()
            else None
        )
        # (a folder that cannot be made is what SQLite calls "unable to open database file")
        detail = str(error) if isinstance(error, sqlite3.Error) else _UNABLE_TO_OPEN + str(error)
        failure = database_failure(str(path), detail, writable=writable)
        if isinstance(failure, StoreBusy):
            failure = StoreBusy(f"{path} is locked by another writer")
        raise failure from error
