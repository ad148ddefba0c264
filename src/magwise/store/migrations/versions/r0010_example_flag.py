"""Which rows are the example log: a flag, so that removing the example removes
only it and never the person's own entries written on top of it.

Every row before this revision is the person's own (``false``).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

#: The tables the example log writes to.
TABLES = ("entries", "profiles", "plans", "products", "waters")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(
            table,
            sa.Column("example", sa.Boolean(), nullable=False, server_default=sa.false()),
        )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("example")
