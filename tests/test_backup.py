"""Backups of a running SQLite log (``magwise backup``, the Data page) and ``magwise restore``."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests._web import local_client

from magwise.errors import InputError
from magwise.store import Store
from magwise.store._backup import aside_name, backup, check_backup, restore
from magwise.web import Settings, create_app

DAY = dt.date(2026, 12, 1)

#: Adds a note and a shedding count in one transaction, again and again, printing
#: the entry count it has reached after each commit.
WRITER = """
import datetime as dt, sys
from magwise.record import NoteEntry, SheddingEntry
from magwise.store import Store
store = Store.open(sys.argv[1])
me = store.local_person()
day = dt.date(2026, 12, 1)
for n in range(100_000):
    store.add(me, NoteEntry(0, day, f"note {n}"), SheddingEntry(0, day, n % 300, "daily_count"))
    print(2 * (n + 1), flush=True)
"""


def _magwise(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "magwise", *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
        timeout=120,
    )


def _log(path: Path, notes: int) -> Path:
    with Store.open(str(path)) as store:
        me = store.local_person()
        for n in range(notes):
            store.add_note(me, DAY, f"note {n}")
    return path


def _notes(path: Path) -> list[str]:
    with Store.open(str(path)) as store:
        return [note.text for note in store.record(store.local_person()).notes]


def test_backups_taken_while_a_writer_writes_are_whole_and_verified(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.sqlite3", 1)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    writer = subprocess.Popen([sys.executable, str(script), str(log)], stdout=subprocess.PIPE)
    assert writer.stdout is not None
    taken = []
    try:
        for n in range(6):
            for _ in range(20):  # let the writer commit some more
                assert writer.stdout.readline(), "the writer stopped"
            taken.append(backup(tmp_path / f"backup-{n}.sqlite3", f"sqlite:///{log}"))
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    counts = [made.entries for made in taken]
    assert counts == sorted(counts) and counts[0] < counts[-1], counts
    for made in taken:
        assert check_backup(made.path).entries == made.entries
        # whole transactions only: each note came with its shedding count
        connection = sqlite3.connect(made.path)
        notes, sheds = (
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("note_entries", "shedding_entries")
        )
        connection.close()
        assert notes - 1 == sheds, "the first note was alone; every other came with a count"
    assert not list(tmp_path.glob(".*partial*")), "no half-written copy is left behind"


def test_backup_on_the_command_line_and_what_it_refuses(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.sqlite3", 3)
    out = tmp_path / "copy.sqlite3"
    done = _magwise("backup", str(out), "--db", str(log))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Backup written to {out}: 3 entries of 1 person")
    assert _notes(out) == _notes(log)

    again = _magwise("backup", str(out), "--db", str(log))
    assert again.returncode == 2
    assert again.stderr.strip() == (
        f"magwise: error: out: {out} exists; choose another name or remove it first"
    )
    postgres = _magwise("backup", str(tmp_path / "pg.sqlite3"), "--db", "postgresql://x@h/db")
    assert postgres.returncode == 2
    assert "pg_dump" in postgres.stderr and "Traceback" not in postgres.stderr
    missing = _magwise("backup", str(tmp_path / "m.sqlite3"), "--db", str(tmp_path / "none.db"))
    assert missing.returncode == 2
    assert "nothing to back up" in missing.stderr


def test_restore_keeps_the_current_log_aside_and_puts_the_backup_back(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.sqlite3", 2)
    copy = backup(tmp_path / "copy.sqlite3", f"sqlite:///{log}")
    with Store.open(str(log)) as store:
        store.add_note(store.local_person(), DAY, "written after the backup")
    before = _notes(log)

    asked = _magwise("restore", str(copy.path), "--db", str(log), stdin="n\n")
    assert asked.returncode == 1 and "Replace your log" in asked.stdout
    assert _notes(log) == before, "nothing changes without a yes"

    done = _magwise("restore", str(copy.path), "--db", str(log), "--yes")
    assert done.returncode == 0, done.stderr
    assert "your log holds 2 entries of 1 person" in done.stdout
    assert _notes(log) == ["note 0", "note 1"]
    kept = list(tmp_path.glob("log.before-restore-*.sqlite3"))
    assert len(kept) == 1
    assert _notes(kept[0]) == before
    assert str(kept[0]) in done.stdout


def test_restore_refuses_what_is_no_magwise_backup_and_changes_nothing(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.sqlite3", 1)
    text = tmp_path / "notes.txt"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    for bad, reason in ((text, "is not an SQLite database"), (other, "not a magwise log")):
        done = _magwise("restore", str(bad), "--db", str(log), "--yes")
        assert done.returncode == 2, done.stderr
        assert reason in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(InputError, match="is not a file"):
        restore(tmp_path / "missing.sqlite3", f"sqlite:///{log}")
    assert _notes(log) == ["note 0"]
    assert not list(tmp_path.glob("log.before-restore-*"))


def test_the_name_a_restore_keeps_the_current_log_under() -> None:
    when = dt.datetime(2026, 12, 4, 9, 30, 5)
    assert aside_name(Path("/d/magwise.sqlite3"), when) == Path(
        "/d/magwise.before-restore-20261204-093005.sqlite3"
    )


@pytest.fixture
def local_app(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    log = _log(tmp_path / "log.sqlite3", 2)
    settings = Settings(database_url=f"sqlite:///{log}", warm_up=False)
    with local_client(create_app(settings)) as client:
        yield client, log


def test_the_data_page_offers_a_backup_download_in_local_mode(
    local_app: tuple[TestClient, Path], tmp_path: Path
) -> None:
    client, log = local_app
    page = client.get("/data?lang=de")
    assert 'href="/data/backup"' in page.text
    assert "Sicherung herunterladen (SQLite)" in page.text
    answer = client.get("/data/backup")
    assert answer.status_code == 200
    assert answer.content.startswith(b"SQLite format 3\x00")
    assert "attachment" in answer.headers["content-disposition"]
    saved = tmp_path / "downloaded.sqlite3"
    saved.write_bytes(answer.content)
    assert check_backup(saved).entries == 2
    assert _notes(saved) == _notes(log)


def test_no_backup_file_is_offered_for_a_database_server(tmp_path: Path) -> None:
    url = f"sqlite+pysqlite:///{tmp_path / 'log.sqlite3'}"  # through a driver: not a plain file
    settings = Settings(database_url=url, warm_up=False)
    with local_client(create_app(settings)) as client:
        assert 'href="/data/backup"' not in client.get("/data").text
        assert client.get("/data/backup").status_code == 404
    assert os.path.exists(tmp_path / "log.sqlite3")
