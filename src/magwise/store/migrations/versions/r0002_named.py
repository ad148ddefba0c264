"""Products and waters a person names once and reuses; the dose plans they follow.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _table(name: str, *columns: sa.Column[object], unique_name: bool = True) -> None:
    constraints: list[sa.Constraint] = [sa.PrimaryKeyConstraint("id", name=f"pk_{name}")]
    if unique_name:
        constraints.append(sa.UniqueConstraint("person_id", "name", name=f"uq_{name}_person_id"))
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("persons.id", ondelete="CASCADE", name=f"fk_{name}_person_id_persons"),
            nullable=False,
        ),
        *columns,
        *constraints,
    )
    op.create_index(f"ix_{name}_person_id", name, ["person_id"])


def upgrade() -> None:
    _table(
        "products",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("form", sa.String(40), nullable=True),
        sa.Column("elemental_mg_per_unit", sa.Float(), nullable=False),
    )
    _table(
        "waters",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("mg_per_liter", sa.Float(), nullable=False),
    )
    _table(
        "plans",
        sa.Column("started", sa.Date(), nullable=False),
        sa.Column("stopped", sa.Date(), nullable=True),
        sa.Column("supplement_mg_per_day", sa.Float(), nullable=False),
        sa.Column("form", sa.String(40), nullable=False),
        unique_name=False,
    )


def downgrade() -> None:
    for table in ("plans", "waters", "products"):
        op.drop_table(table)
