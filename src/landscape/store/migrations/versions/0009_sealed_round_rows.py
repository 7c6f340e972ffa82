"""Survey round rows sealed like waves: a chained `row_sha256` on every row of the three round
tables (store/round_seals.py), and triggers that refuse REPLACE of a return or an event, any
change of a round but the one that publishes it, and TRUNCATE of any of them on PostgreSQL.

Rows stored before this migration are hashed here, in id order, as they stand.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from landscape.store import round_seals

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEALS_ROUND_ROWS = True  # round_seals.MARKER: how verify knows this migration has run

_NEW_SQLITE = (
    "round_returns_insert_new_only",
    "round_events_insert_new_only",
    "survey_rounds_insert_new_only",
    "survey_rounds_no_delete",
    "survey_rounds_update_only_to_publish",
)
_NEW_POSTGRESQL = tuple(
    key for key in round_seals.POSTGRESQL_TRIGGERS if not key[1].endswith("_no_change")
)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in round_seals.ROUND_TABLES:
        op.add_column(table, sa.Column("row_sha256", sa.String(64), nullable=True))
    # 0007's triggers refuse the UPDATE that hashes the stored rows: off while it runs
    if dialect == "sqlite":
        for table in round_seals.RETURN_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    elif dialect == "postgresql":
        for table in round_seals.RETURN_TABLES:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_change")
    _seal_stored_rows(op.get_bind())
    if dialect == "sqlite":
        triggers = round_seals.sqlite_triggers()
        for table in round_seals.RETURN_TABLES:
            op.execute(triggers[f"{table}_no_update"])
        for name in _NEW_SQLITE:
            op.execute(triggers[name])
    elif dialect == "postgresql":
        for table in round_seals.RETURN_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_change")
        for function in ("landscape_refuse_round_change", "landscape_round_update_only_to_publish"):
            op.execute(
                f"CREATE FUNCTION {function}() RETURNS trigger AS $$ "
                f"{round_seals.POSTGRESQL_FUNCTIONS[function]} $$ LANGUAGE plpgsql"
            )
        for table, name in _NEW_POSTGRESQL:
            op.execute(round_seals.postgresql_trigger_sql(table, name))


def _seal_stored_rows(conn: sa.Connection) -> None:
    for name in round_seals.ROUND_TABLES:
        table = sa.Table(name, sa.MetaData(), autoload_with=conn)
        previous = round_seals.GENESIS
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings().all():
            previous = round_seals.row_hash(name, row, previous)
            conn.execute(table.update().where(table.c.id == row["id"]).values(row_sha256=previous))


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _NEW_SQLITE:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for table in round_seals.RETURN_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
    elif dialect == "postgresql":
        for table, name in _NEW_POSTGRESQL:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for function in ("landscape_refuse_round_change", "landscape_round_update_only_to_publish"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
        for table in round_seals.RETURN_TABLES:
            op.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_no_change")
    for table in round_seals.ROUND_TABLES:
        op.drop_column(table, "row_sha256")
    if dialect == "sqlite":
        triggers = round_seals.sqlite_triggers()
        for table in round_seals.RETURN_TABLES:
            op.execute(triggers[f"{table}_no_update"])
    elif dialect == "postgresql":
        for table in round_seals.RETURN_TABLES:
            op.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_no_change")
