"""Labs as written: a comparator ("< 0.5"), and units as long as "mL/min/1.73 m²".

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lab_entries") as batch:
        batch.alter_column(
            "unit", existing_type=sa.String(10), type_=sa.String(20), existing_nullable=False
        )
        batch.add_column(sa.Column("comparator", sa.String(2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("lab_entries") as batch:
        batch.drop_column("comparator")
        batch.alter_column(
            "unit", existing_type=sa.String(20), type_=sa.String(10), existing_nullable=False
        )
