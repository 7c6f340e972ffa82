"""Survey rounds: the round, each area office's versioned returns, and what became of them.

A return version is never overwritten (a new upload is a new version) and an event (submitted,
accepted, reopened) is never changed, so the database refuses UPDATE and DELETE of both, as 0002
does for published waves. The round row itself changes once, when it is published.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

APPEND_ONLY = ("round_returns", "round_events")
MESSAGE = "survey returns are never changed or deleted: upload a new version instead"


def upgrade() -> None:
    op.create_table(
        "survey_rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("period", sa.String(100), nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.Column("survey_date", sa.Date, nullable=True),
        sa.Column("questions", sa.JSON, nullable=False),
        sa.Column("opened_by", sa.String(200), nullable=False),
        sa.Column("opened_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("wave_id", sa.Integer, nullable=True),
        sa.Column("published_by", sa.String(200), nullable=True),
        sa.Column("published_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_survey_rounds"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], name="fk_survey_rounds_wave_id_waves"),
    )
    op.create_table(
        "round_returns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("round_id", sa.Integer, nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("records", sa.JSON, nullable=False),
        sa.Column("ignored", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_round_returns"),
        sa.ForeignKeyConstraint(
            ["round_id"], ["survey_rounds.id"], name="fk_round_returns_round_id_survey_rounds"
        ),
        sa.UniqueConstraint(
            "round_id", "area_code", "version", name="uq_round_returns_round_id_area_code_version"
        ),
    )
    op.create_table(
        "round_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("return_id", sa.Integer, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_round_events"),
        sa.ForeignKeyConstraint(
            ["return_id"], ["round_returns.id"], name="fk_round_events_return_id_round_returns"
        ),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in APPEND_ONLY:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION landscape_refuse_return_change() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END $$ LANGUAGE plpgsql"
        )
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_return_change()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS landscape_refuse_return_change()")
    op.drop_table("round_events")
    op.drop_table("round_returns")
    op.drop_table("survey_rounds")
