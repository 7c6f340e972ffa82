"""What each wave's values are: the count of its values by provenance, and the figures of its
report it no longer gives, recorded when it is published (landscape.model.composition).

A wave's kind is derived from these, never claimed by its uploader. Both columns are nullable and
not backfilled (the published-rows triggers refuse any UPDATE of a stored wave): a wave stored
before this revision has NULL here and its kind is completed from its values when read
(composition.complete_kind). The chain hash covers both where they are set (store/verify.py).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not batch_alter_table: a batch copy of `waves` would fire its triggers (0006)
    op.add_column("waves", sa.Column("provenance_mix", sa.JSON, nullable=True))
    op.add_column("waves", sa.Column("report_differs", sa.JSON, nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE waves DROP COLUMN report_differs")
    op.execute("ALTER TABLE waves DROP COLUMN provenance_mix")
