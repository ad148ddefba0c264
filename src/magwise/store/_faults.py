"""Faults of the storage itself, told as what happened and what to do.

A full disk, a read-only file, an I/O error, a database locked for longer than
the busy timeout, a PostgreSQL server that is down or restarting: none of them
is the person's input, and none of them costs an entry (every entry is one
transaction: it is stored whole or not at all). ``storage_error`` recognises
them in the errors of ``sqlite3``, ``apsw``, SQLAlchemy and psycopg, and
``translated`` turns them into a ``StorageError`` that the faces show as one
line (CLI: exit status 3), 507 or 503 (API) or an error page.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager

from magwise.errors import StorageError

#: The words of SQLite's error messages (``sqlite3_errstr``) and the names of
#: apsw's exception classes, each with the fault it means.
_SQLITE_MESSAGES = (
    ("database or disk is full", "disk_full"),
    ("attempt to write a readonly database", "read_only"),
    ("readonly database", "read_only"),
    ("disk i/o error", "io_error"),
    ("database is locked", "locked"),
    ("database table is locked", "locked"),
    ("unable to open database file", "cannot_open"),
    ("database disk image is malformed", "corrupt"),
    ("file is not a database", "corrupt"),
)
_APSW_CLASSES = {
    "FullError": "disk_full",
    "ReadOnlyError": "read_only",
    "IOError": "io_error",
    "BusyError": "locked",
    "LockedError": "locked",
    "CantOpenError": "cannot_open",
    "CorruptError": "corrupt",
    "NotADBError": "corrupt",
}
#: What psycopg and libpq say when the server cannot be reached or went away.
_SERVER_GONE = (
    "connection refused",
    "could not connect",
    "server closed the connection",
    "terminating connection due to administrator command",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "timeout expired",
    "connection timed out",
    "no route to host",
    "ssl connection has been closed",
    "consuming input failed",
    "connection is closed",
    "connection already closed",
    "could not receive data from server",
    "could not send data to server",
)
_OS_ERRORS = {
    errno.ENOSPC: "disk_full",
    errno.EDQUOT: "disk_full",
    errno.EFBIG: "disk_full",
    errno.EROFS: "read_only",
    errno.EACCES: "read_only",
    errno.EPERM: "read_only",
    errno.EIO: "io_error",
}

#: Free space below which an I/O error on a file counts as a full disk.
FULL_BELOW_BYTES = 1024 * 1024

#: What each fault means, and what to do about it. ``{where}`` names the file or server.
ADVICE = {
    "disk_full": "the disk holding {where} is full; nothing was saved. Free some space "
    "and try again",
    "read_only": "{where} cannot be written (a read-only file, folder or disk); nothing was "
    "saved. Check the file's and its folder's permissions and try again",
    "io_error": "the disk reported an input/output error while using {where}; nothing was "
    "saved. Check the disk (and free space), then try again",
    "locked": "{where} is busy: another program has held it locked for too long; nothing was "
    "saved. Close the other program or wait, then try again",
    "cannot_open": "{where} cannot be opened: check that its folder exists and may be "
    "written, and that the disk is not full",
    "corrupt": "{where} is damaged (not a readable SQLite database). Restore a backup "
    "('magwise restore FILE') or import an export into a new file",
    "unavailable": "the database server at {where} cannot be reached or is restarting; "
    "nothing was saved. Start the database (or wait until it is back), then try again",
}


def _kind(error: BaseException) -> str | None:
    """The fault ``error`` is (a key of ``ADVICE``), or ``None`` for any other error."""
    name = type(error).__name__
    module = type(error).__module__ or ""
    if module.startswith("apsw") and name in _APSW_CLASSES:
        return _APSW_CLASSES[name]
    is_os_error = isinstance(error, OSError) and not isinstance(error, ConnectionError)
    if is_os_error and getattr(error, "errno", None) in _OS_ERRORS:
        return _OS_ERRORS[int(getattr(error, "errno", 0))]
    text = str(error).lower()
    if module.startswith(("sqlite3", "_sqlite3")) or name in ("OperationalError", "DatabaseError"):
        for words, kind in _SQLITE_MESSAGES:
            if words in text:
                return kind
    if module.startswith("psycopg") and (
        name in ("InterfaceError", "AdminShutdown", "CannotConnectNow", "ConnectionTimeout")
        or (name == "OperationalError" and any(words in text for words in _SERVER_GONE))
    ):
        return "unavailable"
    if isinstance(error, ConnectionError):
        return "unavailable"
    return None


def _disk_full(where: str) -> bool:
    """Whether the file system holding the file ``where`` has (almost) no room left."""
    directory = os.path.dirname(os.path.abspath(where))
    try:
        stats = os.statvfs(directory)
    except (OSError, ValueError, AttributeError):
        return False  # not a file (a server's address), or no statvfs here
    return stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES


def _read_only(where: str) -> bool:
    """Whether the file ``where`` (or its folder) is on a read-only disk or may not be written."""
    directory = os.path.dirname(os.path.abspath(where))
    try:
        if os.statvfs(directory).f_flag & os.ST_RDONLY:
            return True
    except (OSError, ValueError, AttributeError):
        return False
    return not os.access(directory, os.W_OK) or (
        os.path.exists(where) and not os.access(where, os.W_OK)
    )


def storage_error(error: BaseException, where: str) -> StorageError | None:
    """``error`` as a ``StorageError`` if it is a fault of the storage, else ``None``.

    SQLAlchemy's wrappers are looked through (``.orig``), and so is the chain of
    causes, so a fault is recognised however deep a library raised it.
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = _kind(current)
        if kind is not None:
            if kind in ("io_error", "cannot_open") and _read_only(where):
                kind = "read_only"  # SQLite tells a read-only disk met opening its WAL so
            elif kind == "io_error" and _disk_full(where):
                kind = "disk_full"  # SQLite tells a full disk met in its WAL index as I/O
            return StorageError(kind, ADVICE[kind].format(where=where))
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
    return None


@contextmanager
def translated(where: str) -> Iterator[None]:
    """Raise a storage fault inside as a ``StorageError`` naming ``where``."""
    try:
        yield
    except StorageError:
        raise
    except Exception as exc:
        fault = storage_error(exc, where)
        if fault is None:
            raise
        raise fault from exc
