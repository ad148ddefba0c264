"""Durability: no acknowledged write is lost and the database is never half-written.

- A writer process is killed (SIGKILL) at random moments, many times; after each
  kill the database passes ``PRAGMA integrity_check``, every write the writer
  acknowledged (it prints the id after the commit) is there, and every entry
  is whole (its row in ``entries`` and its detail row, or neither).
- An I/O error is injected at every write and every sync, one after another
  (an apsw VFS whose files fail on the N-th call, for every N): afterwards the
  database holds either everything it held before or that plus the whole
  transaction, never a part of it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from magwise.errors import StorageError
from magwise.record import FoodEntry, NoteEntry, PersonRecord, SheddingEntry
from magwise.store import Store
from magwise.store._db import SqliteDatabase

apsw = pytest.importorskip("apsw")

DAY = dt.date(2026, 11, 20)
KILLS = 30

WRITER = """
import datetime as dt, sys
from magwise.store import Store
from magwise.errors import StorageError
from magwise.record import FoodEntry, SheddingEntry
store = Store.open(sys.argv[1])
me = store.local_person()
day = dt.date(2026, 11, 20)
for n in range(100_000):
    ids = store.add(
        me,
        FoodEntry(0, day, "12014", float(n), None, 1.0, "Seeds, pumpkin"),
        SheddingEntry(0, day, n % 300, "daily_count"),
    )
    print(ids[0], ids[1], flush=True)
"""


def _whole(path: Path) -> tuple[str, set[int], int]:
    """(integrity check, entry ids, entries missing a detail row or the reverse)."""
    connection = sqlite3.connect(path)
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
        ids = {row[0] for row in connection.execute("SELECT id FROM entries")}
        broken = connection.execute(
            "SELECT count(*) FROM entries e WHERE NOT EXISTS "
            "(SELECT 1 FROM food_entries f WHERE f.entry_id = e.id) AND NOT EXISTS "
            "(SELECT 1 FROM shedding_entries s WHERE s.entry_id = e.id)"
        ).fetchone()[0]
        broken += connection.execute(
            "SELECT count(*) FROM food_entries f WHERE NOT EXISTS "
            "(SELECT 1 FROM entries e WHERE e.id = f.entry_id)"
        ).fetchone()[0]
    finally:
        connection.close()
    return check, ids, broken


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_loses_no_acknowledged_write(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    Store.open(str(path)).close()  # created and migrated once
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    chance = random.Random(20261120)
    acknowledged: set[int] = set()
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        wanted = chance.randint(1, 40)
        for _ in range(wanted):
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged.update(int(word) for word in line.split())
        time.sleep(chance.uniform(0, 0.004))
        os.kill(writer.pid, signal.SIGKILL)
        rest, _ = writer.communicate()
        for line in rest.splitlines():  # printed before the kill, read after it
            if line.endswith(tuple("0123456789")) and len(line.split()) == 2:
                acknowledged.update(int(word) for word in line.split())
        assert writer.returncode == -signal.SIGKILL
        check, stored, broken = _whole(path)
        assert check == "ok"
        assert broken == 0, "an entry was stored in part"
        assert acknowledged <= stored, f"lost acknowledged writes: {acknowledged - stored}"
    assert len(acknowledged) > KILLS


# -- injected I/O errors ---------------------------------------------------------


class _Faults:
    """Counts writes and syncs; fails the N-th (``once``) or every one from the N-th."""

    def __init__(self, fail_at: int, once: bool) -> None:
        self.fail_at, self.once = fail_at, once
        self.calls = 0
        self.fired = False

    def tick(self) -> None:
        self.calls += 1
        if self.calls == self.fail_at or (not self.once and self.calls > self.fail_at):
            self.fired = True
            raise apsw.IOError("injected I/O error")


class _FaultyFile(apsw.VFSFile):  # type: ignore[misc]
    def __init__(self, faults: _Faults, name: Any, flags: list[int]) -> None:
        self._faults = faults
        super().__init__("", name, flags)

    def xWrite(self, data: bytes, offset: int) -> None:
        self._faults.tick()
        super().xWrite(data, offset)

    def xSync(self, flags: int) -> None:
        self._faults.tick()
        super().xSync(flags)


class _FaultyVFS(apsw.VFS):  # type: ignore[misc]
    def __init__(self, name: str, faults: _Faults) -> None:
        self._faults = faults
        super().__init__(name, "")

    def xOpen(self, name: Any, flags: list[int]) -> _FaultyFile:
        return _FaultyFile(self._faults, name, flags)


@contextmanager
def _faulty_store(path: Path, faults: _Faults) -> Iterator[Store]:
    name = f"faulty-{faults.fail_at}-{faults.once}"
    vfs = _FaultyVFS(name, faults)

    def connect() -> Any:
        connection = apsw.Connection(str(path), vfs=name)
        # A Python VFS has no shared memory: WAL keeps its index in the heap instead.
        connection.execute("PRAGMA locking_mode=EXCLUSIVE").fetchall()
        return connection

    db = SqliteDatabase(f"sqlite:///{path}", str(path), connect=connect)
    try:
        yield Store(db)
    finally:
        with suppress(apsw.Error):  # the disk failed while closing: as if the power went
            db.close()
        vfs.unregister()


def _record(path: Path) -> PersonRecord:
    with Store.open(str(path)) as store:
        return store.record(store.local_person())


NEW = (
    FoodEntry(0, DAY, "12061", 28.0, None, 1.0, "Nuts, almonds"),
    SheddingEntry(0, DAY, 95, "daily_count"),
    NoteEntry(0, DAY, "a longer note " * 400),  # spans several pages
)


@pytest.mark.slow
@pytest.mark.parametrize("once", [True, False], ids=["fails-once", "fails-from-then-on"])
def test_an_io_error_at_any_write_or_sync_leaves_all_old_or_all_new(
    tmp_path: Path, once: bool
) -> None:
    original = tmp_path / "original.sqlite3"
    with Store.open(str(original)) as store:
        me = store.local_person()
        for n in range(50):
            store.add_food(me, DAY, "12014", description="Seeds, pumpkin", grams=float(n))
    old = _record(original)
    with Store.open(str(original)) as store:
        store.add(store.local_person(), *NEW)
    new = _record(original)
    shutil.copy(original, tmp_path / "new.sqlite3")
    with Store.open(str(original)) as store:
        for _ in NEW:
            store.undo(store.local_person())
    assert _record(original) == old

    outcomes = {"old": 0, "new": 0}
    fail_at = 0
    while True:
        fail_at += 1
        path = tmp_path / f"run-{fail_at}.sqlite3"
        shutil.copy(original, path)
        faults = _Faults(fail_at, once)
        with _faulty_store(path, faults) as store, suppress(StorageError):
            store.add(1, *NEW)  # a fault is told as a StorageError, never raw
        if not faults.fired:
            break  # every write and sync point has failed once
        assert _whole(path)[0] == "ok"
        found = _record(path)
        assert found in (old, new), f"partial transaction when call {fail_at} failed"
        outcomes["old" if found == old else "new"] += 1
        for leftover in tmp_path.glob(f"run-{fail_at}.sqlite3*"):
            leftover.unlink()
    print(f"{fail_at - 1} write and sync points; outcomes {outcomes}")
    assert fail_at > 5, "the transaction passes several write and sync points"
    assert outcomes["old"] > 0
    assert _record(path) == new
