"""Survey waves in SQL: published whole or not at all, never overwritten, readable forever.

`open_store()` opens (and on first use creates, migrates and seeds) the database. Every publish:

1. recognises a file already published (same SHA-256) and creates nothing;
2. validates the bytes with the same `load_survey` the page and the CLI use;
3. re-checks the access rules for the signed-in principal (`access.check_upload`);
4. writes the archived file, the wave row and every record in ONE transaction.

A correction is a new version: a new wave row that supersedes the earlier one, which stays
readable. An area office's correction replaces its own area's row and programmes in the current
wave and is published as that wave's next version.

SQLite (the default) runs with WAL, foreign keys on and a busy timeout; a write transaction takes
the write lock up front (BEGIN IMMEDIATE) so a second writer waits, then is told to retry. The SQL
is SQLAlchemy Core throughout, so a PostgreSQL URL works too; dialect-specific statements are
guarded by dialect name.
"""

from __future__ import annotations

import hashlib
import math
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from landscape import paths
from landscape.config import load_settings
from landscape.errors import LandscapeError
from landscape.intake.uploads import cell_locator, read_upload
from landscape.intake.validate import load_survey as validate_survey
from landscape.schema import AREAS, PROGRAMMES, Kind, Provenance, Sheet
from landscape.store.access import AccessDenied, Principal, Role, check_upload, utc_now
from landscape.store.access import NotSignedIn as NotSignedIn
from landscape.store.tables import (
    area_answers,
    failed_sign_ins,
    metadata,
    programme_records,
    wave_files,
    waves,
)
from landscape.survey import Survey

if TYPE_CHECKING:
    from landscape.model.landscape import WaveInfo

_WRITE = "landscape_write"
DEFAULT_BUSY_TIMEOUT = timedelta(seconds=10)
SEED_UPLOADER = "landscape (bundled illustrative wave)"
SEED_LABEL = "APCC 2025 survey (illustrative)"
FAILED_SIGN_IN_RETENTION = timedelta(days=1)


class StoreError(LandscapeError):
    """A store operation could not be done; `message` says why and what to do."""


class StoreBusy(StoreError):
    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The data store is busy with another upload. Nothing was changed: "
            "please try again in a moment." + (f" ({detail})" if detail else "")
        )


class WaveNotFound(StoreError, KeyError):
    def __init__(self, wave_id: str) -> None:
        super().__init__(f"There is no wave {wave_id!r}.")


class NotALandscapeDatabase(StoreError):
    pass


@dataclass(frozen=True)
class WaveRecord:
    wave_id: str
    label: str
    survey_date: date | None
    version: int
    uploaded_by: str
    uploaded_at: datetime
    sha256: str
    illustrative: bool
    original_filename: str
    kind: str
    """"seed" (the bundled wave), "survey" (an administrator's upload) or "area" (a correction)."""
    area_code: str | None
    """For an area office's correction: the area it replaced."""
    supersedes: str | None
    superseded_by: str | None
    series: str
    """The wave_id of version 1 of this wave: every version of one survey shares it."""
    area_count: int
    programme_count: int
    status: str = "published"

    @property
    def is_current_version(self) -> bool:
        return self.superseded_by is None

    @property
    def title(self) -> str:
        """How pickers show the wave, e.g. "APCC 2025 survey (illustrative) v2"."""
        return self.label if self.version == 1 else f"{self.label} v{self.version}"

    def info(self) -> WaveInfo:
        from landscape.model.landscape import WaveInfo

        return WaveInfo(
            wave_id=self.wave_id,
            label=self.label,
            survey_date=self.survey_date,
            illustrative=self.illustrative,
            version=self.version,
        )


@dataclass(frozen=True)
class PreparedUpload:
    """A validated, permitted upload and exactly what publishing it would store."""

    filename: str
    sha256: str
    uploaded: Survey
    """The rows in the file."""
    survey: Survey
    """The wave that would be published (for an area office: the current wave, corrected)."""
    base: WaveRecord | None
    """The wave it would supersede (a correction) or be compared with (the current wave)."""
    corrects: WaveRecord | None
    duplicate_of: WaveRecord | None


@dataclass(frozen=True)
class PublishResult:
    wave: WaveRecord
    created: bool

    @property
    def message(self) -> str:
        if self.created:
            return f"Published as wave {self.wave.wave_id}: {self.wave.title}."
        return (
            f"This file was already published as wave {self.wave.wave_id} ({self.wave.title}, "
            f"by {self.wave.uploaded_by} on {self.wave.uploaded_at:%d %B %Y %H:%M} UTC). "
            "Nothing new was stored."
        )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Store:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    # --- reading ---------------------------------------------------------------------------

    def list_waves(self) -> list[WaveRecord]:
        """Every wave, every version, oldest first."""
        with self.engine.connect() as conn:
            return _wave_records(conn)

    def wave(self, wave_id: str) -> WaveRecord:
        for record in self.list_waves():
            if record.wave_id == str(wave_id):
                return record
        raise WaveNotFound(str(wave_id))

    def current_wave(self) -> WaveRecord | None:
        """The latest version of the most recently started wave."""
        with self.engine.connect() as conn:
            return _current(_wave_records(conn))

    def latest_wave_id(self) -> str | None:
        current = self.current_wave()
        return current.wave_id if current else None

    def find_by_sha256(self, sha256: str) -> WaveRecord | None:
        return next((w for w in self.list_waves() if w.sha256 == sha256), None)

    def load_survey(self, wave_id: str) -> Survey:
        with self.engine.connect() as conn:
            return _load_survey(conn, _wave_pk(wave_id))

    def original_file(self, wave_id: str) -> tuple[str, bytes]:
        """The file as it was uploaded: (filename, bytes)."""
        query = (
            sa.select(waves.c.original_filename, wave_files.c.content)
            .join(wave_files, wave_files.c.id == waves.c.file_id)
            .where(waves.c.id == _wave_pk(wave_id))
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).one_or_none()
        if row is None:
            raise WaveNotFound(str(wave_id))
        return str(row[0]), bytes(row[1])

    def table_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                table.name: int(
                    conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
                )
                for table in metadata.sorted_tables
            }

    def integrity_check(self) -> str:
        """SQLite's own integrity check ("ok" when sound); "ok" for servers that do their own."""
        if self.engine.dialect.name != "sqlite":
            return "ok"
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
        return "\n".join(str(r) for r in rows)

    # --- publishing ------------------------------------------------------------------------

    def prepare_upload(
        self,
        data: bytes,
        filename: str,
        principal: Principal | None,
        *,
        corrects: str | None = None,
    ) -> PreparedUpload:
        """Validate and check an upload without storing it (raises SurveyInvalid / AccessDenied)."""
        if principal is None:
            raise NotSignedIn()
        sha = sha256_hex(data)
        uploaded = read_upload(data, filename)
        _check_upload(principal, uploaded, data, filename)
        with self.engine.connect() as conn:
            records = _wave_records(conn)
            target = _correction_target(records, principal, corrects)
            survey = _compose(conn, principal, uploaded, target)
        return PreparedUpload(
            filename=filename,
            sha256=sha,
            uploaded=uploaded,
            survey=survey,
            base=target or _current(records),
            corrects=target,
            duplicate_of=next((w for w in records if w.sha256 == sha), None),
        )

    def publish(
        self,
        data: bytes,
        filename: str,
        *,
        principal: Principal | None,
        label: str,
        survey_date: date | None = None,
        corrects: str | None = None,
    ) -> PublishResult:
        """Validate, check and store an upload as a new wave (or a new version of one).

        An administrator's upload starts a new wave unless `corrects` names the wave it corrects;
        an area office's upload always corrects the current wave. Raises SurveyInvalid,
        AccessDenied, StoreBusy or StoreError; on any error nothing is stored.
        """
        if principal is None:
            raise NotSignedIn()
        label = " ".join(label.split())
        if not label:
            raise StoreError("Give the wave a label, for example 'APCC 2026 survey'.")
        sha = sha256_hex(data)
        uploaded = read_upload(data, filename)
        _check_upload(principal, uploaded, data, filename)
        existing = self.find_by_sha256(sha)
        if existing is not None:
            return PublishResult(existing, created=False)
        try:
            with self._writing() as conn:
                records = _wave_records(conn)
                existing = next((w for w in records if w.sha256 == sha), None)
                if existing is not None:
                    return PublishResult(existing, created=False)
                target = _correction_target(records, principal, corrects)
                survey = _compose(conn, principal, uploaded, target)
                wave_pk = _insert_wave(
                    conn,
                    survey,
                    data=data,
                    filename=filename,
                    sha=sha,
                    label=label,
                    survey_date=survey_date or (target.survey_date if target else None),
                    supersedes=target,
                    kind="survey" if principal.role is Role.ADMIN else "area",
                    area_code=principal.area_code if principal.role is Role.AREA else None,
                    uploaded_by=principal.username,
                    illustrative=_is_illustrative(survey),
                )
        except sa.exc.IntegrityError as error:
            # Another process published the same file or corrected the same wave meanwhile.
            duplicate = self.find_by_sha256(sha)
            if duplicate is not None:
                return PublishResult(duplicate, created=False)
            raise StoreBusy("another correction was published at the same time") from error
        return PublishResult(self.wave(str(wave_pk)), created=True)

    def seed_bundled_wave(self, path: Path | None = None) -> WaveRecord | None:
        """Store the bundled illustrative wave if the store has no wave yet (idempotent)."""
        if self.list_waves():
            return None
        path = path or paths.BUNDLED_WAVE
        data = path.read_bytes()
        survey = validate_survey(data, path.name)
        try:
            with self._writing() as conn:
                if conn.execute(sa.select(sa.func.count()).select_from(waves)).scalar_one():
                    return None
                wave_pk = _insert_wave(
                    conn,
                    survey,
                    data=data,
                    filename=path.name,
                    sha=sha256_hex(data),
                    label=SEED_LABEL,
                    survey_date=None,
                    supersedes=None,
                    kind="seed",
                    area_code=None,
                    uploaded_by=SEED_UPLOADER,
                    illustrative=True,
                )
        except sa.exc.IntegrityError:
            return None  # another process seeded it first
        return self.wave(str(wave_pk))

    # --- failed sign-ins (access.FailedSignInLog) ------------------------------------------

    def record_failed_sign_in(self, username: str, client: str, at: datetime) -> None:
        with self._writing() as conn:
            conn.execute(
                failed_sign_ins.insert().values(
                    username=username[:200], client=client[:200], attempted_at=at
                )
            )
            conn.execute(
                failed_sign_ins.delete().where(
                    failed_sign_ins.c.attempted_at < at - FAILED_SIGN_IN_RETENTION
                )
            )

    def failed_sign_ins_since(
        self, since: datetime, *, username: str | None = None, client: str | None = None
    ) -> list[datetime]:
        query = sa.select(failed_sign_ins.c.attempted_at).where(
            failed_sign_ins.c.attempted_at >= since
        )
        if username is not None:
            query = query.where(failed_sign_ins.c.username == username[:200])
        if client is not None:
            query = query.where(failed_sign_ins.c.client == client[:200])
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]

    def clear_failed_sign_ins(self, username: str) -> None:
        with self._writing() as conn:
            conn.execute(failed_sign_ins.delete().where(failed_sign_ins.c.username == username))

    # --- backup ----------------------------------------------------------------------------

    def backup(self, out: Path) -> Path:
        """Copy the whole database to `out` with SQLite's online backup API (consistent even
        while others write). Written to a temporary name first, so `out` is never half a file."""
        _require_sqlite(self.engine, "backup")
        out = Path(out)
        partial = out.with_name(out.name + ".partial")
        partial.unlink(missing_ok=True)
        with self.engine.connect() as conn:
            source = conn.connection.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        os.replace(partial, out)
        return out

    def dispose(self) -> None:
        self.engine.dispose()

    # --- internals -------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """One write transaction holding the database's write lock from its first statement."""
        try:
            with self.engine.connect() as conn:
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


# --- opening ---------------------------------------------------------------------------------


def open_store(
    url: str | None = None,
    *,
    seed: bool = True,
    busy_timeout: timedelta = DEFAULT_BUSY_TIMEOUT,
) -> Store:
    """Open the store at `url` (default: the configured one), creating, migrating and (on first
    use) seeding it with the bundled illustrative wave."""
    url = url or load_settings().database_url
    engine = create_engine(url, busy_timeout=busy_timeout)
    store = Store(engine)
    migrate(store)
    if seed:
        store.seed_bundled_wave()
    return store


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


def current_revision(store: Store) -> str | None:
    with store.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(store: Store) -> None:
    """Bring the schema to the newest migration, under the write lock (safe if two processes
    start at once: the second finds the work done)."""
    if current_revision(store) == head_revision():
        return
    with store._writing() as conn:
        command.upgrade(_alembic_config(conn), "head")


# --- backup and restore ----------------------------------------------------------------------


def sqlite_path(url: str) -> Path:
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
    except sqlite3.DatabaseError as error:
        raise NotALandscapeDatabase(f"{path} cannot be read as a database: {error}") from error
    finally:
        connection.close()
    revision = str(row[0]) if row else ""
    known = {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}
    if revision not in known:
        raise NotALandscapeDatabase(
            f"{path} was made by a different version of landscape (schema {revision!r})."
        )
    return revision


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


def _require_sqlite(engine: sa.Engine, what: str) -> None:
    if engine.dialect.name != "sqlite":
        raise StoreError(f"{what} works on a SQLite file; for PostgreSQL use pg_dump.")


# --- rows <-> records ------------------------------------------------------------------------


def _wave_pk(wave_id: str) -> int:
    try:
        return int(wave_id)
    except (TypeError, ValueError):
        raise WaveNotFound(str(wave_id)) from None


def _wave_records(conn: sa.Connection) -> list[WaveRecord]:
    rows = conn.execute(sa.select(waves).order_by(waves.c.id)).mappings().all()
    superseded_by = {row["supersedes_id"]: row["id"] for row in rows if row["supersedes_id"]}
    parent = {row["id"]: row["supersedes_id"] for row in rows}

    def root(wave_pk: int) -> int:
        while parent.get(wave_pk):
            wave_pk = parent[wave_pk]
        return wave_pk

    return [
        WaveRecord(
            wave_id=str(row["id"]),
            label=row["label"],
            survey_date=row["survey_date"],
            version=row["version"],
            uploaded_by=row["uploaded_by"],
            uploaded_at=row["uploaded_at"],
            sha256=row["sha256"],
            illustrative=bool(row["illustrative"]),
            original_filename=row["original_filename"],
            kind=row["kind"],
            area_code=row["area_code"],
            supersedes=str(row["supersedes_id"]) if row["supersedes_id"] else None,
            superseded_by=str(superseded_by[row["id"]]) if row["id"] in superseded_by else None,
            series=str(root(row["id"])),
            area_count=row["area_count"],
            programme_count=row["programme_count"],
            status=row["status"],
        )
        for row in rows
    ]


def _current(records: list[WaveRecord]) -> WaveRecord | None:
    heads = [r for r in records if r.is_current_version]
    return max(heads, key=lambda r: int(r.series), default=None)


def _correction_target(
    records: list[WaveRecord], principal: Principal, corrects: str | None
) -> WaveRecord | None:
    if principal.role is Role.AREA:
        current = _current(records)
        if current is None:
            raise StoreError("There is no published wave to correct yet.")
        if corrects is not None and str(corrects) != current.wave_id:
            raise StoreError(
                f"An area office corrects the current wave ({current.title}); "
                f"wave {corrects} cannot be changed."
            )
        return current
    if corrects is None:
        return None
    target = next((r for r in records if r.wave_id == str(corrects)), None)
    if target is None:
        raise WaveNotFound(str(corrects))
    if target.superseded_by is not None:
        raise StoreError(
            f"Wave {target.wave_id} has already been corrected by wave {target.superseded_by}; "
            f"correct that newer version instead."
        )
    return target


def _compose(
    conn: sa.Connection, principal: Principal, uploaded: Survey, target: WaveRecord | None
) -> Survey:
    if principal.role is Role.ADMIN or target is None:
        return uploaded
    return apply_area_correction(
        _load_survey(conn, int(target.wave_id)), uploaded, str(principal.area_code)
    )


def apply_area_correction(base: Survey, correction: Survey, area_code: str) -> Survey:
    """`base` with `area_code`'s Areas row and programmes replaced by those in `correction`.

    The area's row keeps its place; its programmes take the place of its old ones (or go last).
    """
    new_row = correction.areas[correction.areas["area_code"] == area_code]
    areas = base.areas
    if (areas["area_code"] == area_code).any():
        position = int((areas["area_code"] == area_code).to_numpy().argmax())
        areas = pd.concat(
            [areas.iloc[:position], new_row, areas.iloc[position + 1 :]], ignore_index=True
        )
    else:
        areas = pd.concat([areas, new_row], ignore_index=True)
    own = base.programmes["area_code"] == area_code
    new_programmes = correction.programmes[correction.programmes["area_code"] == area_code]
    position = int(own.to_numpy().argmax()) if own.any() else len(base.programmes)
    kept = base.programmes[~own]
    before = kept.iloc[: int((~own).iloc[:position].sum())]
    after = kept.iloc[len(before) :]
    programmes = pd.concat([before, new_programmes, after], ignore_index=True)
    return Survey.from_records(_frame_records(AREAS, areas), _frame_records(PROGRAMMES, programmes))


# --- uploads as CSV files -------------------------------------------------------------------


def _check_upload(principal: Principal, survey: Survey, data: bytes, filename: str) -> None:
    try:
        check_upload(principal, survey)
    except AccessDenied as denied:
        if not denied.problems:
            raise
        # Refused: read the file again to name each refused row by the cell the user sees.
        check_upload(principal, survey, cell_locator(data, filename))


def _is_illustrative(survey: Survey) -> bool:
    return bool(
        (survey.areas["provenance"] == Provenance.ILLUSTRATIVE).any()
        or (survey.programmes["provenance"] == Provenance.ILLUSTRATIVE).any()
    )


def _insert_wave(
    conn: sa.Connection,
    survey: Survey,
    *,
    data: bytes,
    filename: str,
    sha: str,
    label: str,
    survey_date: date | None,
    supersedes: WaveRecord | None,
    kind: str,
    area_code: str | None,
    uploaded_by: str,
    illustrative: bool,
) -> int:
    file_pk = _new_id(
        conn.execute(
            wave_files.insert().values(
                sha256=sha, filename=filename[:255], size_bytes=len(data), content=data
            )
        )
    )
    wave_pk = _new_id(
        conn.execute(
            waves.insert().values(
                label=label[:200],
                survey_date=survey_date,
                version=supersedes.version + 1 if supersedes else 1,
                supersedes_id=int(supersedes.wave_id) if supersedes else None,
                status="published",
                kind=kind,
                area_code=area_code,
                illustrative=illustrative,
                uploaded_by=uploaded_by[:200],
                uploaded_at=utc_now(),
                sha256=sha,
                original_filename=filename[:255],
                file_id=file_pk,
                area_count=len(survey.areas),
                programme_count=len(survey.programmes),
            )
        )
    )
    _insert_records(conn, wave_pk, survey)
    return wave_pk


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _insert_records(conn: sa.Connection, wave_pk: int, survey: Survey) -> None:
    area_rows = [
        {
            "wave_id": wave_pk,
            "position": position,
            "area_code": record["area_code"],
            "record": record,
        }
        for position, record in enumerate(_frame_records(AREAS, survey.areas))
    ]
    programme_rows = [
        {
            "wave_id": wave_pk,
            "position": position,
            "area_code": record["area_code"],
            "programme_name": record["programme_name"],
            "record": record,
        }
        for position, record in enumerate(_frame_records(PROGRAMMES, survey.programmes))
    ]
    if area_rows:
        conn.execute(area_answers.insert(), area_rows)
    if programme_rows:
        conn.execute(programme_records.insert(), programme_rows)


def _load_survey(conn: sa.Connection, wave_pk: int) -> Survey:
    if conn.execute(sa.select(waves.c.id).where(waves.c.id == wave_pk)).one_or_none() is None:
        raise WaveNotFound(str(wave_pk))
    areas = conn.execute(
        sa.select(area_answers.c.record)
        .where(area_answers.c.wave_id == wave_pk)
        .order_by(area_answers.c.position)
    ).scalars()
    programmes = conn.execute(
        sa.select(programme_records.c.record)
        .where(programme_records.c.wave_id == wave_pk)
        .order_by(programme_records.c.position)
    ).scalars()
    return Survey.from_records(list(areas), list(programmes))


def _frame_records(sheet: Sheet, frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe records of a typed survey table (the inverse of `Survey.from_records`)."""
    kinds = {c.name: c.kind for c in sheet.columns if c.name != "force_area"}
    records = []
    for row in frame.to_dict(orient="records"):
        record: dict[str, Any] = {"area_code": str(row["area_code"])}
        for name, kind in kinds.items():
            record[name] = _json_value(kind, row.get(name))
        records.append(record)
    return records


def _json_value(kind: Kind, value: Any) -> Any:
    if kind is Kind.CHOICES:
        return list(value) if isinstance(value, (tuple, list)) else []
    if value is None or (not isinstance(value, (tuple, list)) and pd.isna(value)):
        return None
    if kind is Kind.INTEGER:
        return int(value)
    if kind is Kind.NUMBER:
        number = float(value)
        return number if math.isfinite(number) else None
    if kind is Kind.DATE:
        return pd.Timestamp(value).isoformat()
    return str(value)


def records_for(survey: Survey) -> Mapping[str, list[dict[str, Any]]]:
    """The JSON records a survey is stored as, per sheet (for tests and diagnostics)."""
    return {
        AREAS.name: _frame_records(AREAS, survey.areas),
        PROGRAMMES.name: _frame_records(PROGRAMMES, survey.programmes),
    }
