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

#: Every revision, oldest first (a test keeps this equal to the scripts).
REVISIONS = ("0001", "0002")
HEAD = REVISIONS[-1]

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at ``url`` to ``revision`` in one transaction.

    On SQLite the transaction holds the write lock from the start, so two
    processes starting at once migrate one after the other, not together.
    """
    from alembic import command

    from magwise.store._db import make_engine

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


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
