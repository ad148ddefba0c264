"""The store on PostgreSQL: pooled connections, many writers at once, one migration.

The store's behaviour on PostgreSQL is tested by the same tests as on SQLite
(``database_url``); these are the parts only a server has: several processes
and threads writing to one database at the same time.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import QueuePool
from tests._postgres import Server, free_port

from magwise.errors import InputError, StorageError
from magwise.store import Store
from magwise.store._db import POOL_SIZE, EngineDatabase, engine_url, make_engine
from magwise.store._migrate import HEAD

DAY = dt.date(2026, 11, 20)

#: Adds ``N`` notes for a person (printing each id once committed); with
#: ``undo``, undoes each one right after adding it (printing what was undone).
WRITER = """
import datetime as dt, sys, time
from magwise.errors import InputError
from magwise.store import Store
url, person, n, mode, start = sys.argv[1:6]
time.sleep(max(0.0, float(start) - time.time()))
with Store.open(url) as store:
    for i in range(int(n)):
        added = store.add_note(int(person), dt.date(2026, 11, 20), f"{person}-{i}")
        if mode == "undo":
            undone = store.undo(int(person))
            print(added, undone.id if undone else None, flush=True)
        else:
            print(added, flush=True)
"""

#: Opens (creates, migrates) the store at a given moment.
OPENER = """
import sys, time
from magwise.errors import InputError
from magwise.store import Store
url, start = sys.argv[1:3]
time.sleep(max(0.0, float(start) - time.time()))
with Store.open(url) as store:
    print(store._db.revision(), flush=True)
"""


@pytest.fixture
def url(postgres_server: Server) -> Iterator[str]:
    """An empty store on the session's PostgreSQL."""
    name = postgres_server.store_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.release(name)


def _run_together(script: str, argvs: list[list[str]]) -> list[str]:
    """Run one process per argument list, all starting the same moment; their outputs."""
    start = time.time() + 2.0  # after every interpreter has started
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, *argv, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def test_a_plain_postgresql_url_means_psycopg_and_a_pool() -> None:
    assert engine_url("postgresql://me@db.example/log") == "postgresql+psycopg://me@db.example/log"
    assert engine_url("postgres://me@db.example/log") == "postgresql+psycopg://me@db.example/log"
    assert engine_url("postgresql+psycopg://me@h/log") == "postgresql+psycopg://me@h/log"
    assert engine_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"
    engine = make_engine("postgresql://me@db.example/log")  # no connection made yet
    try:
        assert engine.dialect.driver == "psycopg"
        assert isinstance(engine.pool, QueuePool)
        assert engine.pool.size() == POOL_SIZE
        assert engine.pool._pre_ping
    finally:
        engine.dispose()


def test_a_database_that_cannot_be_reached_is_one_clear_error(postgres_server: Server) -> None:
    port = free_port()  # nothing listens there
    with pytest.raises(StorageError, match=r"^database: cannot connect to postgresql://me:\*\*\*@"):
        Store.open(f"postgresql://me:secret@127.0.0.1:{port}/log")
    missing = postgres_server.url("magwise_no_such_database")
    with pytest.raises(InputError, match=r'^db: .*database "magwise_no_such_database"'):
        Store.open(missing)
    with pytest.raises(InputError, match=r"^db: cannot use nonsense://x"):
        Store.open("nonsense://x")


def test_the_store_uses_its_pool_and_foreign_keys(url: str) -> None:
    with Store.open(url.replace("postgresql+psycopg://", "postgresql://")) as store:
        db = store._db
        assert isinstance(db, EngineDatabase)
        me = store.local_person()
        for _ in range(5):
            store.add_note(me, DAY, "pooled")
        assert db.engine.pool.checkedin() == 1, "one connection, reused"
        with pytest.raises(IntegrityError):
            store.add_note(999, DAY, "nobody's")
        assert len(store.record(me).notes) == 5


def test_two_stores_see_each_others_writes_at_once(url: str) -> None:
    with Store.open(url) as one, Store.open(url) as two:
        me = one.local_person()
        assert two.local_person() == me
        one.add_note(me, DAY, "from one")
        assert [n.text for n in two.record(me).notes] == ["from one"]
        two.define_water(me, "Gerolsteiner", mg_per_liter=108)
        assert one.water(me, "gerolsteiner") == ("Gerolsteiner", 108.0)
        assert one.undo(me) is not None
        assert two.record(me).notes == ()


def test_threads_sharing_one_store_write_once_each(url: str) -> None:
    """As the web app does: one store, many request threads."""
    with Store.open(url, driver="sqlalchemy") as store:
        people: list[int] = []
        ids: list[int] = []
        undone: list[int] = []
        errors: list[BaseException] = []

        def run(work: object) -> None:
            def target() -> None:
                try:
                    work()  # type: ignore[operator]
                except BaseException as exc:
                    errors.append(exc)

            threads = [threading.Thread(target=target) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert not errors, errors

        run(lambda: people.append(store.local_person()))
        assert len(set(people)) == 1, "the first use at once makes one person"
        me = people[0]
        run(lambda: ids.extend(store.add_note(me, DAY, "n") for _ in range(25)))
        assert len(ids) == len(set(ids)) == 200
        assert len(store.record(me).notes) == 200
        run(lambda: undone.extend(store.undo(me).id for _ in range(10)))  # type: ignore[union-attr]
        assert len(undone) == len(set(undone)) == 80, "no entry is undone twice"
        assert sorted(undone) == sorted(ids)[-80:], "the entries written last"
        assert len(store.record(me).notes) == 120


@pytest.mark.slow
def test_processes_writing_at_once_all_land_and_undo_only_their_own(url: str) -> None:
    with Store.open(url) as store:
        first = store.local_person()
        second = store.add_person("second")
        third = store.add_person("third")
        outputs = _run_together(
            WRITER,
            [
                [url, str(first), "50", "add"],
                [url, str(first), "50", "add"],
                [url, str(second), "50", "add"],
                [url, str(second), "50", "add"],
                [url, str(third), "50", "undo"],
            ],
        )
        added = [[int(line) for line in out.split()] for out in outputs[:4]]
        every = [i for ids in added for i in ids]
        assert len(every) == len(set(every)) == 200, "unique ids"
        for person, ids in ((first, added[0] + added[1]), (second, added[2] + added[3])):
            assert sorted(n.id for n in store.record(person).notes) == sorted(ids)
        pairs = [line.split() for line in outputs[4].splitlines()]
        assert len(pairs) == 50
        assert all(a == b for a, b in pairs), "undo took back the entry just written"
        assert store.record(third).notes == ()


@pytest.mark.slow
def test_processes_migrating_a_new_database_at_once_both_succeed(
    postgres_server: Server,
) -> None:
    name = postgres_server.empty_database()
    try:
        url = postgres_server.url(name)
        outputs = _run_together(OPENER, [[url], [url], [url]])
        assert [out.strip() for out in outputs] == [HEAD] * 3
        with Store.open(url) as store:
            assert store.local_person() == 1
    finally:
        postgres_server.drop(name)
