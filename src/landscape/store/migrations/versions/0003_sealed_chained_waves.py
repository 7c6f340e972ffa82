"""Tamper-evident waves: a chained content hash per wave, and triggers that refuse INSERT too.

0002 refused UPDATE and DELETE, but SQLite's INSERT OR REPLACE deletes the conflicting row without
firing delete triggers (unless recursive_triggers is on, which a tamperer's connection need not
set), and a plain INSERT could add rows to a published wave. So a wave is now born unsealed: the
publish transaction inserts its row, its file and its records, then seals it, writing its chain
hash (landscape.store.verify). The triggers refuse:

- INSERT of a sealed wave row, or of any row whose keys (id, file SHA-256, the wave it
  supersedes) are already taken, which is what REPLACE would delete;
- INSERT of an area answer or programme record unless its wave is still unsealed, or with the id
  of a stored row;
- INSERT of an archived file whose id or SHA-256 is already stored;
- UPDATE of a wave except the one sealing step (unsealed -> sealed, hash set, nothing else
  changed), and UPDATE or DELETE of anything else (0002's triggers, kept).

PostgreSQL has no REPLACE (ON CONFLICT DO UPDATE fires the UPDATE triggers); it gets the same
rules in plpgsql, and TRUNCATE (which skips row triggers) is refused too.

Waves stored before this migration are sealed here with their hashes computed in id order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MESSAGE = "published survey waves are never changed or deleted: publish a correction instead"
RAISE = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
# The wave row's columns as of this revision, bar the two the sealing step sets (frozen here).
WAVE_COLUMNS = (
    "id",
    "label",
    "survey_date",
    "version",
    "supersedes_id",
    "status",
    "kind",
    "area_code",
    "illustrative",
    "uploaded_by",
    "uploaded_at",
    "sha256",
    "original_filename",
    "file_id",
    "area_count",
    "programme_count",
)
RECORD_TABLES = ("area_answers", "programme_records")
PROTECTED = ("wave_files", "waves", *RECORD_TABLES)


def _sqlite_triggers() -> dict[str, str]:
    unchanged = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in WAVE_COLUMNS)
    triggers = {
        "waves_update_only_to_seal": (
            "CREATE TRIGGER waves_update_only_to_seal BEFORE UPDATE ON waves "
            "WHEN NOT (OLD.sealed = 0 AND NEW.sealed = 1 AND NEW.chain_sha256 IS NOT NULL "
            f"AND {unchanged}) {RAISE}"
        ),
        "waves_insert_unsealed_only": (
            "CREATE TRIGGER waves_insert_unsealed_only BEFORE INSERT ON waves "  # noqa: S608
            "WHEN NEW.sealed IS NOT 0 OR EXISTS (SELECT 1 FROM waves WHERE id = NEW.id "
            f"OR sha256 = NEW.sha256 OR supersedes_id = NEW.supersedes_id) {RAISE}"
        ),
        "wave_files_insert_new_only": (
            "CREATE TRIGGER wave_files_insert_new_only BEFORE INSERT ON wave_files "  # noqa: S608
            f"WHEN EXISTS (SELECT 1 FROM wave_files WHERE id = NEW.id OR sha256 = NEW.sha256) "
            f"{RAISE}"
        ),
    }
    for table in RECORD_TABLES:
        triggers[f"{table}_insert_unsealed_only"] = (
            f"CREATE TRIGGER {table}_insert_unsealed_only BEFORE INSERT ON {table} "  # noqa: S608
            "WHEN NOT EXISTS (SELECT 1 FROM waves WHERE id = NEW.wave_id AND sealed = 0) "
            f"OR EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) {RAISE}"
        )
    return triggers


def _postgresql_statements() -> list[str]:
    old = ", ".join(f"OLD.{c}" for c in WAVE_COLUMNS)
    new = ", ".join(f"NEW.{c}" for c in WAVE_COLUMNS)
    refuse = f"RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"
    statements = [
        "CREATE TRIGGER waves_no_delete BEFORE DELETE ON waves "
        "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_change()",
        "CREATE FUNCTION landscape_waves_update_only_to_seal() RETURNS trigger AS $$ BEGIN "
        "IF OLD.sealed OR NOT NEW.sealed OR NEW.chain_sha256 IS NULL "
        f"OR ({new}) IS DISTINCT FROM ({old}) THEN {refuse} END IF; "
        "RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER waves_update_only_to_seal BEFORE UPDATE ON waves "
        "FOR EACH ROW EXECUTE FUNCTION landscape_waves_update_only_to_seal()",
        "CREATE FUNCTION landscape_waves_insert_unsealed_only() RETURNS trigger AS $$ BEGIN "
        f"IF NEW.sealed THEN {refuse} END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER waves_insert_unsealed_only BEFORE INSERT ON waves "
        "FOR EACH ROW EXECUTE FUNCTION landscape_waves_insert_unsealed_only()",
        "CREATE FUNCTION landscape_insert_into_unsealed_wave_only() RETURNS trigger AS $$ BEGIN "  # noqa: S608
        "IF NOT EXISTS (SELECT 1 FROM waves WHERE id = NEW.wave_id AND NOT sealed) "
        f"THEN {refuse} END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    ]
    statements += [
        f"CREATE TRIGGER {table}_insert_unsealed_only BEFORE INSERT ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION landscape_insert_into_unsealed_wave_only()"
        for table in RECORD_TABLES
    ]
    statements += [
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION landscape_refuse_change()"
        for table in PROTECTED
    ]
    return statements


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # The old blanket UPDATE trigger on waves goes first: sealing the stored waves is an UPDATE.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS waves_no_update")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS waves_no_change ON waves")
    op.add_column(
        "waves", sa.Column("sealed", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("waves", sa.Column("chain_sha256", sa.String(64), nullable=True))
    _seal_stored_waves(op.get_bind())
    if dialect == "sqlite":
        for sql in _sqlite_triggers().values():
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in _postgresql_statements():
            op.execute(sql)


def _seal_stored_waves(conn: sa.Connection) -> None:
    """Hash every stored wave in id order, each chained to the one before (see verify.py)."""
    from landscape.store.verify import GENESIS, chain_hash

    waves = sa.table(
        "waves", sa.column("id"), sa.column("sealed", sa.Boolean), sa.column("chain_sha256")
    )
    previous = GENESIS
    for (pk,) in conn.execute(sa.select(waves.c.id).order_by(waves.c.id)).all():
        previous = chain_hash(conn, pk, previous)
        conn.execute(
            waves.update().where(waves.c.id == pk).values(sealed=True, chain_sha256=previous)
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for table in PROTECTED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        for table in RECORD_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_insert_unsealed_only ON {table}")
        for name in ("waves_no_delete", "waves_update_only_to_seal", "waves_insert_unsealed_only"):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON waves")
        for function in (
            "landscape_waves_update_only_to_seal",
            "landscape_waves_insert_unsealed_only",
            "landscape_insert_into_unsealed_wave_only",
        ):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    op.drop_column("waves", "chain_sha256")
    op.drop_column("waves", "sealed")
    if dialect == "sqlite":
        op.execute(f"CREATE TRIGGER waves_no_update BEFORE UPDATE ON waves {RAISE}")
    elif dialect == "postgresql":
        op.execute(
            "CREATE TRIGGER waves_no_change BEFORE UPDATE OR DELETE ON waves "
            "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_change()"
        )
