"""Tamper evidence: each published wave's content hash, chained to the wave before it.

A wave's canonical content is one JSON document (keys sorted, no spaces, UTF-8) of what the store
holds for it: the wave row's own fields (label, version, the wave it supersedes, kind, area,
uploader, time, the file's name and declared SHA-256, counts, and every column added after 0003
where it is not NULL, such as 0006's basis and the report the wave reproduces: a wave sealed before
a column existed hashes as it did), the SHA-256 of the archived file's bytes, every area answer
and programme record as the store serialises them (in upload order), and `previous`: the chain
hash of the wave published before it (by id; the first wave's `previous`
is GENESIS, the empty string). The wave's chain hash is the SHA-256 of that document, written in
the publish transaction when the wave is sealed (`seal`).

`verify` recomputes every wave's hash against the STORED hash of the wave before it, so a changed
wave is named itself, and a wave whose stored hash was rewritten to match changed content breaks
the next wave's link. It also checks that the database's immutability triggers (migrations 0002
and 0003) are all there, unaltered and enabled. Deleting the newest wave leaves no broken link:
record the chain head `landscape verify` prints somewhere else to detect that.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from landscape.errors import Problem
from landscape.store import round_seals
from landscape.store.engine import revisions_since
from landscape.store.errors import StoreError
from landscape.store.round_seals import check_round_rows
from landscape.store.tables import (
    area_answers,
    programme_records,
    provenance_records,
    wave_files,
    waves,
)
from landscape.text import printable

GENESIS = ""
"""The `previous` hash of the first wave in a database."""

# The wave row's columns as of migration 0003, which the hash always covers (the chain hash and
# the sealed flag are its result). A column added to `waves` later is covered where it is not NULL,
# so the hashes of waves stored before it (NULL there) stay as they were.
_SEALED_COLUMNS = frozenset({"sealed", "chain_sha256"})
_WAVE_FIELDS = (
    waves.c.id,
    waves.c.label,
    waves.c.survey_date,
    waves.c.version,
    waves.c.supersedes_id,
    waves.c.status,
    waves.c.kind,
    waves.c.area_code,
    waves.c.illustrative,
    waves.c.uploaded_by,
    waves.c.uploaded_at,
    waves.c.sha256,
    waves.c.original_filename,
    waves.c.file_id,
    waves.c.area_count,
    waves.c.programme_count,
)
_WAVE_FIELD_NAMES = tuple(c.name for c in _WAVE_FIELDS)


# --- the chain -------------------------------------------------------------------------------


def canonical_content(conn: sa.Connection, wave_pk: int, previous: str) -> bytes:
    """The canonical JSON document of wave `wave_pk` as stored, chained to `previous`."""
    row = conn.execute(sa.select(*_WAVE_FIELDS).where(waves.c.id == wave_pk)).mappings().one()
    wave = {key: _json_scalar(value) for key, value in row.items()}
    wave.update(_later_columns(conn, wave_pk))
    content = conn.execute(
        sa.select(wave_files.c.content).where(wave_files.c.id == row["file_id"])
    ).scalar_one_or_none()
    answers = conn.execute(
        sa.select(area_answers.c.position, area_answers.c.area_code, area_answers.c.record)
        .where(area_answers.c.wave_id == wave_pk)
        .order_by(area_answers.c.position, area_answers.c.id)
    ).mappings()
    programmes = conn.execute(
        sa.select(
            programme_records.c.position,
            programme_records.c.area_code,
            programme_records.c.programme_name,
            programme_records.c.record,
        )
        .where(programme_records.c.wave_id == wave_pk)
        .order_by(programme_records.c.position, programme_records.c.id)
    ).mappings()
    document = {
        "previous": previous,
        "wave": wave,
        "file_sha256": hashlib.sha256(bytes(content)).hexdigest() if content is not None else None,
        "area_answers": [dict(r) for r in answers],
        "programme_records": [dict(r) for r in programmes],
    }
    provenance = _provenance_rows(conn, wave_pk)
    if provenance:  # only when there are any: hashes of waves stored before 0005 stay as they were
        document["provenance_records"] = provenance
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _later_columns(conn: sa.Connection, wave_pk: int) -> dict[str, Any]:
    """The wave's values in columns added after 0003 (read as the database holds them), if set."""
    later = [
        c["name"]
        for c in sa.inspect(conn).get_columns("waves")
        if c["name"] not in _WAVE_FIELD_NAMES and c["name"] not in _SEALED_COLUMNS
    ]
    if not later:
        return {}
    columns: list[sa.ColumnClause[Any]] = [sa.column(name) for name in later]
    row = conn.execute(
        sa.select(*columns).select_from(sa.table("waves")).where(sa.column("id") == wave_pk)
    ).one()
    return {
        name: _json_scalar(value)
        for name, value in zip(later, row, strict=True)
        if value is not None
    }


def _provenance_rows(conn: sa.Connection, wave_pk: int) -> list[dict[str, Any]]:
    """The wave's stored per-value provenance (none before migration 0005 made its table)."""
    if not sa.inspect(conn).has_table(provenance_records.name):
        return []
    rows = conn.execute(
        sa.select(provenance_records.c.position, provenance_records.c.record)
        .where(provenance_records.c.wave_id == wave_pk)
        .order_by(provenance_records.c.position, provenance_records.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def chain_hash(conn: sa.Connection, wave_pk: int, previous: str) -> str:
    """The SHA-256 (hex) of wave `wave_pk`'s canonical content chained to `previous`."""
    return hashlib.sha256(canonical_content(conn, wave_pk, previous)).hexdigest()


def previous_hash(conn: sa.Connection, wave_pk: int) -> str:
    """The stored chain hash of the sealed wave published just before `wave_pk` (or GENESIS)."""
    stored = conn.execute(
        sa.select(waves.c.chain_sha256)
        .where(waves.c.id < wave_pk, waves.c.sealed.is_(True))
        .order_by(waves.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return stored or GENESIS


def seal(conn: sa.Connection, wave_pk: int) -> str:
    """Write wave `wave_pk`'s chain hash and seal it: from then on the triggers refuse any change
    to it or its records. Call inside the transaction that inserted them."""
    digest = chain_hash(conn, wave_pk, previous_hash(conn, wave_pk))
    conn.execute(
        waves.update().where(waves.c.id == wave_pk).values(sealed=True, chain_sha256=digest)
    )
    return digest


# --- checking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveCheck:
    """One wave's stored chain hash beside the one its stored content gives now."""

    wave_id: str
    label: str
    sealed: bool
    stored: str | None
    computed: str

    @property
    def ok(self) -> bool:
        return self.sealed and self.stored == self.computed

    @property
    def problem(self) -> str:
        if not self.sealed:
            return "was never sealed (a publish did not finish, or a row was added by hand)"
        return "no longer matches its published hash: its content or the chain before it changed"


@dataclass(frozen=True)
class Verification:
    checks: tuple[WaveCheck, ...]
    trigger_problems: tuple[str, ...]
    round_problems: tuple[str, ...] = ()
    """Survey round rows whose chained hash no longer holds (store/round_seals.py)."""

    @property
    def ok(self) -> bool:
        return (
            not self.trigger_problems and not self.round_problems and all(c.ok for c in self.checks)
        )

    @property
    def wave_count(self) -> int:
        return sum(c.sealed for c in self.checks)

    @property
    def head_token(self) -> str:
        """The chain head as an operator records it: `COUNT:HASH` (the sealed waves and the
        newest one's chain hash), for `landscape verify --expect`."""
        return f"{self.wave_count}:{self.head or '-'}"

    def expect(self, token: str) -> str | None:
        """Why this chain is not the one whose head was recorded as `token` (None: it is, or
        it has grown from it by new waves only). Any rewrite of a wave up to the recorded one,
        even with every hash recomputed, changes that wave's hash; deleting waves shortens it."""
        count_text, _, digest = token.strip().partition(":")
        if not count_text.isdigit() or not digest:
            return f"{token!r} is not a chain head: give it as `landscape verify` printed it"
        count = int(count_text)
        sealed = [c for c in self.checks if c.sealed]
        if count > len(sealed):
            return (
                f"the recorded head names {count} wave(s) but the database holds "
                f"{len(sealed)}: waves were deleted"
            )
        found = sealed[count - 1].stored if count else GENESIS
        if (found or GENESIS) != (digest if digest != "-" else GENESIS):
            return (
                f"wave {count}'s chain hash is {found or '-'}, not the recorded {digest}: "
                "the waves up to it were rewritten"
            )
        return None

    @property
    def broken(self) -> tuple[WaveCheck, ...]:
        return tuple(c for c in self.checks if not c.ok)

    @property
    def head(self) -> str:
        """The newest wave's stored chain hash: record it elsewhere to detect a deleted tail."""
        return next((c.stored or "" for c in reversed(self.checks) if c.sealed), GENESIS)

    def verified(self) -> dict[str, bool]:
        """wave_id -> whether it verifies (every wave is unverified if a trigger is missing)."""
        return {c.wave_id: c.ok and not self.trigger_problems for c in self.checks}

    def problems(self) -> list[Problem]:
        found = [
            Problem(sheet="triggers", cell=None, value=None, message=text, fix="")
            for text in self.trigger_problems
        ]
        found += [
            Problem(
                sheet="rounds",
                cell=None,
                value=None,
                message=text,
                fix="restore a backup that verifies",
            )
            for text in self.round_problems
        ]
        found += [
            Problem(
                sheet="waves",
                cell=None,
                value=c.wave_id,
                message=f"wave {c.wave_id} ({printable(c.label)}) {c.problem}",
                fix="restore a backup that verifies",
            )
            for c in self.broken
        ]
        return found


class NotVerified(StoreError):
    """The database's waves or its immutability triggers do not verify."""

    def __init__(self, where: str, verification: Verification) -> None:
        names = ", ".join(c.wave_id for c in verification.broken)
        parts = []
        if verification.trigger_problems:
            parts.append("its immutability triggers were dropped or altered")
        if names:
            parts.append(f"wave(s) {names} no longer match their published hashes")
        if verification.round_problems:
            parts.append(
                f"{len(verification.round_problems)} survey round row(s) no longer match "
                "their hashes"
            )
        super().__init__(
            f"{where} does not verify: {' and '.join(parts)}",
            fix="Nothing was changed. Use a backup that `landscape verify` accepts",
            problems=verification.problems(),
        )


def verify(conn: sa.Connection) -> Verification:
    """Recompute every wave's chain hash and check the triggers (see the module docstring)."""
    rows = conn.execute(
        sa.select(waves.c.id, waves.c.label, waves.c.sealed, waves.c.chain_sha256).order_by(
            waves.c.id
        )
    ).all()
    checks = []
    previous = GENESIS
    for pk, label, sealed, stored in rows:
        computed = chain_hash(conn, pk, previous)
        checks.append(WaveCheck(str(pk), str(label), bool(sealed), stored, computed))
        if sealed:
            previous = stored or ""
    sealed_rounds = round_rows_sealed(conn)
    return Verification(
        tuple(checks),
        tuple(trigger_problems(conn)),
        tuple(check_round_rows(conn)) if sealed_rounds else (),
    )


def stored_head_token(conn: sa.Connection) -> str:
    """The chain head as stored (`Verification.head_token`), read without recomputing any hash."""
    count, newest = conn.execute(
        sa.select(sa.func.count(), sa.func.max(waves.c.id)).where(waves.c.sealed.is_(True))
    ).one()
    head = conn.execute(
        sa.select(waves.c.chain_sha256).where(waves.c.id == newest)
    ).scalar_one_or_none()
    return f"{int(count)}:{head or '-'}"


def round_rows_sealed(conn: sa.Connection) -> bool:
    """Whether the database's schema has the round rows' hashes and triggers (their migration,
    `round_seals.MARKER`, has run): then every one of them is checked."""
    revision = MigrationContext.configure(conn).get_current_revision()
    return revision in revisions_since(round_seals.MARKER)


def _expected_round_triggers(conn: sa.Connection) -> tuple[set[str], bool]:
    """The round tables' trigger names to expect on SQLite (0007's alone before the round rows
    are sealed; none before 0007 made the tables), and whether they are sealed."""
    if not sa.inspect(conn).has_table("round_returns"):
        return set(), False
    if round_rows_sealed(conn):
        return set(round_seals.sqlite_triggers()), True
    return {f"{t}_no_{a}" for t in round_seals.RETURN_TABLES for a in ("update", "delete")}, False


# --- the triggers -----------------------------------------------------------------------------

_RECORD_TABLES = ("area_answers", "programme_records", "provenance_records")
"""Tables of a wave's rows: no UPDATE or DELETE, INSERT only into an unsealed wave (0002, 0003,
and 0005 for provenance_records)."""
_REFUSE = "published survey waves are never changed or deleted: publish a correction instead"


def expected_sqlite_triggers() -> dict[str, str]:
    """Name -> SQL of every trigger migrations 0002, 0003 and 0005 leave on a SQLite database."""
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
    triggers = {}
    for table in ("wave_files", "waves", *_RECORD_TABLES):
        actions = ("DELETE",) if table == "waves" else ("UPDATE", "DELETE")
        for action in actions:
            name = f"{table}_no_{action.lower()}"
            triggers[name] = f"CREATE TRIGGER {name} BEFORE {action} ON {table} {raise_}"
    unchanged = " AND ".join(f"NEW.{name} IS OLD.{name}" for name in _WAVE_FIELD_NAMES)
    triggers["waves_update_only_to_seal"] = (
        "CREATE TRIGGER waves_update_only_to_seal BEFORE UPDATE ON waves "
        "WHEN NOT (OLD.sealed = 0 AND NEW.sealed = 1 AND NEW.chain_sha256 IS NOT NULL "
        f"AND {unchanged}) {raise_}"
    )
    triggers["waves_insert_unsealed_only"] = (
        "CREATE TRIGGER waves_insert_unsealed_only BEFORE INSERT ON waves "  # noqa: S608
        "WHEN NEW.sealed IS NOT 0 OR EXISTS (SELECT 1 FROM waves WHERE id = NEW.id "
        "OR sha256 = NEW.sha256 OR supersedes_id = NEW.supersedes_id) "
        f"{raise_}"
    )
    triggers["wave_files_insert_new_only"] = (
        "CREATE TRIGGER wave_files_insert_new_only BEFORE INSERT ON wave_files "  # noqa: S608
        "WHEN EXISTS (SELECT 1 FROM wave_files WHERE id = NEW.id OR sha256 = NEW.sha256) "
        f"{raise_}"
    )
    for table in _RECORD_TABLES:
        name = f"{table}_insert_unsealed_only"
        triggers[name] = (
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "  # noqa: S608
            "WHEN NOT EXISTS (SELECT 1 FROM waves WHERE id = NEW.wave_id AND sealed = 0) "
            f"OR EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) {raise_}"
        )
    return triggers


POSTGRESQL_TRIGGERS = {
    "wave_files": ("wave_files_no_change", "wave_files_no_truncate"),
    "waves": (
        "waves_no_delete",
        "waves_update_only_to_seal",
        "waves_insert_unsealed_only",
        "waves_no_truncate",
    ),
    "area_answers": (
        "area_answers_no_change",
        "area_answers_insert_unsealed_only",
        "area_answers_no_truncate",
    ),
    "programme_records": (
        "programme_records_no_change",
        "programme_records_insert_unsealed_only",
        "programme_records_no_truncate",
    ),
    "provenance_records": (
        "provenance_records_no_change",
        "provenance_records_insert_unsealed_only",
        "provenance_records_no_truncate",
    ),
}
"""Table -> the triggers migrations 0003 and 0005 leave on a PostgreSQL database (all must be
enabled)."""

_PG_REFUSE = f"RAISE EXCEPTION '{_REFUSE}' USING ERRCODE = 'integrity_constraint_violation';"


def expected_postgresql_triggers() -> dict[tuple[str, str], tuple[str, str]]:
    """(table, trigger) -> its definition (as pg_get_triggerdef gives it, table unqualified) and
    the source of the plpgsql function it runs, as migrations 0002, 0003 and 0005 create them."""
    new = ", ".join(f"NEW.{name}" for name in _WAVE_FIELD_NAMES)
    old = ", ".join(f"OLD.{name}" for name in _WAVE_FIELD_NAMES)
    bodies = {
        "landscape_refuse_change": f"BEGIN {_PG_REFUSE} END",
        "landscape_waves_update_only_to_seal": (
            "BEGIN IF OLD.sealed OR NOT NEW.sealed OR NEW.chain_sha256 IS NULL "
            f"OR ({new}) IS DISTINCT FROM ({old}) THEN {_PG_REFUSE} END IF; RETURN NEW; END"
        ),
        "landscape_waves_insert_unsealed_only": (
            f"BEGIN IF NEW.sealed THEN {_PG_REFUSE} END IF; RETURN NEW; END"
        ),
        "landscape_insert_into_unsealed_wave_only": (
            "BEGIN IF NOT EXISTS (SELECT 1 FROM waves WHERE id = NEW.wave_id AND NOT sealed) "  # noqa: S608
            f"THEN {_PG_REFUSE} END IF; RETURN NEW; END"
        ),
    }
    kinds = {
        "no_change": ("BEFORE DELETE OR UPDATE", "ROW", "landscape_refuse_change"),
        "no_truncate": ("BEFORE TRUNCATE", "STATEMENT", "landscape_refuse_change"),
        "no_delete": ("BEFORE DELETE", "ROW", "landscape_refuse_change"),
        "update_only_to_seal": ("BEFORE UPDATE", "ROW", "landscape_waves_update_only_to_seal"),
        "insert_unsealed_only": (
            "BEFORE INSERT",
            "ROW",
            "landscape_insert_into_unsealed_wave_only",
        ),
    }
    expected = {}
    for table, names in POSTGRESQL_TRIGGERS.items():
        for name in names:
            when, each, function = kinds[name.removeprefix(f"{table}_")]
            if name == "waves_insert_unsealed_only":
                function = "landscape_waves_insert_unsealed_only"
            definition = (
                f"CREATE TRIGGER {name} {when} ON {table} FOR EACH {each} "
                f"EXECUTE FUNCTION {function}()"
            )
            expected[(table, name)] = (definition, bodies[function])
    return expected


def trigger_problems(conn: sa.Connection) -> list[str]:
    """What is wrong with the immutability triggers: one sentence each (none: all intact)."""
    if conn.dialect.name == "sqlite":
        found = {
            str(name): _normalised(str(sql))
            for name, sql in conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
            )
        }
        names, _ = _expected_round_triggers(conn)
        rounds = round_seals.sqlite_triggers()
        expected = {**expected_sqlite_triggers(), **{n: rounds[n] for n in names}}
        return _compare_sqlite(found, expected)
    if conn.dialect.name == "postgresql":
        installed = {
            (str(table), str(name)): (
                _unqualified(str(definition), str(table)),
                _normalised(str(source)),
            )
            for table, name, definition, source in conn.exec_driver_sql(
                "SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), p.prosrc FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND t.tgenabled IN ('O', 'A') "
                "AND c.relnamespace = current_schema()::regnamespace"
            )
        }
        problems = []
        wanted = expected_postgresql_triggers()
        if sa.inspect(conn).has_table("round_returns"):
            round_triggers = round_seals.expected_postgresql_triggers()
            if not round_rows_sealed(conn):
                round_triggers = {
                    k: v for k, v in round_triggers.items() if k[1].endswith("_no_change")
                }
            wanted.update(round_triggers)
        for (table, name), (definition, body) in wanted.items():
            if (table, name) not in installed:
                problems.append(f"the trigger {name} on {table} is missing or disabled")
            elif installed[(table, name)] != (definition, body):  # its event, condition or function
                problems.append(f"the trigger {name} on {table} was altered")
        return problems
    return []


def _unqualified(definition: str, table: str) -> str:
    """pg_get_triggerdef's text with the table's schema dropped (`ON public.waves` -> `ON
    waves`), so the check does not depend on the search path."""
    return re.sub(rf" ON (?:\w+\.)?{re.escape(table)} ", f" ON {table} ", _normalised(definition))


def _compare_sqlite(found: dict[str, str], expected: dict[str, str]) -> list[str]:
    problems = []
    for name, sql in expected.items():
        if name not in found:
            problems.append(f"the trigger {name} is missing")
        elif found[name] != _normalised(sql):
            problems.append(f"the trigger {name} was altered")
    return problems


def _normalised(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def _json_scalar(value: Any) -> Any:
    """Dates and times as ISO text (as the database returns them); everything else as it is."""
    return value.isoformat() if hasattr(value, "isoformat") else value
