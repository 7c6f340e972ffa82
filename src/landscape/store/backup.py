"""Backup and restore of a SQLite store, and the check that a file is a landscape database.

Both use SQLite's online backup API, so a backup is consistent even while others write. PostgreSQL
deployments use pg_dump / pg_restore instead. A backup is restored only if it verifies: its
immutability triggers are all there and unaltered, and every wave matches its chained content hash
(`verify.py`), so a file edited with its triggers dropped is refused, with or without --force.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlalchemy as sa

from landscape.config import load_settings
from landscape.store.engine import known_revisions
from landscape.store.errors import NotALandscapeDatabase, StoreError
from landscape.store.tables import metadata
from landscape.store.verify import NotVerified, Verification, verify
from landscape.store.waves import Store, open_store

_REVISIONS_BEFORE_THE_CHAIN = ("0001", "0002")
# The triggers of migration 0002, all a backup made before the chain (0003) can show.
_TRIGGERS_BEFORE_THE_CHAIN = tuple(
    f"{table}_no_{action}"
    for table in ("wave_files", "waves", "area_answers", "programme_records")
    for action in ("update", "delete")
)


def backup(store: Store, out: Path) -> Path:
    """Copy the whole database to `out`. Written to a temporary name first, so `out` is never
    half a file."""
    if store.engine.dialect.name != "sqlite":
        raise StoreError("backup works on a SQLite file; for PostgreSQL use pg_dump.")
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    with store.engine.connect() as conn:
        source = conn.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
    os.replace(partial, out)
    return out


def sqlite_path(url: str) -> Path:
    """The file a SQLite URL names; any other database is refused."""
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() != "sqlite" or sa_url.database in (None, "", ":memory:"):
        raise StoreError(
            "Backup and restore work on a SQLite file; for PostgreSQL use pg_dump / pg_restore."
        )
    return Path(str(sa_url.database))


def check_landscape_database(path: Path) -> str:
    """The migration revision of the landscape database at `path`; refuses anything else."""
    path = Path(path)
    if not path.is_file():
        raise NotALandscapeDatabase(f"{path} does not exist.")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise NotALandscapeDatabase(
                f"{path} is not a SQLite database, so not a landscape backup."
            )
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()
        if not integrity or integrity[0] != "ok":
            raise NotALandscapeDatabase(f"{path} is damaged (integrity check: {integrity}).")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        needed = {"alembic_version", *(t.name for t in metadata.sorted_tables)}
        if not needed <= tables:
            raise NotALandscapeDatabase(
                f"{path} is a SQLite database but not a landscape one "
                f"(missing tables: {', '.join(sorted(needed - tables))})."
            )
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else ""
        if revision not in known_revisions():
            raise NotALandscapeDatabase(
                f"{path} was made by a different version of landscape (schema {revision!r})."
            )
        _check_tamper_evidence(path, connection, revision)
    except (sqlite3.DatabaseError, sa.exc.DBAPIError) as error:
        raise NotALandscapeDatabase(f"{path} cannot be read as a database: {error}") from error
    finally:
        connection.close()
    return revision


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
    """Replace the database at `url` with the backup `source` (checked first), then migrate."""
    url = url or load_settings().database_url
    check_landscape_database(source)
    target_path = sqlite_path(url)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    origin = sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        origin.backup(target)
    finally:
        target.close()
        origin.close()
    return open_store(url, seed=False)
