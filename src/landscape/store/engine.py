"""The database connection: engines, SQLite's settings, write transactions and migrations.

SQLite (the default) runs with WAL, foreign keys on and a busy timeout; a write transaction takes
the write lock up front (BEGIN IMMEDIATE) so a second writer waits, then is told to retry. The SQL
is SQLAlchemy Core throughout, so a PostgreSQL URL works too; dialect-specific statements are
guarded by dialect name. The schema is Alembic's (`migrations/`), brought to head on opening.
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


def create_engine(url: str, *, busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT) -> sa.Engine:
    sa_url = sa.make_url(url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        Path(str(sa_url.database)).parent.mkdir(parents=True, exist_ok=True)
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
                    conn.exec_driver_sql("SET LOCAL lock_timeout = '10s'")
                    conn.exec_driver_sql("LOCK TABLE waves IN SHARE ROW EXCLUSIVE MODE")
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
