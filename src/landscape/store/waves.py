"""Survey waves in SQL: published whole or not at all, never overwritten, readable forever.

`open_store()` opens (and on first use creates, migrates and seeds) the database. Every publish:

1. recognises a file already published (same SHA-256) and creates nothing;
2. validates the bytes with the same `load_survey` the page and the CLI use;
3. re-checks the access rules for the signed-in principal (`access.check_upload`);
4. writes the archived file, the wave row and every record in ONE transaction, and last seals
   the wave with its content hash chained to the wave before it (`verify.py`).

A correction is a new version of a wave (`corrections.py`). The connection and its locking live in
`engine.py`, rows <-> records in `records.py`, backups in `backup.py`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from landscape import paths
from landscape.config import load_settings
from landscape.intake.uploads import cell_locator, read_upload
from landscape.intake.validate import load_survey as validate_survey
from landscape.model.composition import kind_of_wave
from landscape.model.landscape import build_landscape
from landscape.model.wave_kind import SEED_KIND, report_of_upload
from landscape.store.access import (
    AccessDenied,
    NotSignedIn,
    Principal,
    Role,
    UploadScope,
    check_upload,
    utc_now,
)
from landscape.store.corrections import compose, correction_target
from landscape.store.engine import (
    DEFAULT_BUSY_TIMEOUT,
    create_engine,
    database_location,
    migrate,
    writing,
)
from landscape.store.errors import StoreBusy, StoreError, WaveNotFound, database_failure
from landscape.store.records import (
    WaveRecord,
    current_of,
    insert_records,
    load_survey,
    wave_pk,
    wave_records,
)
from landscape.store.sign_ins import FailedSignIns
from landscape.store.tables import metadata, wave_files, waves
from landscape.store.verify import Verification, seal, stored_head_token, verify
from landscape.survey import Survey
from landscape.text import control_characters

SEED_UPLOADER = "landscape (bundled illustrative wave)"
SEED_LABEL = "APCC 2025 survey (illustrative)"


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
    scope: UploadScope = field(default_factory=UploadScope)
    """For an area office: the other areas' unchanged rows it carried, which are ignored."""


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
    """The waves in one database: list and load them, prepare and publish uploads, seed."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.sign_in_log = FailedSignIns(engine)
        """Where `access.Authenticator` counts failed sign-ins (the same database)."""

    # --- reading ---------------------------------------------------------------------------

    def list_waves(self) -> list[WaveRecord]:
        """Every wave, every version, oldest first."""
        with self.engine.connect() as conn:
            return wave_records(conn)

    def wave(self, wave_id: str) -> WaveRecord:
        for record in self.list_waves():
            if record.wave_id == str(wave_id):
                return record
        raise WaveNotFound(str(wave_id))

    def current_wave(self) -> WaveRecord | None:
        """The latest version of the most recently started wave."""
        with self.engine.connect() as conn:
            return current_of(wave_records(conn))

    def latest_wave_id(self) -> str | None:
        current = self.current_wave()
        return current.wave_id if current else None

    def wave_version(self) -> int:
        """A stamp that changes whenever any wave or version is published: the newest wave row's
        id (ids only grow; waves are never deleted). One indexed query, cheap enough for every
        page load, so each dashboard process sees another's publish on its next rerun."""
        with self.engine.connect() as conn:
            newest = conn.execute(sa.select(sa.func.max(waves.c.id))).scalar_one()
        return int(newest or 0)

    def find_by_sha256(self, sha256: str) -> WaveRecord | None:
        return next((w for w in self.list_waves() if w.sha256 == sha256), None)

    def load_survey(self, wave_id: str) -> Survey:
        with self.engine.connect() as conn:
            return load_survey(conn, wave_pk(wave_id))

    def original_file(self, wave_id: str) -> tuple[str, bytes]:
        """The file as it was uploaded: (filename, bytes)."""
        query = (
            sa.select(waves.c.original_filename, wave_files.c.content)
            .join(wave_files, wave_files.c.id == waves.c.file_id)
            .where(waves.c.id == wave_pk(wave_id))
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

    def verify(self) -> Verification:
        """Recompute every wave's chained content hash and check the immutability triggers."""
        with self.engine.connect() as conn:
            return verify(conn)

    def chain_head(self) -> str:
        """`COUNT:HASH` of the sealed waves as stored (unchecked: `verify` checks it)."""
        with self.engine.connect() as conn:
            return stored_head_token(conn)

    def verified_waves(self) -> dict[str, bool]:
        """wave_id -> whether the wave's stored content still matches its published hash."""
        return self.verify().verified()

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
        only_administrators_publish(principal)
        assert principal is not None
        sha = sha256_hex(data)
        uploaded = read_upload(data, filename)
        scope = _check_upload(principal, uploaded, data, filename, self._office_base(principal))
        with self.engine.connect() as conn:
            records = wave_records(conn)
            target = correction_target(records, principal, corrects)
            survey = compose(conn, principal, uploaded, target)
        return PreparedUpload(
            filename=filename,
            sha256=sha,
            uploaded=uploaded,
            survey=survey,
            base=target or current_of(records),
            corrects=target,
            duplicate_of=next((w for w in records if w.sha256 == sha), None),
            scope=scope,
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

        Only an administrator publishes: a new wave, or with `corrects` a new version of the wave
        it names (area offices send their answers as a return in a survey round). Raises
        SurveyInvalid, AccessDenied, StoreBusy or StoreError; on any error nothing is stored.
        """
        only_administrators_publish(principal)
        assert principal is not None
        label = wave_label(label)
        sha = sha256_hex(data)
        uploaded = read_upload(data, filename)
        _check_upload(principal, uploaded, data, filename, self._office_base(principal))
        existing = self.find_by_sha256(sha)
        if existing is not None:
            return PublishResult(existing, created=False)
        try:
            with writing(self.engine) as conn:
                wave_id, created = self.publish_within(
                    conn,
                    uploaded,
                    data=data,
                    filename=filename,
                    principal=principal,
                    label=label,
                    survey_date=survey_date,
                    corrects=corrects,
                )
        except sa.exc.IntegrityError as error:
            # Another process published the same file or corrected the same wave meanwhile.
            duplicate = self.find_by_sha256(sha)
            if duplicate is not None:
                return PublishResult(duplicate, created=False)
            raise StoreBusy("another correction was published at the same time") from error
        return PublishResult(self.wave(str(wave_id)), created=created)

    def publish_within(
        self,
        conn: sa.Connection,
        uploaded: Survey,
        *,
        data: bytes,
        filename: str,
        principal: Principal,
        label: str,
        survey_date: date | None = None,
        corrects: str | None = None,
    ) -> tuple[int, bool]:
        """Store the validated `uploaded` (the survey in `data`) inside `conn`'s write
        transaction, after checking the database file is sound: (the wave's id, whether it is
        new). For a caller that must decide what to publish under the same lock (a round)."""
        only_administrators_publish(principal)
        refuse_a_damaged_database(conn)
        sha = sha256_hex(data)
        records = wave_records(conn)
        existing = next((w for w in records if w.sha256 == sha), None)
        if existing is not None:
            return int(existing.wave_id), False
        target = correction_target(records, principal, corrects)
        survey = compose(conn, principal, uploaded, target)
        return (
            _insert_wave(
                conn,
                survey,
                data=data,
                filename=filename,
                sha=sha,
                label=wave_label(label),
                survey_date=survey_date or (target.survey_date if target else None),
                supersedes=target,
                kind="survey" if principal.role is Role.ADMIN else "area",
                area_code=principal.area_code if principal.role is Role.AREA else None,
                uploaded_by=principal.username,
                report=report_of_upload(
                    base=target.wave_kind if target else None, corrects=target is not None
                ),
                corrects=target is not None,
            ),
            True,
        )

    def seed_bundled_wave(self, path: Path | None = None) -> WaveRecord | None:
        """Store the bundled illustrative wave if the store has no wave yet (idempotent)."""
        if self.list_waves():
            return None
        path = path or paths.BUNDLED_WAVE
        data = path.read_bytes()
        survey = validate_survey(data, path.name)
        try:
            with writing(self.engine) as conn:
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
                    report=SEED_KIND.reproduces,
                    corrects=False,
                )
        except sa.exc.IntegrityError:
            return None  # another process seeded it first
        return self.wave(str(wave_pk))

    def _office_base(self, principal: Principal) -> Survey | None:
        """What an area office's whole-workbook upload is compared with: the current wave
        (other areas' rows equal to it are ignored); None for an administrator."""
        if principal.role is not Role.AREA:
            return None
        current = self.current_wave()
        return self.load_survey(current.wave_id) if current else None

    def dispose(self) -> None:
        self.engine.dispose()


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
    migrate(engine)
    if seed:
        store.seed_bundled_wave()
    return store


def only_administrators_publish(principal: Principal | None) -> None:
    """Publishing a wave is an administrator's act on every route (the Upload page, `landscape
    publish`, `landscape round publish`): an area office's answers reach a wave only through a
    return in a survey round, accepted and published by an administrator."""
    if principal is None:
        raise NotSignedIn()
    if principal.role is not Role.ADMIN:
        raise AccessDenied(
            "Only an APCC administrator may publish a wave",
            fix="Send your area's answers as a return in the survey round (the Upload page, or "
            "`landscape round return`); ask the APCC administrator to correct a published wave",
        )


def refuse_control_characters(what: str, text: str) -> None:
    """Refuse a label holding a control, format or escape character (an ANSI sequence, a bidi
    override, a newline), which would reach every terminal and page that shows it."""
    found = control_characters(text)
    if found:
        raise StoreError(
            f"{what} holds {'a control character' if len(found) == 1 else 'control characters'} "
            f"({', '.join(found[:5])}), which a label may not",
            fix="Type it again as plain text (letters, digits, spaces and punctuation)",
        )


def wave_label(label: str) -> str:
    """A wave's label as stored: one line of printable text, refused when empty."""
    refuse_control_characters("The wave's label", label)
    label = " ".join(label.split())
    if not label:
        raise StoreError("Give the wave a label, for example 'APCC 2026 survey'.")
    return label


def refuse_a_damaged_database(conn: sa.Connection) -> None:
    """Refuse to write into a SQLite file that fails its quick check: a write into a damaged
    file can spread the damage. (A server checks its own pages.)"""
    if conn.dialect.name != "sqlite":
        return
    found = [str(r) for r in conn.exec_driver_sql("PRAGMA quick_check").scalars().all()]
    if found != ["ok"]:
        raise database_failure(
            database_location(conn.engine.url),
            "database disk image is malformed (quick check: " + "; ".join(found[:3]) + ")",
        )


def _check_upload(
    principal: Principal, survey: Survey, data: bytes, filename: str, base: Survey | None
) -> UploadScope:
    try:
        return check_upload(principal, survey, base=base)
    except AccessDenied as denied:
        if not denied.problems:
            raise
        # Refused: read the file again to name each refused row by the cell the user sees.
        check_upload(principal, survey, cell_locator(data, filename), base=base)
        raise


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
    report: str | None,
    corrects: bool,
) -> int:
    # the kind is what the values give, never the uploader's claim (model.composition)
    wave_kind = kind_of_wave(build_landscape(survey), report=report, corrects=corrects)
    assert wave_kind.mix is not None
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
                illustrative=wave_kind.illustrative,
                basis=wave_kind.basis.value,
                reproduces=wave_kind.reproduces,
                provenance_mix=wave_kind.mix.by_kind(),
                report_differs=list(wave_kind.differs),
                uploaded_by=uploaded_by[:200],
                uploaded_at=utc_now(),
                sha256=sha,
                original_filename=filename[:255],
                file_id=file_pk,
                area_count=len(survey.areas),
                programme_count=len(survey.programmes),
                sealed=False,
            )
        )
    )
    insert_records(conn, wave_pk, survey)
    seal(conn, wave_pk)  # last: once sealed, the triggers refuse any row for this wave
    return wave_pk


def _new_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
