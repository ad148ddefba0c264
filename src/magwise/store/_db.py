"""Two ways to talk to the same schema, with the same transaction guarantees.

``SqliteDatabase`` serves the default SQLite file with the ``sqlite3`` module:
importing SQLAlchemy costs more than the whole of ``magwise log`` may take.
``EngineDatabase`` serves any SQLAlchemy URL (PostgreSQL, or SQLite through a
driver). The store writes portable SQL with named parameters, so both run the
same statements. Every write is one transaction; SQLite runs in WAL mode with
``synchronous=FULL`` (a committed write survives a power cut) and foreign keys
on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

Row = tuple[Any, ...]
Params = Mapping[str, object]

#: Run on every new SQLite connection.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


class Transaction(Protocol):
    """What the store may do inside one transaction."""

    def rows(self, sql: str, params: Params | None = None) -> list[Row]: ...

    def run(self, sql: str, params: Params | None = None) -> None: ...


class Database(Protocol):
    url: str

    def read(self) -> Any: ...  # a context manager giving a Transaction

    def write(self) -> Any: ...

    def revision(self) -> str | None: ...

    def close(self) -> None: ...


def insert(tx: Transaction, table: str, values: Params) -> int:
    """Insert one row and return its ``id`` (portable: ``RETURNING``)."""
    columns = ", ".join(values)
    marks = ", ".join(f":{name}" for name in values)
    rows = tx.rows(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id", values)
    return int(rows[0][0])


def _sqlite_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class _SqliteTransaction:
    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        bound = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        return [tuple(row) for row in self._connection.execute(sql, bound).fetchall()]

    def run(self, sql: str, params: Params | None = None) -> None:
        bound = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        self._connection.execute(sql, bound)


class SqliteDatabase:
    """An SQLite file through the ``sqlite3`` module (or any connection like it).

    ``connect`` makes the connection; it must run in autocommit mode (this class
    begins and commits every transaction itself). Tests pass an ``apsw``
    connection here to inject I/O errors.
    """

    def __init__(self, url: str, path: str, connect: Callable[[], Any] | None = None) -> None:
        self.url = url
        self.path = path
        if connect is None:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)

            def connect() -> Any:
                return sqlite3.connect(path, isolation_level=None, timeout=30)

        self._connection = connect()
        try:
            for pragma in SQLITE_PRAGMAS:
                self._connection.execute(pragma).fetchall()
        except BaseException:
            self._connection.close()
            raise

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        self._connection.execute(begin)
        try:
            yield _SqliteTransaction(self._connection)
            self._connection.execute("COMMIT")
        except BaseException:
            if getattr(self._connection, "in_transaction", True):
                with contextlib.suppress(Exception):  # the first error is the one to tell
                    self._connection.execute("ROLLBACK")
            raise

    def read(self) -> Any:
        return self._transaction("BEGIN")

    def write(self) -> Any:
        return self._transaction("BEGIN IMMEDIATE")

    def revision(self) -> str | None:
        with self.read() as tx:
            exists = tx.rows(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'alembic_version'"
            )
            if not exists[0][0]:
                return None
            found = tx.rows("SELECT version_num FROM alembic_version")
        return str(found[0][0]) if found else None

    def close(self) -> None:
        self._connection.close()


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine; for SQLite, with the pragmas and real transactions."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _on_connect(connection: Any, record: Any) -> None:
            connection.isolation_level = None  # we say BEGIN ourselves
            for pragma in SQLITE_PRAGMAS:
                connection.execute(pragma).fetchall()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class _EngineTransaction:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def _statement(self, sql: str, params: Params | None) -> Any:
        from sqlalchemy import Boolean, Date, bindparam, text

        statement = text(sql)
        typed: list[Any] = []
        for name, value in (params or {}).items():
            if isinstance(value, bool):
                typed.append(bindparam(name, type_=Boolean()))
            elif isinstance(value, dt.date):
                typed.append(bindparam(name, type_=Date()))
        return statement.bindparams(*typed) if typed else statement

    def rows(self, sql: str, params: Params | None = None) -> list[Row]:
        result = self._connection.execute(self._statement(sql, params), dict(params or {}))
        return [tuple(row) for row in result.all()]

    def run(self, sql: str, params: Params | None = None) -> None:
        self._connection.execute(self._statement(sql, params), dict(params or {}))


class EngineDatabase:
    """Any database SQLAlchemy reaches."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        with self.engine.begin() as connection:
            yield _EngineTransaction(connection)

    def read(self) -> Any:
        return self._transaction()

    def write(self) -> Any:
        return self._transaction()

    def revision(self) -> str | None:
        from sqlalchemy import inspect, text

        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            value = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)

    def close(self) -> None:
        self.engine.dispose()
