"""Backups of a running SQLite log, and putting one back.

``backup`` copies the log with SQLite's online backup API while the CLI or the
server may be writing: the copy is one consistent snapshot (the source is read
in one transaction). It is written beside ``out`` under a temporary name,
checked (``PRAGMA integrity_check``, and the same number of persons and entries
as the snapshot it was taken from), made durable and only then renamed to
``out``: a failed backup leaves no file that looks like one.

``restore`` checks a backup the same way, keeps the current log aside (itself a
verified backup) and copies the backup into the live log through the same API,
so a running server sees the restored log at its next request.

PostgreSQL is backed up with its own tools (``pg_dump``/``pg_restore``) or with
``magwise export``: see docs/store.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from magwise.errors import DataError, InputError
from magwise.store._faults import translated
from magwise.store._migrate import check_revision
from magwise.store._settings import database_url, sqlite_path

#: The tables whose rows a backup is checked by.
COUNTED = ("persons", "entries")


@dataclass(frozen=True)
class BackupSummary:
    """A verified copy: where it is, its schema revision and how much it holds."""

    path: Path
    revision: str | None
    persons: int
    entries: int
    size_bytes: int


def _sqlite_file(url: str | None) -> Path:
    url = database_url(url)
    path = sqlite_path(url)
    if path is None or path == ":memory:":
        raise InputError(
            "db",
            "backup and restore copy an SQLite log; for PostgreSQL use pg_dump and pg_restore "
            "(docs/store.md) or 'magwise export'",
        )
    return Path(path)


def _counts(connection: sqlite3.Connection) -> dict[str, int]:
    return {
        table: int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in COUNTED
    }


def _revision(connection: sqlite3.Connection) -> str | None:
    tables = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()[0]
    if not tables:
        return None
    row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return None if row is None else str(row[0])


def check_backup(path: Path, *, field: str = "file") -> BackupSummary:
    """``path`` as a backup magwise can use, or an ``InputError`` saying why not."""
    if not path.is_file():
        raise InputError(field, f"{path} is not a file")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise InputError(field, f"{path} is not an SQLite database (a magwise backup is)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise InputError(field, f"{path} is damaged: {check}")
        revision = _revision(connection)
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        if revision is None or not set(COUNTED) <= names:
            raise InputError(field, f"{path} is an SQLite database, but not a magwise log")
        try:
            check_revision(revision)
        except DataError as exc:
            raise InputError(field, f"{path}: {exc}") from None
        counts = _counts(connection)
    except sqlite3.DatabaseError as exc:
        raise InputError(field, f"{path} cannot be read as a magwise log: {exc}") from None
    finally:
        connection.close()
    return BackupSummary(path, revision, counts["persons"], counts["entries"], path.stat().st_size)


def _sync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every system lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy(source: sqlite3.Connection, out: Path) -> BackupSummary:
    """Copy what ``source`` sees in one read transaction into ``out``, verified."""
    partial = out.with_name(f".{out.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        with translated(str(out)):
            source.execute("BEGIN")  # one snapshot: counted and copied alike
            try:
                expected = _counts(source)
                target = sqlite3.connect(partial)
                try:
                    source.backup(target)
                    target.execute("PRAGMA journal_mode=DELETE").fetchall()  # one file
                finally:
                    target.close()
            finally:
                source.execute("COMMIT")
            with partial.open("rb+") as handle:
                os.fsync(handle.fileno())
        summary = check_backup(partial)
        got = {"persons": summary.persons, "entries": summary.entries}
        if got != expected:
            raise InputError("out", f"the copy holds {got}, its source {expected}: not saved")
        os.replace(partial, out)
        _sync_directory(out.parent)
    finally:
        partial.unlink(missing_ok=True)
    return BackupSummary(
        out, summary.revision, summary.persons, summary.entries, out.stat().st_size
    )


def _open(path: Path) -> sqlite3.Connection:
    with translated(str(path)):
        connection = sqlite3.connect(path, isolation_level=None, timeout=30)
        connection.execute("PRAGMA busy_timeout=30000").fetchall()
    return connection


def backup(out: Path, url: str | None = None) -> BackupSummary:
    """Copy the SQLite log at ``url`` (the default store) into ``out``, verified."""
    path = _sqlite_file(url)
    if not path.exists():
        raise InputError("db", f"there is no log at {path} yet: nothing to back up")
    if out.exists():
        raise InputError("out", f"{out} exists; choose another name or remove it first")
    if not out.parent.is_dir():
        raise InputError("out", f"{out.parent} is not a directory")
    source = _open(path)
    try:
        return _copy(source, out)
    finally:
        source.close()


def aside_name(path: Path, now: dt.datetime | None = None) -> Path:
    """Where ``restore`` keeps the current log: beside it, named by the time."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.before-restore-{stamp}{path.suffix or '.sqlite3'}")


@dataclass(frozen=True)
class Restored:
    """What ``restore`` did: the log now, and where the previous one was kept."""

    log: BackupSummary
    kept: BackupSummary | None


def restore(file: Path, url: str | None = None) -> Restored:
    """Put the backup ``file`` in place of the SQLite log at ``url``.

    The current log is kept aside first (a verified backup, ``aside_name``); then
    the backup is copied into the live file in one step and migrated to this
    version's schema if it is older.
    """
    from magwise.store._store import Store

    offered = check_backup(file)
    path = _sqlite_file(url)
    kept = None
    if path.exists():
        source = _open(path)
        try:
            kept = _copy(source, aside_name(path))
        finally:
            source.close()
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    with translated(str(path)):
        target = _open(path)
        try:
            source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
            try:
                source.backup(target)
            finally:
                source.close()
        finally:
            target.close()
    Store.open(f"sqlite:///{path}").close()  # migrated, if the backup is older
    now = check_backup(path, field="db")
    if (now.persons, now.entries) != (offered.persons, offered.entries):
        raise InputError("file", f"restoring {file} gave a different log; the previous one is kept")
    return Restored(now, kept)
