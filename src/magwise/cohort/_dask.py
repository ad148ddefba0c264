"""Beyond one machine: the intake tables read, checked and summed on a Dask cluster.

This process (the client) plans the work. It lists the parts of each intake
input (foods, supplements, water) and cuts them into pieces: runs of a Parquet
file's row groups, a large row group in runs of rows, a CSV file whole. A worker
reads each piece once, with DuckDB, and keeps it in memory while the run lasts.

1. Each piece gives its number of rows and the distinct cells the lookups need.
   The client resolves those cells (the food index is here, not on the workers),
   and checks the people and lab tables (one row per person or test) itself, as
   the DuckDB engine does.
2. The lookups and the accepted people go to every worker. Each piece's rows are
   checked there (the SQL of ``_checks``) and split by a hash of the person into
   buckets, summed by person and day on the way; each bucket, all the days of its
   people, is summed by person (as ``_sums.FAST``) on a worker. Only the sums come
   back, a row per person.

Without a scheduler's address the engine starts a local cluster of worker
processes for the run. If a worker dies, the scheduler runs its tasks again on
the others (reading its pieces again); a piece that cannot be read, a cluster
that cannot be reached or that has no worker left ends the run with one error.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from magwise.cohort import _checks, _frame, _start
from magwise.cohort._duckdb import DuckDBEngine, Progress
from magwise.cohort._engine import BAD_ROWS_SCHEMA, Inputs, Maps
from magwise.cohort._start import Source, q
from magwise.cohort._tables import TABLES, TableName, check_columns
from magwise.errors import InputError
from magwise.knowledge import Knowledge

_INTAKE: tuple[TableName, ...] = ("foods", "supplements", "water")
# a piece's checked rows summed by person and day (whole numbers of ng and counts in doubles,
# exact in any order: see ``_sums``), with the bucket of the person
_PIECE_DAYS = """
SELECT person_id, date,
    CAST(sum(CASE WHEN _ok THEN f ELSE 0.0 END) AS DOUBLE) AS f,
    CAST(sum(CASE WHEN _ok THEN w ELSE 0.0 END) AS DOUBLE) AS w,
    CAST(sum(CASE WHEN _ok THEN s ELSE 0.0 END) AS DOUBLE) AS s,
    CAST(sum(_ok::INTEGER) AS DOUBLE) AS n,
    CAST(bool_or(_ok AND taken) AS BOOLEAN) AS taken,
    CAST(sum((NOT _ok)::INTEGER) AS DOUBLE) AS bad,
    CAST(hash(person_id) % {buckets} AS INTEGER) AS _bucket
FROM ({checked}) GROUP BY person_id, date
"""

# ``_sums.FAST`` from the day rows of the pieces: the same columns and types
_PERSON_SUMS = """
WITH day AS (
    SELECT person_id, date, sum(f) AS f, sum(w) AS w, sum(s) AS s, sum(n) AS n,
        bool_or(taken) AS taken, sum(bad) AS bad
    FROM days GROUP BY person_id, date
)
SELECT person_id,
    count(*) FILTER (WHERE n > 0) AS days,
    coalesce(sum(f), 0.0) AS food_sum,
    coalesce(sum(w), 0.0) AS water_sum,
    coalesce(sum(s), 0.0) AS supplement_sum,
    CAST(sum(n) AS BIGINT) AS entries,
    coalesce(bool_or(taken), false) AS supplements_taken,
    CAST(sum(bad) AS BIGINT) AS bad_rows
FROM day GROUP BY person_id
"""

#: rows of a piece: at least PIECE_MIN (a task's overhead), at most PIECE_MAX (memory)
PIECE_MIN = 200_000
PIECE_MAX = 2_000_000
#: how long the run waits for a worker when the cluster has none
WORKERLESS_SECONDS = 30.0
#: how long the client waits to reach the scheduler
CONNECT_SECONDS = 10


class PieceError(Exception):
    """A piece a worker could not read: its file and DuckDB's first line."""


@dataclass(frozen=True)
class Piece:
    """Rows ``first`` to ``last`` (0-based, in the file) of one part; CSV: the whole file."""

    source: Source
    part: int
    first: int = 0
    last: int | None = None

    @property
    def file(self) -> str:
        return self.source.parts[self.part]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _connect(tables: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"threads": 1, "preserve_insertion_order": True})
    for name, table in tables.items():
        con.register(name, table)
    return con


# -- the tasks (run on the workers) ------------------------------------------------------------
def read_piece(piece: Piece, columns: dict[str, str]) -> pa.Table:
    """The piece's rows in the columns and types the client saw; ``_local``: its row in the file."""
    con = _connect({})
    try:
        reader = piece.source.reader([piece.file])
        described = con.sql(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        have = {str(row[0]) for row in described}
        select = ", ".join(
            (f"CAST({q(c)} AS {kind})" if c in have else f"NULL::{kind}") + f" AS {q(c)}"
            for c, kind in columns.items()
        )
        if piece.source.format == "parquet":
            last = "" if piece.last is None else f" AND file_row_number <= {piece.last}"
            sql = (
                f"SELECT {select}, file_row_number AS _local FROM {reader} "
                f"WHERE file_row_number >= {piece.first}{last}"
            )
        else:
            sql = f"SELECT {select}, row_number() OVER () - 1 AS _local FROM {reader}"
        table: pa.Table = con.sql(sql).to_arrow_table()
        return table
    except duckdb.Error as exc:
        raise PieceError(f"{piece.file}: {_first_line(exc)}") from None
    finally:
        con.close()


def piece_stats(table: pa.Table, texts: dict[str, str]) -> tuple[int, dict[str, list[Any]]]:
    """The piece's number of rows and the distinct non-empty cells of some columns, as text."""
    con = _connect({"src": table})
    try:
        cells = {
            column: [
                row[0]
                for row in con.sql(
                    f"SELECT DISTINCT {text} FROM src WHERE src.{q(column)} IS NOT NULL"
                ).fetchall()
            ]
            for column, text in texts.items()
        }
    finally:
        con.close()
    return table.num_rows, cells


def _numbered(table: pa.Table, offset: int, shared: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    """A connection where ``src`` is the piece with its rows numbered as in the input."""
    con = _connect({"piece": table, **shared})
    con.execute(
        f"CREATE TEMP VIEW src AS SELECT * EXCLUDE (_local), _local + {offset} + 1 AS _row "
        "FROM piece"
    )
    return con


def piece_days(
    table: pa.Table, offset: int, sql: str, shared: dict[str, Any], buckets: int
) -> list[pa.Table]:
    """The piece's checked rows summed by person and day, split into ``buckets`` by person."""
    con = _numbered(table, offset, shared)
    try:
        con.execute(f"CREATE TEMP TABLE days AS {_PIECE_DAYS.format(checked=sql, buckets=buckets)}")
        return [
            con.sql(
                f"SELECT * EXCLUDE (_bucket) FROM days WHERE _bucket = {bucket}"
            ).to_arrow_table()
            for bucket in range(buckets)
        ]
    finally:
        con.close()


def bucket_of(parts: list[pa.Table], bucket: int) -> pa.Table:
    return parts[bucket]


def person_sums(*parts: pa.Table) -> pa.Table:
    """The sums of the people of one bucket (all their days are in ``parts``)."""
    con = _connect({"days": pa.concat_tables(parts)})
    try:
        table: pa.Table = con.sql(_PERSON_SUMS).to_arrow_table()
        return table
    finally:
        con.close()


def piece_bad_rows(table: pa.Table, offset: int, sql: str, shared: dict[str, Any]) -> pa.Table:
    con = _numbered(table, offset, shared)
    try:
        rows: pa.Table = con.sql(sql).to_arrow_table()
        return rows
    finally:
        con.close()


# -- the client ----------------------------------------------------------------------------------
class DaskEngine(DuckDBEngine):
    """The same job on a Dask cluster: the one named, or local worker processes."""

    name = "dask"
    reads_early = False  # the workers read the intake tables

    def __init__(
        self,
        inputs: Inputs,
        kb: Knowledge,
        maps: Maps,
        progress: Progress,
        scheduler: str | None = None,
    ) -> None:
        super().__init__(inputs, kb, maps, progress)
        self.cluster: Any = None
        self.client: Any = self._client(scheduler)
        self.pieces: dict[TableName, list[Piece]] = {}
        self.loaded: dict[TableName, list[Any]] = {}  # futures of the pieces read
        self.offsets: dict[TableName, list[int]] = {}  # rows before each part
        self.cells: dict[tuple[TableName, str], list[Any]] = {}
        self._shared_futures: dict[str, Any] | None = None

    def _client(self, scheduler: str | None) -> Any:
        from distributed import Client

        try:
            if scheduler:
                return Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)  # type: ignore[no-untyped-call]
            import logging
            import warnings

            from distributed import LocalCluster

            with warnings.catch_warnings():  # "port 8787 is in use": another takes a free one
                warnings.simplefilter("ignore", UserWarning)
                self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=max(1, min(4, os.cpu_count() or 1)),
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",  # this machine's workers only
                    dashboard_address=None,
                    silence_logs=logging.CRITICAL,  # errors come back as one line
                )
            return Client(self.cluster, set_as_default=False)  # type: ignore[no-untyped-call]
        except Exception as exc:
            self.con.close()
            if self.cluster is not None:
                self.cluster.close()
            where = f"cannot reach the Dask scheduler at {scheduler}" if scheduler else "cannot "
            if not scheduler:
                where += "start a local Dask cluster"
            raise InputError("scheduler", f"{where}: {_first_line(exc)}") from None

    # -- reading: the intake tables on the workers -----------------------------------------
    def _sources(self) -> None:
        for name, given in self.inputs.files().items():
            if name not in _INTAKE:
                self._source(name, given)
                continue
            where = f"{name} input {given}"
            source = _start.find(self.con, given, where)
            try:
                described = self.con.sql(f"DESCRIBE SELECT * FROM {source.reader()}").fetchall()
            except duckdb.Error as exc:
                raise InputError(where, f"cannot be read: {_first_line(exc)}") from None
            types = {str(r[0]): str(r[1]) for r in described if r[0] != "file_row_number"}
            check_columns(TABLES[name], where, types)
            self.types[name] = types
            self.sources[name] = source
            try:
                self.pieces[name] = self._pieces(source)
            except duckdb.Error as exc:
                raise InputError(where, f"cannot be read: {_first_line(exc)}") from None
        self._read()

    def _threads(self) -> int:
        threads: dict[str, int] = self.client.nthreads()
        return max(1, sum(threads.values()))

    def _pieces(self, source: Source) -> list[Piece]:
        """Pieces of about equal rows, two or more for each thread of the cluster."""
        if source.format == "csv":
            return [Piece(source, i) for i in range(len(source.parts))]
        listed = ", ".join(_start.lit(part) for part in source.parts)
        groups = self.con.sql(
            "SELECT DISTINCT file_name, row_group_id, row_group_num_rows "
            f"FROM parquet_metadata([{listed}]) ORDER BY file_name, row_group_id"
        ).fetchall()
        sizes: dict[str, list[int]] = {part: [] for part in source.parts}
        for file_name, _, rows in groups:
            sizes.setdefault(str(file_name), []).append(int(rows))
        total = sum(sum(s) for s in sizes.values())
        target = min(PIECE_MAX, max(PIECE_MIN, math.ceil(total / (2 * self._threads()))))
        pieces = []
        for index, part in enumerate(source.parts):
            start = end = 0  # the rows [start, end) not yet given to a piece
            for rows in sizes[part]:
                end += rows
                while end - start >= target:
                    pieces.append(Piece(source, index, start, start + target - 1))
                    start += target
            if end > start or start == 0:  # the rest; an empty file: one empty piece
                pieces.append(Piece(source, index, start, end - 1))
        return pieces

    def _read(self) -> None:
        """Each piece read on a worker; its rows and the cells of its lookup columns."""
        stats = {}
        for name, pieces in self.pieces.items():
            columns = self.types[name]
            self.loaded[name] = [
                self.client.submit(read_piece, piece, columns, pure=False) for piece in pieces
            ]
            texts = {
                column: _checks.raw_text(TABLES[name].column(column), columns)
                for column, _ in _checks.MAPS[name]
                if column in columns
            }
            stats[name] = [self.client.submit(piece_stats, f, texts) for f in self.loaded[name]]
        gathered = self._gather([f for fs in stats.values() for f in fs], "reading the intake")
        at = 0
        for name, pieces in self.pieces.items():
            mine = gathered[at : at + len(pieces)]
            at += len(pieces)
            counts = [0] * len(self.sources[name].parts)
            found: dict[str, set[Any]] = {}
            for piece, (rows, cells) in zip(pieces, mine, strict=True):
                counts[piece.part] += rows
                for column, values in cells.items():
                    found.setdefault(column, set()).update(values)
            self.offsets[name] = [sum(counts[:i]) for i in range(len(counts))]
            for column, values in found.items():
                self.cells[name, column] = sorted(values, key=str)

    def distinct(self, name: TableName, column: str) -> list[Any]:
        if name not in self.pieces:
            return super().distinct(name, column)
        return self.cells.get((name, column), [])

    def _local_tables(self) -> list[TableName]:
        return [n for n in self.types if n not in self.pieces]

    def _shared(self) -> dict[str, Any]:
        """The lookups and the accepted people ids, on every worker once."""
        if self._shared_futures is None:
            tables: dict[str, Any] = {
                f"map_{alias}": self.con.sql(f"SELECT * FROM map_{alias}").to_arrow_table()
                for _, _, alias in self.maps.wanted(self.types)
            }
            tables["people_ok"] = self.con.sql("SELECT person_id FROM people_ok").to_arrow_table()
            self._shared_futures = self.client.scatter(tables, broadcast=True)
        return self._shared_futures

    # -- sums: by person, on the workers ---------------------------------------------------
    def _intake_sums(self) -> None:
        shared = self._shared()
        buckets = 2 * self._threads()
        split = []
        for name, loaded in self.loaded.items():
            # as the DuckDB engine: rows of people not in the people table are counted by
            # person (see bad_row_count); bad_rows() words them
            sql = self.checks[name].checked(fast=True)
            for piece, future in zip(self.pieces[name], loaded, strict=True):
                offset = self.offsets[name][piece.part]
                split.append(self.client.submit(piece_days, future, offset, sql, shared, buckets))
        sums = [
            self.client.submit(
                person_sums, *[self.client.submit(bucket_of, parts, b) for parts in split]
            )
            for b in range(buckets)
        ]
        tables = self._gather(sums, "intake")
        self.con.register("sums_frame", pa.concat_tables(tables))
        self._exec("CREATE TEMP TABLE sums AS SELECT * FROM sums_frame")
        self.con.unregister("sums_frame")

    def bad_rows(self) -> _frame.Frame:
        local = self.con.sql(self._bad_rows_sql()).to_arrow_table()
        shared = self._shared()
        futures = []
        for name, loaded in self.loaded.items():
            sql = self.checks[name].bad_rows(self.inputs.files()[name])
            for piece, future in zip(self.pieces[name], loaded, strict=True):
                offset = self.offsets[name][piece.part]
                futures.append(self.client.submit(piece_bad_rows, future, offset, sql, shared))
        tables = [local, *self._gather(futures, "bad rows")]
        views = [f"bad_{i}" for i in range(len(tables))]
        for view, table in zip(views, tables, strict=True):
            self.con.register(view, table)
        union = " UNION ALL ".join(f"SELECT * FROM {view}" for view in views)
        rows: pa.Table = self.con.sql(f'{union} ORDER BY "table", row').to_arrow_table()
        for view in views:
            self.con.unregister(view)
        return _frame.from_arrow(rows, BAD_ROWS_SCHEMA)

    # -- running -----------------------------------------------------------------------------
    def _gather(self, futures: list[Any], stage: str) -> list[Any]:
        """The futures' results, reporting progress; every failure as one ``InputError``."""
        workerless = None
        while True:
            done = sum(f.done() for f in futures)
            if done == len(futures):
                break
            self.progress(stage, done / len(futures))
            if self.client.scheduler_info().get("workers"):
                workerless = None
            elif workerless is None:
                workerless = time.monotonic()
            elif time.monotonic() - workerless > WORKERLESS_SECONDS:
                raise InputError(
                    "scheduler",
                    f"the Dask cluster has had no worker for {WORKERLESS_SECONDS:g} s; "
                    "start workers or check their logs",
                )
            time.sleep(0.05)
        self.progress(stage, 1.0)
        try:
            return list(self.client.gather(futures))
        except PieceError as exc:
            raise InputError("input", f"a Dask worker cannot read {_first_line(exc)}") from None
        except InputError:
            raise
        except Exception as exc:
            from distributed import KilledWorker

            if isinstance(exc, KilledWorker):
                raise InputError(
                    "scheduler",
                    "Dask workers died running the same task again and again "
                    "(out of memory?); see the workers' logs",
                ) from None
            raise InputError(
                "scheduler", f"the Dask cluster failed ({type(exc).__name__}): {_first_line(exc)}"
            ) from None

    def close(self) -> None:
        self.loaded.clear()
        self._shared_futures = None
        super().close()
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()
