"""What each wave is: its basis (illustrative / reported / corrected) and the published report it
should reproduce, so that the report check, the calibrated banner and the downloads know their
wave (landscape.model.wave_kind).

Both columns are nullable and not backfilled: the published-rows triggers (0002, 0003) refuse any
UPDATE of a stored wave, which is the point of them. A wave stored before this revision has NULL
here and its kind is inferred from what its row does record (records.WaveRecord.wave_kind: the
seed is the calibrated illustrative wave; any other is tied to no report).

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not batch_alter_table: a batch copy of `waves` would drop and re-create the
    # table and so fire (and be refused by) its immutability triggers.
    op.add_column("waves", sa.Column("basis", sa.String(16), nullable=True))
    op.add_column("waves", sa.Column("reproduces", sa.String(40), nullable=True))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+, PostgreSQL): no table copy, so no trigger is fired
    op.execute("ALTER TABLE waves DROP COLUMN reproduces")
    op.execute("ALTER TABLE waves DROP COLUMN basis")
