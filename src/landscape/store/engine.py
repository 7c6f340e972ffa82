"""The database connection: engines, SQLite's settings, write transactions and migrations.

SQLite (the default) runs with WAL, foreign keys on and a busy timeout; a write transaction takes
the write lock up front (BEGIN IMMEDIATE) so a second writer waits, then is told to retry. On
PostgreSQL (`postgresql+psycopg://`, the `postgres` extra) the same one-writer-at-a-time rule is a
transaction-scoped advisory lock, waited for up to the same timeout; connections are pooled and
checked before use, since a shared server restarts under a long-running dashboard. The SQL is
SQLAlchemy Core throughout; dialect-specific statements are guarded by dialect name. The schema is
Alembic's (`migrations/`), brought to head on opening.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from landscape.store.errors import StoreBusy

DEFAULT_BUSY_TIMEOUT = timedelta(seconds=10)
# The execution option that makes the "begin" listener take SQLite's write lock at once.
_WRITE = "landscape_write"
# The engine's execution option holding how long a writer waits for the write lock (PostgreSQL).
_LOCK_TIMEOUT_MS = "landscape_lock_timeout_ms"
# The advisory lock key all landscape writers on one PostgreSQL database share ("landscap").
_WRITE_LOCK_KEY = 0x6C616E6473636170


def create_engine(url: str, *, busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT) -> sa.Engine:
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        Path(str(sa_url.database)).parent.mkdir(parents=True, exist_ok=True)
    if sa_url.get_backend_name() == "postgresql":
        # A few connections per dashboard process; pre-ping survives a server restart or failover.
        engine = sa.create_engine(
            sa_url, pool_size=5, max_overflow=10, pool_pre_ping=True, pool_recycle=1800
        )
        milliseconds = int(busy_timeout.total_seconds() * 1000)
        return engine.execution_options(**{_LOCK_TIMEOUT_MS: milliseconds})
    engine = sa.create_engine(sa_url)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout, in_memory=sa_url.database in (None, "", ":memory:"))
    return engine


def _configure_sqlite(engine: sa.Engine, busy_timeout: timedelta, *, in_memory: bool) -> None:
    milliseconds = int(busy_timeout.total_seconds() * 1000)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's "begin" below issues BEGIN itself, so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        writing = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction holding the database's write lock from its first statement; a lock
    not granted in time is `StoreBusy`."""
    try:
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # An advisory lock, not LOCK TABLE: it exists before the first migration
                    # has made any table, so migrating is serialised by it too.
                    timeout = int(conn.get_execution_options().get(_LOCK_TIMEOUT_MS, 10_000))
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {max(timeout, 1)}")
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK_KEY})")
                yield conn
    except sa.exc.OperationalError as error:
        text = str(error.orig).lower()
        if "locked" in text or "busy" in text or "lock timeout" in text:
            raise StoreBusy() from error
        raise


# --- migrations ------------------------------------------------------------------------------


def _alembic_config(conn: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "landscape.store:migrations")
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every migration revision this version of landscape knows."""
    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration, under the write lock (safe if two processes
    start at once: the second finds the work done)."""
    if current_revision(engine) == head_revision():
        return
    with writing(engine) as conn:
        command.upgrade(_alembic_config(conn), "head")
