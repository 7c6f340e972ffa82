"""Waves, archived files, area answers, programme records, failed sign-ins.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wave_files",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_wave_files"),
        sa.UniqueConstraint("sha256", name="uq_wave_files_sha256"),
    )
    op.create_table(
        "waves",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("survey_date", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("supersedes_id", sa.Integer, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("area_code", sa.String(9), nullable=True),
        sa.Column("illustrative", sa.Boolean, nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("original_filename", sa.String(255), nullable=False),
        sa.Column("file_id", sa.Integer, nullable=False),
        sa.Column("area_count", sa.Integer, nullable=False),
        sa.Column("programme_count", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_waves"),
        sa.ForeignKeyConstraint(
            ["supersedes_id"], ["waves.id"], name="fk_waves_supersedes_id_waves"
        ),
        sa.ForeignKeyConstraint(["file_id"], ["wave_files.id"], name="fk_waves_file_id_wave_files"),
        sa.UniqueConstraint("supersedes_id", name="uq_waves_supersedes_id"),
        sa.UniqueConstraint("sha256", name="uq_waves_sha256"),
        sa.CheckConstraint("version >= 1", name="ck_waves_version_positive"),
    )
    op.create_table(
        "area_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("wave_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_area_answers"),
        sa.ForeignKeyConstraint(["wave_id"], ["waves.id"], name="fk_area_answers_wave_id_waves"),
        sa.UniqueConstraint("wave_id", "area_code", name="uq_area_answers_wave_id_area_code"),
    )
    op.create_index("ix_area_answers_wave_id", "area_answers", ["wave_id"])
    op.create_table(
        "programme_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("wave_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("area_code", sa.String(9), nullable=False),
        sa.Column("programme_name", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_programme_records"),
        sa.ForeignKeyConstraint(
            ["wave_id"], ["waves.id"], name="fk_programme_records_wave_id_waves"
        ),
    )
    op.create_index("ix_programme_records_wave_id", "programme_records", ["wave_id"])
    op.create_table(
        "failed_sign_ins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(200), nullable=False),
        sa.Column("client", sa.String(200), nullable=False),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_failed_sign_ins"),
    )
    op.create_index("ix_failed_sign_ins_username", "failed_sign_ins", ["username"])
    op.create_index("ix_failed_sign_ins_client", "failed_sign_ins", ["client"])
    op.create_index("ix_failed_sign_ins_attempted_at", "failed_sign_ins", ["attempted_at"])


def downgrade() -> None:
    for table in ("failed_sign_ins", "programme_records", "area_answers", "waves", "wave_files"):
        op.drop_table(table)
