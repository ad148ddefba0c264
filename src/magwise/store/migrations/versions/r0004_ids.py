"""Ids of persons and accounts are never reused.

SQLite gives a new row the largest id plus one, so after the newest person or
account is deleted its id would go to the next one; ``AUTOINCREMENT`` (kept in
``sqlite_sequence``) never hands out an id twice. The tables are copied into new
ones that say so, rows and ids unchanged. This needs foreign keys off while the
old table is dropped (else dropping ``persons`` would delete every person's log):
``magwise.store._migrate.upgrade`` turns them off and checks every reference
before committing; run any other way, the migration refuses to start.

PostgreSQL numbers ids with sequences, which never go back: nothing to change.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

#: Parents first: ``accounts`` refers to ``persons``.
TABLES = ("persons", "accounts")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "revision 0004 copies tables and needs foreign keys off: "
            "migrate with magwise (Store.open), not by hand"
        )
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    """Nothing: ids that were never reused may stay so."""
