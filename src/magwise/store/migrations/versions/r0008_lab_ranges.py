"""The laboratory's own range of a lab result: either end may be given alone; the low
end is below the high end when both are given, and neither is negative.

Ranges kept before this rule held (a low end not below the high end) cannot be read
as a range: they are cleared, as assessments already ignored them.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CHECK = "ck_lab_entries_lab_range"
RULE = (
    "(range_low IS NULL OR range_low >= 0) AND (range_high IS NULL OR range_high >= 0) "
    "AND (range_low IS NULL OR range_high IS NULL OR range_low < range_high)"
)


def upgrade() -> None:
    op.execute(
        "UPDATE lab_entries SET range_low = NULL, range_high = NULL "
        "WHERE range_low >= range_high OR range_low < 0 OR range_high < 0"
    )
    with op.batch_alter_table("lab_entries") as batch:
        batch.create_check_constraint(CHECK, RULE)


def downgrade() -> None:
    with op.batch_alter_table("lab_entries") as batch:
        batch.drop_constraint(CHECK, type_="check")
