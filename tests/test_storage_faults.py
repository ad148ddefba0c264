"""Faults of the storage: told in one line (CLI exit 3), 507/503 (API), a page; never a
traceback, never half an entry, and gone once the fault is.

The faults are real: a full disk is a small tmpfs filled to the last byte, a
read-only disk the same tmpfs remounted read-only (as root, file permissions
would not stop a write), a lock another connection holds, a PostgreSQL server
stopped the way a crash stops it. I/O errors at every write and sync point are
injected with an apsw VFS in tests/test_durability.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._browser import free_port
from tests._postgres import Server
from tests._serving import serving

from magwise.errors import StorageError
from magwise.store import Store
from magwise.store._faults import storage_error

DAY = "2026-12-01"
LONG_NOTE = "a note long enough to need new pages " * 600


def _magwise(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "magwise", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
        timeout=120,
    )


def _one_line(done: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    """``done`` failed with ``status`` and one line on stderr that holds ``words``."""
    assert done.returncode == status, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _notes(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return [row[0] for row in connection.execute("SELECT text FROM note_entries ORDER BY 1")]
    finally:
        connection.close()


# -- a disk of our own ---------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs of this test's own (root only: mounting needs it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    where = tmp_path / "disk"
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tmpfs: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path) -> Path:
    """Fill ``disk`` to its last byte: the file that does it."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as out:
        with contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 4096)
        with contextlib.suppress(OSError):
            while True:  # the last bytes of the last block
                out.write(b"\0")
    return filler


def _remount(disk: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(disk)], check=True)


# -- the command line ----------------------------------------------------------------------


def test_a_full_disk_is_one_line_with_status_3_and_nothing_half_written(disk: Path) -> None:
    log = disk / "log.sqlite3"
    assert _magwise("log", "note", "first", "--date", DAY, "--db", str(log)).returncode == 0
    filler = _fill(disk)
    for args in (["log", "note", LONG_NOTE], ["log", "hair", "120"]):
        done = _magwise(*args, "--date", DAY, "--db", str(log))
        _one_line(done, 3, "magwise: error: database:", "is full", "Free some space")
    filler.unlink()  # space freed (a WAL log needs room even to be read)
    assert _notes(log) == ["first"]
    assert _magwise("log", "note", "after", "--date", DAY, "--db", str(log)).returncode == 0
    assert _notes(log) == ["after", "first"]


def test_a_read_only_disk_is_one_line_with_status_3_and_nothing_lost(disk: Path) -> None:
    log = disk / "log.sqlite3"
    assert _magwise("log", "note", "first", "--date", DAY, "--db", str(log)).returncode == 0
    _remount(disk, "ro")
    try:
        done = _magwise("log", "note", "second", "--date", DAY, "--db", str(log))
        _one_line(done, 3, "cannot be written", "permissions")
        # a WAL log needs its index file even to be read: that too is told, not a crash
        shown = _magwise("history", "--days", "30", "--db", str(log))
        _one_line(shown, 3, "cannot be written")
    finally:
        _remount(disk, "rw")
    assert _magwise("log", "note", "second", "--date", DAY, "--db", str(log)).returncode == 0
    assert _notes(log) == ["first", "second"]


def test_a_log_locked_beyond_the_busy_timeout_is_busy_not_a_crash(tmp_path: Path) -> None:
    log = tmp_path / "log.sqlite3"
    assert _magwise("log", "note", "first", "--date", DAY, "--db", str(log)).returncode == 0
    other = sqlite3.connect(log, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        done = _magwise(
            "log", "note", "second", "--db", str(log), env={"MAGWISE_BUSY_TIMEOUT_MS": "200"}
        )
        _one_line(done, 3, "is busy", "try again")
        other.execute("COMMIT")
    finally:
        other.close()
    assert _magwise("log", "note", "second", "--date", DAY, "--db", str(log)).returncode == 0
    assert _notes(log) == ["first", "second"]


def test_a_bad_busy_timeout_is_bad_input() -> None:
    done = _magwise("today", env={"MAGWISE_BUSY_TIMEOUT_MS": "soon"})
    _one_line(done, 2, "MAGWISE_BUSY_TIMEOUT_MS", "whole milliseconds")


def test_a_database_server_that_cannot_be_reached_is_status_3() -> None:
    url = f"postgresql://me:secret@127.0.0.1:{free_port()}/log"
    done = _magwise("log", "note", "x", "--db", url)
    line = _one_line(done, 3, "cannot connect to postgresql://me:***@", "Start the database")
    assert "secret" not in line


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database or disk is full"), "disk_full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read_only"),
        (sqlite3.OperationalError("database is locked"), "locked"),
        (sqlite3.DatabaseError("database disk image is malformed"), "corrupt"),
        (OSError(28, "No space left on device"), "disk_full"),
        (OSError(30, "Read-only file system"), "read_only"),
        (ConnectionRefusedError(111, "Connection refused"), "unavailable"),
    ],
)
def test_faults_are_recognised_in_the_errors_libraries_raise(error: Exception, kind: str) -> None:
    fault = storage_error(error, "/nowhere/log.sqlite3")
    assert isinstance(fault, StorageError)
    assert fault.kind == kind
    assert "/nowhere/log.sqlite3" in str(fault) or kind == "unavailable"


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.IntegrityError("UNIQUE constraint failed: persons.name"),
        sqlite3.OperationalError("no such table: entries"),
        ValueError("database is locked"),  # not from a database
    ],
)
def test_errors_that_are_not_faults_of_the_storage_are_left_alone(error: Exception) -> None:
    assert storage_error(error, "/nowhere/log.sqlite3") is None


def test_an_injected_io_error_reaches_the_person_as_a_storage_error(tmp_path: Path) -> None:
    apsw = pytest.importorskip("apsw")
    from tests.test_durability import NEW, _Faults, _faulty_store

    path = tmp_path / "log.sqlite3"
    with Store.open(str(path)) as store:
        me = store.local_person()
    faults = _Faults(1, once=False)
    with _faulty_store(path, faults) as store, pytest.raises(StorageError) as raised:
        store.add(me, *NEW)
    assert faults.fired
    assert raised.value.kind in ("io_error", "disk_full")
    assert isinstance(raised.value.__cause__, apsw.Error)


# -- the web app ---------------------------------------------------------------------------


def _fault_of(body: str) -> str:
    detail = json.loads(body)["detail"]
    assert len(detail) == 1
    assert detail[0]["field"] == "database"
    return str(detail[0]["type"])


@pytest.mark.slow
def test_the_api_answers_507_on_a_full_disk_503_read_only_and_recovers_alone(
    disk: Path, tmp_path: Path
) -> None:
    log = disk / "log.sqlite3"
    with serving(f"sqlite:///{log}", tmp_path / "serve.log") as server:
        assert server.note("first")[0] == 201
        filler = _fill(disk)
        status, headers, body = server.note(LONG_NOTE)
        assert status == 507, body
        assert _fault_of(body) == "storage_disk_full"
        status, _, page = server.request("GET", "/today?lang=de")
        assert status == 507  # a WAL log needs room for its index even to be read
        assert "Der Speicher ist voll" in page
        assert "Traceback" not in page
        filler.unlink()
        assert server.note("after space was freed")[0] == 201  # no restart
        _remount(disk, "ro")
        try:
            status, headers, body = server.note("on a read-only disk")
            assert status == 503, body
            assert headers.get("retry-after", "").isdigit()
            assert _fault_of(body) == "storage_read_only"
        finally:
            _remount(disk, "rw")
        assert server.note("writable again")[0] == 201
    assert _notes(log) == ["after space was freed", "first", "writable again"]


@pytest.mark.slow
def test_postgres_down_is_503_in_the_api_a_page_in_german_and_back_without_a_restart(
    crashable_postgres: Server, tmp_path: Path
) -> None:
    name = crashable_postgres.store_database()
    url = crashable_postgres.url(name)
    with serving(url, tmp_path / "serve.log") as server:
        assert server.note("before")[0] == 201
        crashable_postgres.crash()
        try:
            status, headers, body = server.note("while down")
            assert status == 503, body
            assert headers.get("retry-after", "").isdigit()
            assert _fault_of(body) == "storage_unavailable"
            status, headers, page = server.request("GET", "/today?lang=de")
            assert status == 503
            assert "nicht erreichbar" in page
            assert "Traceback" not in page
        finally:
            crashable_postgres.start()
        assert server.note("after")[0] == 201  # the pool reconnects by itself
    with Store.open(url) as store:
        notes = sorted(n.text for n in store.record(store.local_person()).notes)
    assert notes == ["after", "before"]
