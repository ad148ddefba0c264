"""Own foods from a label, saved meals, and the meal and magnesium of a food entry.

A food entry keeps the magnesium of an own food (``mg_per_100g``) from the day
it was logged, so editing or deleting the food changes no logged day.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _table(name: str, *columns: sa.Column[object]) -> None:
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
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.UniqueConstraint("person_id", "name", name=f"uq_{name}_person_id"),
    )
    op.create_index(f"ix_{name}_person_id", name, ["person_id"])


def upgrade() -> None:
    _table(
        "own_foods",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_de", sa.String(200), nullable=True),
        sa.Column("name_en", sa.String(200), nullable=True),
        sa.Column("mg_per_100g", sa.Float(), nullable=False),
        sa.Column("kcal_per_100g", sa.Float(), nullable=True),
        sa.Column("barcode", sa.String(40), nullable=True),
        sa.Column("portion", sa.String(200), nullable=True),
        sa.Column("portion_grams", sa.Float(), nullable=True),
    )
    _table(
        "meals",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("items", sa.Text(), nullable=False),
    )
    with op.batch_alter_table("food_entries") as batch:
        batch.add_column(sa.Column("mg_per_100g", sa.Float(), nullable=True))
        batch.add_column(sa.Column("meal", sa.String(10), nullable=True))
        batch.alter_column(  # "own:N" beside 5-digit NDB numbers
            "ndb", type_=sa.String(20), existing_type=sa.String(8), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("food_entries") as batch:
        batch.drop_column("meal")
        batch.drop_column("mg_per_100g")
        batch.alter_column(
            "ndb", type_=sa.String(8), existing_type=sa.String(20), existing_nullable=False
        )
    for table in ("meals", "own_foods"):
        op.drop_table(table)
