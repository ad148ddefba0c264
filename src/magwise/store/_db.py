"""Two ways to talk to the same schema, with the same transaction guarantees.

``SqliteDatabase`` serves the default SQLite file with the ``sqlite3`` module:
importing SQLAlchemy costs more than the whole of ``magwise log`` may take.
``EngineDatabase`` serves any SQLAlchemy URL (PostgreSQL, or SQLite through a
driver). The store writes portable SQL with named parameters, so both run the
same statements. Every write is one transaction; SQLite runs in WAL mode with
``synchronous=FULL`` (a committed write survives a power cut) and foreign keys
on.

On PostgreSQL many writers run at once (several processes, a pool of
connections each): a write that reads before it writes first takes a lock
(``Transaction.lock``, a transaction-scoped advisory lock) on the person it
changes, and every read runs in one ``REPEATABLE READ`` snapshot. SQLite's
write lock already serialises writers, so there the lock is a no-op.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from magwise.errors import InputError, StorageError
from magwise.store._faults import storage_error, translated

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

Row = tuple[Any, ...]
Params = Mapping[str, object]

#: Run on every new SQLite connection (and ``PRAGMA busy_timeout``, from the settings).
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
)


def sqlite_pragmas() -> tuple[str, ...]:
    """``SQLITE_PRAGMAS`` and the busy timeout (``$MAGWISE_BUSY_TIMEOUT_MS``)."""
    from magwise.store._settings import busy_timeout_ms

    # the timeout first: switching to WAL mode needs the lock it waits for
    return (f"PRAGMA busy_timeout={busy_timeout_ms()}", *SQLITE_PRAGMAS)


#: The longest text of each ``String(n)`` column of the store's tables (a test
#: keeps this equal to ``models.py``).
TEXT_LIMITS: dict[str, dict[str, int]] = {
    "persons": {"name": 200},
    "profiles": {"sex": 6, "standard": 10, "hair_pattern": 40, "name": 200},
    "entries": {"kind": 16},
    "food_entries": {"ndb": 20, "portion": 200, "description": 200, "meal": 10},
    "supplement_entries": {"product": 200, "form": 40},
    "water_entries": {"name": 200},
    "shedding_entries": {"method": 16},
    "symptom_entries": {"code": 40},
    "lab_entries": {"test": 20, "unit": 20, "comparator": 2},
    "products": {"name": 200, "form": 40},
    "waters": {"name": 200},
    "plans": {"form": 40},
    "photos": {"area": 16, "media_type": 20},
    "own_foods": {
        "name": 200,
        "name_de": 200,
        "name_en": 200,
        "barcode": 40,
        "portion": 200,
    },
    "meals": {"name": 200},
}

#: PostgreSQL connections each process keeps open, and how many more it may
#: open for a burst (the server's ``max_connections`` bounds the sum over processes).
POOL_SIZE = 5
POOL_OVERFLOW = 10
#: The first key of the advisory locks ``Transaction.lock`` takes on PostgreSQL.
LOCK_SPACE = 0x6D67  # "mg"


class Transaction(Protocol):
    """What the store may do inside one transaction."""

    def rows(self, sql: str, params: Params | None = None) -> list[Row]: ...

    def run(self, sql: str, params: Params | None = None) -> None: ...

    def lock(self, key: int) -> None:
        """Hold the lock ``key`` (a person id; 0: the persons table) until the end.

        Writers that read before they write (``undo``, ``set_profile``...) take
        it first, so two of them for the same person run one after the other.
        """


class Database(Protocol):
    url: str

    def read(self) -> Any: ...  # a context manager giving a Transaction

    def write(self) -> Any: ...

    def revision(self) -> str | None: ...

    def close(self) -> None: ...


def check_text(table: str, values: Params) -> None:
    """Refuse text no database may hold: a NUL character, or longer than its column.

    PostgreSQL refuses both, SQLite would keep them: checked before writing,
    they are refused alike, naming the field.
    """
    for field, value in values.items():
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise InputError(field, "must not contain the NUL character")
        limit = TEXT_LIMITS.get(table, {}).get(field)
        if limit is not None and len(value) > limit:
            raise InputError(field, f"at most {limit} characters ({len(value)} given)")


def insert(tx: Transaction, table: str, values: Params) -> int:
    """Insert one row and return its ``id`` (portable: ``RETURNING``)."""
    check_text(table, values)
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

    def lock(self, key: int) -> None:
        """Nothing to do: a write transaction holds the database's write lock."""


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
                return sqlite3.connect(path, isolation_level=None, timeout=0)

        with translated(path):
            self._connection = connect()
            try:
                for pragma in sqlite_pragmas():
                    self._connection.execute(pragma).fetchall()
            except BaseException:
                self._connection.close()
                raise

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        with translated(self.path):
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


def engine_url(url: str) -> str:
    """``url`` naming its driver: plain ``postgresql://`` (or ``postgres://``) means psycopg."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def make_engine(url: str) -> Engine:
    """An SQLAlchemy engine; for SQLite, with the pragmas and real transactions.

    SQLite gets no pool (a connection per transaction is cheap, and a pooled one
    would cross threads); any other database a pool of ``POOL_SIZE`` connections,
    checked before use, so a restarted server costs no failed request.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool, QueuePool

    parsed = make_url(engine_url(url))
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            parsed,
            poolclass=QueuePool,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_pre_ping=True,
            pool_recycle=3600,
        )
    engine = create_engine(parsed, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(connection: Any, record: Any) -> None:
        connection.isolation_level = None  # we say BEGIN ourselves
        for pragma in sqlite_pragmas():
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

    def lock(self, key: int) -> None:
        if self._connection.dialect.name == "postgresql":
            self.run(
                "SELECT pg_advisory_xact_lock(:space, :key)", {"space": LOCK_SPACE, "key": key}
            )


def _shown(url: str) -> str:
    """``url`` without its password, to show in an error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


class EngineDatabase:
    """Any database SQLAlchemy reaches."""

    def __init__(self, url: str) -> None:
        from sqlalchemy.exc import ArgumentError

        self.url = url
        try:
            self.engine = make_engine(url)
        except (ArgumentError, ImportError) as exc:
            raise InputError("db", f"cannot use {_shown(url)}: {_first_line(exc)}") from None
        self._postgres = self.engine.dialect.name == "postgresql"
        database = self.engine.url.database
        #: How a fault names this database: the server's address, or the file.
        self.where = _shown(url) if self._postgres or not database else database

    @contextmanager
    def _transaction(self, snapshot: bool = False) -> Iterator[Transaction]:
        with translated(self.where), self.engine.begin() as connection:
            if snapshot and self._postgres:
                connection.exec_driver_sql(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
            yield _EngineTransaction(connection)

    def read(self) -> Any:
        """A read-only transaction; on PostgreSQL all its reads see one snapshot."""
        return self._transaction(snapshot=True)

    def write(self) -> Any:
        return self._transaction()

    def revision(self) -> str | None:
        """The schema revision stored (``None``: none yet); the first contact on open."""
        from sqlalchemy import inspect, text
        from sqlalchemy.exc import InterfaceError, OperationalError

        try:
            with self.engine.connect() as connection:
                if not inspect(connection).has_table("alembic_version"):
                    return None
                query = text("SELECT version_num FROM alembic_version")
                value = connection.execute(query).scalar()
        except (OperationalError, InterfaceError) as exc:
            reason = _first_line(exc.orig if exc.orig is not None else exc)
            fault = storage_error(exc, self.where)
            if fault is not None and fault.kind == "unavailable":
                raise StorageError(
                    fault.kind,
                    f"cannot connect to {_shown(self.url)}: {reason}. Start the database "
                    "(or check the address), then try again",
                ) from None
            if fault is not None:
                raise fault from None
            raise InputError("db", f"cannot connect to {_shown(self.url)}: {reason}") from None
        return None if value is None else str(value)

    def close(self) -> None:
        self.engine.dispose()


class AccountGone(Exception):
    """The account a request acts for was deleted, or no longer owns the person."""


class OwnedDatabase:
    """``inner``, where every transaction first checks that account ``account_id`` still
    exists and still owns person ``person_id`` (``AccountGone`` when not).

    The check runs inside the transaction that reads or writes, after the person's
    lock is taken (``Transaction.lock``), so an account deleted while a request was
    under way can neither be written for nor read, and nothing is written when the
    check fails. Ids are never reused (revision 0004), so an id held across the
    deletion never names another account's person.
    """

    def __init__(self, inner: Database, account_id: int, person_id: int) -> None:
        self._inner = inner
        self.url = inner.url
        self.account_id = account_id
        self.person_id = person_id

    def _check(self, tx: Transaction) -> None:
        found = tx.rows(
            "SELECT count(*) FROM accounts WHERE id = :a AND person_id = :p",
            {"a": self.account_id, "p": self.person_id},
        )
        if not found[0][0]:
            raise AccountGone(f"account {self.account_id} no longer owns person {self.person_id}")

    @contextmanager
    def _checked(self, write: bool) -> Iterator[Transaction]:
        with self._inner.write() if write else self._inner.read() as tx:
            if write:
                tx.lock(self.person_id)
            self._check(tx)
            yield tx

    def read(self) -> Any:
        return self._checked(write=False)

    def write(self) -> Any:
        return self._checked(write=True)

    def revision(self) -> str | None:
        return self._inner.revision()

    def close(self) -> None:
        """Nothing: the database belongs to the store this one was made from."""
