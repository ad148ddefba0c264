"""Schema migrations with Alembic, run on start when the database is behind.

The migration scripts ship inside the package (``migrations/``). The fast path
compares the stored revision with ``HEAD`` without importing Alembic; only a
new or outdated database pays for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from magwise.errors import DataError

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import Connection

#: Every revision, oldest first (a test keeps this equal to the scripts).
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010")
HEAD = REVISIONS[-1]

MIGRATIONS = Path(__file__).parent / "migrations"
#: The PostgreSQL advisory lock held while migrating (any number no other program uses).
MIGRATION_LOCK = 0x6D6167776973  # "magwis"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` in one transaction.

    Two processes starting at once migrate one after the other, not together:
    on SQLite the transaction holds the write lock from the start; on
    PostgreSQL it first takes an advisory lock, and the second process then
    finds the schema already migrated.
    """
    from alembic import command

    from magwise.store._db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Tables are copied (revision 0004): foreign keys off, or dropping the
                # old ``persons`` would delete every log. Only outside a transaction
                # does SQLite take this; every reference is checked before committing.
                driver = connection.connection.driver_connection
                assert driver is not None
                driver.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                config = alembic_config(url)
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if connection.dialect.name == "postgresql":
                    sync_sequences(connection)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise DataError(f"the migration would break references: {broken[:3]}")
    finally:
        engine.dispose()


#: Every sequence that numbers a column (``SERIAL``, identity): table, column, sequence.
_OWNED_SEQUENCES = """
SELECT quote_ident(t.relname), quote_ident(a.attname), s.oid::regclass::text
FROM pg_depend d
JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
"""


def sync_sequences(connection: Connection) -> None:
    """Move every id sequence past the largest id stored (PostgreSQL; never back).

    Rows written with explicit ids (copied from another database, or by
    hand) leave a sequence behind, and the next insert would collide.
    """
    for table, column, sequence in connection.exec_driver_sql(_OWNED_SEQUENCES).all():
        connection.exec_driver_sql(
            f"SELECT setval('{sequence}', max({column})) FROM {table} HAVING max({column}) >= "
            f"(SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {sequence})"
        )


def check_revision(found: str | None) -> bool:
    """True when the schema is current; False when it must be migrated."""
    if found == HEAD:
        return True
    if found is not None and found not in REVISIONS:
        raise DataError(
            f"the database has schema revision {found!r}, newer than this magwise knows "
            f"({HEAD!r}); upgrade magwise to use it"
        )
    return False
