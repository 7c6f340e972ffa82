"""Per-value provenance is stored with its wave: one `provenance_records` row per row of the
survey's Provenance sheet (a JSON record, in upload order), so a published wave keeps each value's
Published / Sourced / Reported / Illustrative mark and its citation when it is loaded back.

The rows are a wave's content like its answers: the chain hash covers them (landscape.store.verify)
and the same triggers as 0002 and 0003 refuse UPDATE, DELETE, TRUNCATE and INSERT into a sealed
wave. Waves stored before this revision are not backfilled (their waves are sealed): they load
with no Provenance rows, that is every value at its row's default.

Revision ID: 0005
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "provenance_records"
MESSAGE = "published survey waves are never changed or deleted: publish a correction instead"
RAISE = f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"


def _sqlite_triggers() -> dict[str, str]:
    triggers = {
        f"{TABLE}_no_{action.lower()}": f"CREATE TRIGGER {TABLE}_no_{action.lower()} "
        f"BEFORE {action} ON {TABLE} {RAISE}"
        for action in ("UPDATE", "DELETE")
    }
    triggers[f"{TABLE}_insert_unsealed_only"] = (
        f"CREATE TRIGGER {TABLE}_insert_unsealed_only BEFORE INSERT ON {TABLE} "  # noqa: S608
        "WHEN NOT EXISTS (SELECT 1 FROM waves WHERE id = NEW.wave_id AND sealed = 0) "
        f"OR EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) {RAISE}"
    )
    return triggers


def _postgresql_statements() -> list[str]:
    # the functions of 0002 (landscape_refuse_change) and 0003 (insert into unsealed wave only)
    return [
        f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_change()",
        f"CREATE TRIGGER {TABLE}_insert_unsealed_only BEFORE INSERT ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION landscape_insert_into_unsealed_wave_only()",
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        "FOR EACH STATEMENT EXECUTE FUNCTION landscape_refuse_change()",
    ]


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("wave_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], name=f"fk_{TABLE}_wave_id_waves"),
    )
    op.create_index(f"ix_{TABLE}_wave_id", TABLE, ["wave_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for sql in _sqlite_triggers().values():
            op.execute(sql)
    elif dialect == "postgresql":
        for sql in _postgresql_statements():
            op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for name in ("no_change", "insert_unsealed_only", "no_truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_{name} ON {TABLE}")
    op.drop_index(f"ix_{TABLE}_wave_id", table_name=TABLE)
    op.drop_table(TABLE)  # SQLite drops a table's triggers with it
