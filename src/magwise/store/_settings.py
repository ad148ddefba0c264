"""Where the store lives: ``--db``, else ``$MAGWISE_DATABASE_URL``, else one
SQLite file in the user's data directory (``$MAGWISE_DATA_DIR`` moves it).
"""

from __future__ import annotations

import os

DATABASE_URL_VARIABLE = "MAGWISE_DATABASE_URL"
DEFAULT_FILE_NAME = "magwise.sqlite3"
BUSY_TIMEOUT_VARIABLE = "MAGWISE_BUSY_TIMEOUT_MS"
#: How long a write waits for another program's lock on an SQLite log before it
#: gives up and says the log is busy (milliseconds).
DEFAULT_BUSY_TIMEOUT_MS = 30_000


def busy_timeout_ms() -> int:
    """``$MAGWISE_BUSY_TIMEOUT_MS``, else ``DEFAULT_BUSY_TIMEOUT_MS``."""
    from magwise.errors import InputError

    given = os.environ.get(BUSY_TIMEOUT_VARIABLE, "").strip()
    if not given:
        return DEFAULT_BUSY_TIMEOUT_MS
    if not given.isascii() or not given.isdigit() or len(given) > 9:
        raise InputError(
            BUSY_TIMEOUT_VARIABLE, f"{given[:20]!r} is not accepted; accepted: whole milliseconds"
        )
    return int(given)


def default_url() -> str:
    """The SQLite file in the user's data directory."""
    from magwise._datadir import data_dir

    return f"sqlite:///{data_dir() / DEFAULT_FILE_NAME}"


def database_url(given: str | None = None) -> str:
    """The URL to open: ``given`` (``--db``), the environment, or the default file.

    A plain path is accepted too and means an SQLite file.
    """
    url = given or os.environ.get(DATABASE_URL_VARIABLE) or default_url()
    if "://" not in url:
        url = f"sqlite:///{url}"
    return url


def sqlite_path(url: str) -> str | None:
    """The file of a plain ``sqlite:///PATH`` URL (``:memory:`` too), else ``None``.

    Such URLs are served by the ``sqlite3`` module directly; any other URL
    (another database, a driver or query options) goes through SQLAlchemy.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    return path or ":memory:"
