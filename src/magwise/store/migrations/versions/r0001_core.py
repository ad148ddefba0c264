"""Core tables: persons, profile versions and the log entries of every kind.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _detail(table: str, *columns: sa.Column[object]) -> None:
    op.create_table(
        table,
        sa.Column(
            "entry_id",
            sa.Integer(),
            sa.ForeignKey("entries.id", ondelete="CASCADE", name=f"fk_{table}_entry_id_entries"),
            nullable=False,
        ),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("persons.id", ondelete="CASCADE", name=f"fk_{table}_person_id_persons"),
            nullable=False,
        ),
        *columns,
        sa.PrimaryKeyConstraint("entry_id", name=f"pk_{table}"),
    )
    op.create_index(f"ix_{table}_person_id", table, ["person_id"])


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
    )
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("persons.id", ondelete="CASCADE", name="fk_profiles_person_id_persons"),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(6), nullable=False),
        sa.Column("age_years", sa.Float(), nullable=False),
        sa.Column("pregnant", sa.Boolean(), nullable=False),
        sa.Column("lactating", sa.Boolean(), nullable=False),
        sa.Column("standard", sa.String(10), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("medications", sa.Text(), nullable=False),
        sa.Column("hair_pattern", sa.String(40), nullable=True),
        sa.Column("hair_loss_since", sa.Date(), nullable=True),
        sa.Column("family_history", sa.Boolean(), nullable=True),
        sa.Column("scalp", sa.Text(), nullable=False),
        sa.Column("triggers", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.UniqueConstraint("person_id", "valid_from", name="uq_profiles_person_id"),
    )
    op.create_index("ix_profiles_person_id", "profiles", ["person_id"])
    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("persons.id", ondelete="CASCADE", name="fk_entries_person_id_persons"),
            nullable=False,
        ),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entries"),
    )
    op.create_index("ix_entries_person_day", "entries", ["person_id", "day"])
    _detail(
        "food_entries",
        sa.Column("ndb", sa.String(8), nullable=False),
        sa.Column("grams", sa.Float(), nullable=True),
        sa.Column("portion", sa.String(200), nullable=True),
        sa.Column("count", sa.Float(), nullable=False),
        sa.Column("description", sa.String(200), nullable=False),
    )
    _detail(
        "supplement_entries",
        sa.Column("product", sa.String(200), nullable=False),
        sa.Column("form", sa.String(40), nullable=True),
        sa.Column("elemental_mg_per_unit", sa.Float(), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
    )
    _detail(
        "water_entries",
        sa.Column("liters", sa.Float(), nullable=False),
        sa.Column("mg_per_liter", sa.Float(), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
    )
    _detail(
        "shedding_entries",
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
    )
    _detail("symptom_entries", sa.Column("code", sa.String(40), nullable=False))
    _detail(
        "lab_entries",
        sa.Column("test", sa.String(20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(10), nullable=False),
        sa.Column("range_low", sa.Float(), nullable=True),
        sa.Column("range_high", sa.Float(), nullable=True),
    )
    _detail("note_entries", sa.Column("text", sa.Text(), nullable=False))


def downgrade() -> None:
    for table in (
        "note_entries",
        "lab_entries",
        "symptom_entries",
        "shedding_entries",
        "water_entries",
        "supplement_entries",
        "food_entries",
        "entries",
        "profiles",
        "persons",
    ):
        op.drop_table(table)
