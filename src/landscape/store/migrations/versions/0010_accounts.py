"""Accounts in the database (`landscape accounts`): password accounts and OpenID Connect email
mappings, their one-time set-password codes (kept only as SHA-256 digests), and an audit trail of
every change to them.

An account row changes (disabled, enabled, its password set or cleared); its audit events never
do, so the database refuses UPDATE and DELETE of `account_events`, as 0002 does for waves.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

APPEND_ONLY = "account_events"
MESSAGE = "the account audit trail is never changed or deleted"


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(254), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(254), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("changed_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("name", name="uq_accounts_name"),
        sa.CheckConstraint("kind IN ('password', 'email')", name="ck_accounts_kind"),
        sa.CheckConstraint("status IN ('active', 'disabled')", name="ck_accounts_status"),
        sa.CheckConstraint(
            "(role = 'admin' AND area_code IS NULL) OR (role = 'area' AND area_code IS NOT NULL)",
            name="ck_accounts_role_area",
        ),
        sa.CheckConstraint(
            "kind = 'password' OR password_hash IS NULL", name="ck_accounts_email_no_password"
        ),
    )
    op.create_table(
        "account_codes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account_id", sa.Integer, nullable=False),
        sa.Column("code_sha256", sa.String(64), nullable=False),
        sa.Column("issued_by", sa.String(254), nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_account_codes"),
        sa.UniqueConstraint("code_sha256", name="uq_account_codes_code_sha256"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_account_codes_account_id_accounts"
        ),
    )
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("via", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_account_events"),
    )
    op.create_index("ix_account_events_account", "account_events", ["account"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {APPEND_ONLY}_no_{action.lower()} BEFORE {action} ON "
                f"{APPEND_ONLY} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
            )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION landscape_refuse_account_event_change() RETURNS trigger AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation'; "
            "END $$ LANGUAGE plpgsql"
        )
        op.execute(
            f"CREATE TRIGGER {APPEND_ONLY}_no_change BEFORE UPDATE OR DELETE ON {APPEND_ONLY} "
            "FOR EACH ROW EXECUTE FUNCTION landscape_refuse_account_event_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_no_change ON {APPEND_ONLY}")
        op.execute("DROP FUNCTION IF EXISTS landscape_refuse_account_event_change()")
    op.drop_index("ix_account_events_account", "account_events")
    op.drop_table("account_events")
    op.drop_table("account_codes")
    op.drop_table("accounts")
