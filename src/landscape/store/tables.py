"""The store's tables, declared once for queries (the migrations freeze each version's DDL).

A wave is one published version of a survey. Its original upload is archived byte for byte in
`wave_files`; its validated records live one row each in `area_answers` and `programme_records`,
as a JSON object of the survey's typed columns (CHOICES as lists, dates as ISO text), so that a
schema column added later needs no table change and a stored wave loads back into an identical
Survey.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

wave_files = sa.Table(
    "wave_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

waves = sa.Table(
    "waves",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("survey_date", sa.Date, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    # A correction supersedes exactly one earlier version, and a version is superseded at most
    # once (unique), so two corrections racing for the same wave cannot both win.
    sa.Column("supersedes_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=True, unique=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("area_code", sa.String(9), nullable=True),
    sa.Column("illustrative", sa.Boolean, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("original_filename", sa.String(255), nullable=False),
    sa.Column("file_id", sa.Integer, sa.ForeignKey("wave_files.id"), nullable=False),
    sa.Column("area_count", sa.Integer, nullable=False),
    sa.Column("programme_count", sa.Integer, nullable=False),
    # A wave is born unsealed and sealed, with its chained content hash, in the transaction that
    # publishes it; triggers refuse rows for sealed waves (migration 0003, store/verify.py).
    sa.Column("sealed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("chain_sha256", sa.String(64), nullable=True),
    # What the wave is (landscape.model.wave_kind): illustrative / reported / sourced / mixed,
    # and the published report it is tied to. NULL on waves stored before migration 0006.
    sa.Column("basis", sa.String(16), nullable=True),
    sa.Column("reproduces", sa.String(40), nullable=True),
    # Its values by provenance ({"Published": n, "Sourced": n, ...}) and the ids of its report's
    # figures it no longer gives (migration 0008); NULL on waves stored before.
    sa.Column("provenance_mix", sa.JSON, nullable=True),
    sa.Column("report_differs", sa.JSON, nullable=True),
    sa.CheckConstraint("version >= 1", name="version_positive"),
)

area_answers = sa.Table(
    "area_answers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("area_code", sa.String(9), nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
    sa.UniqueConstraint("wave_id", "area_code"),
)

programme_records = sa.Table(
    "programme_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("area_code", sa.String(9), nullable=False),
    sa.Column("programme_name", sa.Text, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
)

# Each value's provenance (the survey's Provenance sheet), one JSON record per row in upload order,
# so a wave keeps its citations when stored (migration 0005). Protected like the records above.
provenance_records = sa.Table(
    "provenance_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("record", sa.JSON, nullable=False),
)

failed_sign_ins = sa.Table(
    "failed_sign_ins",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(200), nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False, index=True),
    sa.Column("attempted_at", sa.DateTime, nullable=False, index=True),
)

# A survey round (store/rounds.py): opened by an administrator, returned by each area office as
# versioned drafts, published as one wave. Return versions and their events are only ever added.
survey_rounds = sa.Table(
    "survey_rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("label", sa.String(200), nullable=False),
    sa.Column("period", sa.String(100), nullable=False),
    sa.Column("deadline", sa.Date, nullable=False),
    sa.Column("survey_date", sa.Date, nullable=True),
    sa.Column("questions", sa.JSON, nullable=False),
    sa.Column("opened_by", sa.String(200), nullable=False),
    sa.Column("opened_at", sa.DateTime, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("wave_id", sa.Integer, sa.ForeignKey("waves.id"), nullable=True),
    sa.Column("published_by", sa.String(200), nullable=True),
    sa.Column("published_at", sa.DateTime, nullable=True),
    # the row's chained hash (store/round_seals.py), written with it; NULL only before 0009
    sa.Column("row_sha256", sa.String(64), nullable=True),
)

round_returns = sa.Table(
    "round_returns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("round_id", sa.Integer, sa.ForeignKey("survey_rounds.id"), nullable=False),
    sa.Column("area_code", sa.String(9), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    sa.Column("uploaded_at", sa.DateTime, nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("records", sa.JSON, nullable=False),
    sa.Column("ignored", sa.JSON, nullable=False),
    sa.Column("row_sha256", sa.String(64), nullable=True),
    sa.UniqueConstraint("round_id", "area_code", "version"),
)

round_events = sa.Table(
    "round_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("return_id", sa.Integer, sa.ForeignKey("round_returns.id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("row_sha256", sa.String(64), nullable=True),
)

# Accounts kept in the database (store/accounts.py, `landscape accounts`): password accounts and
# OpenID Connect email mappings, their one-time set-password codes (SHA-256 only), and the audit
# trail of every change, which is only ever added to.
accounts = sa.Table(
    "accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(254), nullable=False, unique=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("area_code", sa.String(9), nullable=True),
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("created_by", sa.String(254), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("changed_at", sa.DateTime, nullable=False),
)

account_codes = sa.Table(
    "account_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id"), nullable=False),
    sa.Column("code_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("issued_by", sa.String(254), nullable=False),
    sa.Column("issued_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
    sa.Column("used_at", sa.DateTime, nullable=True),
)

account_events = sa.Table(
    "account_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("account", sa.String(254), nullable=False, index=True),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("actor", sa.String(254), nullable=False),
    sa.Column("via", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("detail", sa.String(500), nullable=False),
)

DATA_TABLES = (
    wave_files,
    waves,
    area_answers,
    programme_records,
    failed_sign_ins,
    survey_rounds,
    round_returns,
    round_events,
    accounts,
    account_codes,
    account_events,
)
