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

import os
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

from landscape.store.errors import DatabaseUnavailable, database_failure

DEFAULT_BUSY_TIMEOUT = timedelta(seconds=10)
# Seconds a PostgreSQL connection attempt may take (libpq's connect_timeout) before it fails.
CONNECT_TIMEOUT = 10
# The execution option that makes the "begin" listener take SQLite's write lock at once.
_WRITE = "landscape_write"
# The engine's execution option holding how long a writer waits for the write lock (PostgreSQL).
_LOCK_TIMEOUT_MS = "landscape_lock_timeout_ms"
# PostgreSQL's SQLSTATEs for a write the server refuses this session (a read-only transaction,
# a user without the privilege): psycopg raises them as InternalError and ProgrammingError.
_REFUSED_WRITES = frozenset({"25006", "42501"})
# The advisory lock key all landscape writers on one PostgreSQL database share ("landscap").
_WRITE_LOCK_KEY = 0x6C616E6473636170


def create_engine(url: str, *, busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT) -> sa.Engine:
    sa_url = sa.make_url(url)
    where = database_location(sa_url)
    if sa_url.get_backend_name() == "sqlite" and sa_url.database not in (None, "", ":memory:"):
        try:
            Path(where).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise database_failure(where, f"unable to open database file: {error}") from error
    if sa_url.get_backend_name() == "postgresql":
        # A few connections per dashboard process; pre-ping survives a server restart or failover.
        # A server that does not answer is given up on after CONNECT_TIMEOUT (unless the URL sets
        # connect_timeout), so a page says it cannot reach it instead of hanging for minutes.
        connect_args = (
            {} if "connect_timeout" in sa_url.query else {"connect_timeout": CONNECT_TIMEOUT}
        )
        engine = sa.create_engine(
            sa_url,
            pool_size=5,
            max_overflow=10,
            pool_pre_ping=True,
            pool_recycle=1800,
            connect_args=connect_args,
        )
        _translate_failures(engine, where)
        milliseconds = int(busy_timeout.total_seconds() * 1000)
        return engine.execution_options(**{_LOCK_TIMEOUT_MS: milliseconds})
    read_only_folder = sa_url.get_backend_name() == "sqlite" and _in_read_only_folder(where)
    if read_only_folder:
        # SQLite cannot make the -shm file a WAL database needs for reading in a folder it may
        # not write: opened immutable and read-only, it is read (nothing can write it there),
        # and a write is refused as read-only.
        sa_url = sa.make_url(
            f"sqlite:///{Path(where).resolve().as_uri()}?mode=ro&immutable=1&uri=true"
        )
    engine = sa.create_engine(sa_url)
    _translate_failures(engine, where)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(
            engine,
            busy_timeout,
            in_memory=sa_url.database in (None, "", ":memory:"),
            read_only=read_only_folder,
        )
    return engine


def _in_read_only_folder(where: str) -> bool:
    """Whether `where` is an existing SQLite file in a folder this process may not write (a
    read-only mount, or permissions), with no -wal or -shm file beside it that a writer would
    use: then nothing can change it while it is read."""
    path = Path(where)
    if not path.is_file() or os.access(path.parent, os.W_OK):
        return False
    return not any(path.with_name(f"{path.name}{end}").exists() for end in ("-wal", "-shm"))


def database_location(url: sa.URL) -> str:
    """Where the database is, as an operator names it: the SQLite file's path (also for a
    `file:...?mode=ro` URI), or the server URL without its password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:").removeprefix("file:").split("?", 1)[0]
    return url.render_as_string(hide_password=True)


def _translate_failures(engine: sa.Engine, where: str) -> None:
    """The one place a database failure becomes a domain error (`StoreBusy`, or
    `DatabaseUnavailable` saying what failed and what to do): every statement, connection and
    migration of this engine passes here, so no caller catches driver exceptions itself."""

    @sa.event.listens_for(engine, "handle_error")
    def _to_store_error(context: sa.engine.ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # the pool's liveness check: let it reconnect rather than fail the caller
        failure = context.sqlalchemy_exception
        # IntegrityError and the other DatabaseError subclasses are the schema refusing a row
        # (a duplicate, an immutable wave): the store's own code answers those.
        refused_write = getattr(context.original_exception, "sqlstate", None) in _REFUSED_WRITES
        if (
            isinstance(failure, sa.exc.OperationalError)
            or type(failure) is sa.exc.DatabaseError
            or refused_write
        ):
            detail = str(context.original_exception)
            sqlite = engine.dialect.name == "sqlite"
            writable = _writable(where) if sqlite else None
            raise database_failure(where, detail, writable=writable, server=not sqlite) from failure


def _writable(where: str) -> bool | None:
    """Whether SQLite could write the file at `where` and its -wal/-shm files beside it (None:
    the folder is not there, so the question does not arise)."""
    path = Path(where)
    if not path.parent.is_dir():
        return None
    return os.access(path.parent, os.W_OK) and (not path.exists() or os.access(path, os.W_OK))


def _configure_sqlite(
    engine: sa.Engine, busy_timeout: timedelta, *, in_memory: bool, read_only: bool = False
) -> None:
    milliseconds = int(busy_timeout.total_seconds() * 1000)

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's "begin" below issues BEGIN itself, so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory and not read_only:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        writing = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


@contextmanager
def writing(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction holding the database's write lock from its first statement; a lock
    not granted in time is `StoreBusy` (raised by `_translate_failures`, like every failure)."""
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


def revisions_since(marker: str) -> set[str]:
    """Every revision from the migration whose module sets `marker` True up to the head (none if
    no migration does): how code asks whether a migration has run, whatever its number."""
    found: set[str] = set()
    for script in ScriptDirectory.from_config(_alembic_config()).walk_revisions():  # head first
        found.add(script.revision)
        if getattr(script.module, marker, False):
            return found
    return set()


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest migration, under the write lock (safe if two processes
    start at once: the second finds the work done). A schema this version does not know (made
    by a newer landscape) is refused, as Alembic's own error would be a traceback."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is not None and current not in known_revisions():
        raise DatabaseUnavailable(
            f"The database at {database_location(engine.url)} was made by a newer version of "
            f"landscape (schema {current!r}; this one knows up to {head!r}): nothing was changed",
            fix="Run the version of landscape that made it, or restore a backup made by this "
            "one with `landscape restore BACKUP`",
        )
    with writing(engine) as conn:
        command.upgrade(_alembic_config(conn), "head")
