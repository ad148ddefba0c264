"""A throwaway PostgreSQL server for the test session, and empty databases on it.

``$MAGWISE_TEST_POSTGRES_URL`` names a server to use instead (any database on
it; the tests create and drop their own databases, so its user needs
``CREATEDB``). Otherwise ``initdb`` and ``pg_ctl`` are looked up on ``PATH``,
then in ``/usr/lib/postgresql/*/bin``; the cluster lives in a temporary
directory, listens on a free loopback port only, runs without ``fsync`` (its
data is thrown away) and is stopped and removed at the end. PostgreSQL refuses
to run as root, so as root the server runs as the ``postgres`` system user.

Without PostgreSQL the PostgreSQL variants of the tests are skipped, naming
why; with ``$CI`` set they fail instead, since CI must run them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

URL_VARIABLE = "MAGWISE_TEST_POSTGRES_URL"
SERVER_USER = "postgres"  # the system user that runs the server when we are root


class PostgresUnavailable(Exception):
    """No PostgreSQL server can be had: the reason."""


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``; fail it when ``$CI`` is set."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL: {reason}")


def find_programs() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: PATH first, then Debian's."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return directory
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A PostgreSQL server reached as ``base`` (an SQLAlchemy URL; its database is ignored).

    Store databases are made once (migrated to head), and after a test emptied
    and handed to the next one: creating a database costs a quarter of a
    second, emptying one a few milliseconds. A database a test changed beyond
    its rows (its tables or schema revision) is dropped instead. Every database
    is dropped at the end.
    """

    def __init__(self, base: str, control: list[str] | None = None) -> None:
        from sqlalchemy.engine import make_url

        self._base = make_url(base).set(drivername="postgresql+psycopg")
        #: ``pg_ctl`` and its options for this server's cluster (none: not ours to stop)
        self._control = control
        self._free: list[str] = []
        self._made: set[str] = set()
        self._shape: tuple[str, str] | None = None  # (revision, tables) of a new store
        self._empty_out = ""  # the statements that empty a store, children first

    def crash(self) -> None:
        """Stop the server at once, as a crash would (``pg_ctl stop -m immediate``)."""
        assert self._control is not None, "not a server started by these tests"
        pg_ctl, pgdata, _log, _options, prefix = self._control
        _run(
            [*prefix.split(), pg_ctl, "--pgdata", pgdata, "-m", "immediate", "--wait", "stop"],
            "pg_ctl stop",
        )

    def start(self) -> None:
        """Start the server again on its own port, after ``crash`` (it recovers from its WAL)."""
        assert self._control is not None, "not a server started by these tests"
        pg_ctl, pgdata, log, options, prefix = self._control
        _run(
            [
                *prefix.split(),
                pg_ctl,
                "--pgdata",
                pgdata,
                "--log",
                log,
                "--options",
                options,
                "--wait",
                "start",
            ],
            "pg_ctl start",
        )

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of ``database`` on this server."""
        return self._base.set(database=database).render_as_string(hide_password=False)

    def _connect(self, database: str = "postgres") -> psycopg.Connection[Any]:
        libpq = self._base.set(drivername="postgresql", database=database)
        return psycopg.connect(libpq.render_as_string(hide_password=False), autocommit=True)

    def _execute(self, sql: str) -> None:
        with self._connect() as connection:
            connection.execute(sql)

    def empty_database(self) -> str:
        """A new database without any table: its name (``drop`` it when done)."""
        name = f"magwise_{uuid.uuid4().hex[:16]}"
        self._execute(f'CREATE DATABASE "{name}"')
        self._made.add(name)
        return name

    def store_database(self) -> str:
        """A database holding an empty store (the schema at head, no rows): its name.

        Give it back with ``release``.
        """
        if self._free:
            return self._free.pop()
        from magwise.store import Store

        name = self.empty_database()
        Store.open(self.url(name)).close()
        if self._shape is None:
            self._learn(name)
        return name

    _SHAPE = (
        "SELECT (SELECT string_agg(version_num, ',') FROM alembic_version), "
        "(SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables "
        "WHERE schemaname = 'public')"
    )

    def _learn(self, name: str) -> None:
        """What a new store holds, and how to empty it (children before parents)."""
        from sqlalchemy import MetaData, create_engine
        from sqlalchemy.pool import NullPool

        with self._connect(name) as connection:
            row = connection.execute(self._SHAPE).fetchone()
        assert row is not None
        self._shape = (str(row[0]), str(row[1]))
        engine = create_engine(self.url(name), poolclass=NullPool)
        try:
            metadata = MetaData()
            metadata.reflect(engine)
        finally:
            engine.dispose()
        self._empty_out = "".join(
            f'DELETE FROM "{table.name}";'
            for table in reversed(metadata.sorted_tables)
            if table.name != "alembic_version"
        )

    def release(self, name: str) -> None:
        """Empty a store database for the next test (or drop it, if it changed shape)."""
        try:
            with self._connect() as admin:
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (name,),
                )
            with self._connect(name) as connection:
                row = connection.execute(self._SHAPE).fetchone()
                if row is None or (str(row[0]), str(row[1])) != self._shape:
                    raise LookupError("the test changed the schema")
                with connection.transaction():
                    connection.execute(self._empty_out)
                    connection.execute(
                        "SELECT setval(format('%I.%I', schemaname, sequencename)::regclass, "
                        "1, false) FROM pg_sequences WHERE schemaname = 'public'"
                    )
        except (LookupError, psycopg.Error):
            self.drop(name)
            return
        self._free.append(name)

    def drop(self, name: str) -> None:
        """Drop a database, closing what is still connected to it."""
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._made.discard(name)
        if name in self._free:
            self._free.remove(name)

    def close(self) -> None:
        """Drop every database made here."""
        for name in list(self._made):
            self.drop(name)


def _as_server_user() -> list[str]:
    """The command prefix that runs a program as the server's user (empty: as us)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        raise PostgresUnavailable(
            f"running as root, and there is no {SERVER_USER!r} user to run the server as"
        ) from None
    runuser = shutil.which("runuser")
    if runuser is None:
        raise PostgresUnavailable("running as root, and there is no runuser to drop to postgres")
    return [runuser, "-u", SERVER_USER, "--"]


#: Stops the server and removes its directory should the test process die
#: without doing so itself (killed, say): argv is our pid, the directory, the stop command.
_WATCHER = """
import os, shutil, subprocess, sys, time
pid, root, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.exists(root):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)
        break
    except PermissionError:
        pass
    time.sleep(1)
"""


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}): {done.stderr or done.stdout}")


@contextlib.contextmanager
def local_server(durable: bool = False) -> Iterator[Server]:
    """Initialise, start, and at the end stop and remove a cluster in a temporary directory.

    ``durable``: every commit is flushed before it is acknowledged
    (``synchronous_commit=on``), for tests that crash the server on purpose.
    """
    programs = find_programs()
    if programs is None:
        raise PostgresUnavailable(
            "initdb and pg_ctl are neither on PATH nor in /usr/lib/postgresql/*/bin "
            f"(install PostgreSQL, or set {URL_VARIABLE})"
        )
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="magwise-postgres-"))
    watcher: subprocess.Popen[bytes] | None = None
    try:
        if prefix:
            entry = pwd.getpwnam(SERVER_USER)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        data = root / "data"
        stop = [*prefix, str(programs / "pg_ctl"), "--pgdata", str(data), "-m", "immediate"]
        watcher = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(os.getpid()), str(root), *stop, "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # outlives a signal to our process group
        )
        _run(
            [
                *prefix,
                str(programs / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                "postgres",
                "--auth",
                "trust",
                "--encoding",
                "UTF8",
                "--locale",
                "C",
                "--no-sync",
            ],
            "initdb",
        )
        server = _start(prefix, programs, root, data, durable)
        try:
            yield server
        finally:
            with contextlib.suppress(psycopg.Error):
                server.close()
            _run([*stop, "--wait", "stop"], "pg_ctl stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if watcher is not None:
            watcher.wait(timeout=10)  # it sees the directory gone


def _start(
    prefix: list[str], programs: Path, root: Path, data: Path, durable: bool = False
) -> Server:
    """Start the server on a free port (another, should one be taken in between)."""
    error: Exception | None = None
    # fsync stays off: a crash of the server (not of the machine) keeps what it wrote
    commit = "on" if durable else "off"
    for _ in range(3):
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
            f"-c fsync=off -c synchronous_commit={commit} -c full_page_writes=off "
            "-c max_connections=200"
        )
        try:
            _run(
                [
                    *prefix,
                    str(programs / "pg_ctl"),
                    "--pgdata",
                    str(data),
                    "--log",
                    str(root / "server.log"),
                    "--options",
                    options,
                    "--wait",
                    "start",
                ],
                "pg_ctl start",
            )
        except RuntimeError as exc:
            log = root / "server.log"
            error = RuntimeError(f"{exc}\n{log.read_text() if log.exists() else ''}")
            continue
        control = [
            str(programs / "pg_ctl"),
            str(data),
            str(root / "server.log"),
            options,
            " ".join(prefix),
        ]
        return Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", control)
    assert error is not None
    raise error


@contextlib.contextmanager
def server_for_tests() -> Iterator[Server]:
    """The server named by ``$MAGWISE_TEST_POSTGRES_URL``, else a throwaway local one."""
    given = os.environ.get(URL_VARIABLE)
    if given:
        server = Server(given)
        try:
            yield server
        finally:
            server.close()
        return
    with local_server() as server:
        yield server
