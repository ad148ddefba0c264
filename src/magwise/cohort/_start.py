"""The first reading of the foods file, begun before the rest of cohort mode is imported.

Importing the checks, the knowledge base, NumPy and pyarrow takes about a third
of a second; DuckDB needs none of them to open its database, see the foods
file and list its distinct NDB numbers (a scan of every row). ``begin`` starts
that on a thread of its own (DuckDB lets go of the GIL while it works) and the
DuckDB engine ``take``s it over: its connection and the distinct cells. This
module imports only DuckDB, so that the command line can call ``begin`` first.
Whatever goes wrong here is left to the engine, which reads the file again and
words the error.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import duckdb

from magwise.errors import InputError

_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []
_pending: dict[str, Early] = {}


def database() -> duckdb.DuckDBPyConnection:
    """The process's in-memory database; each user works on a connection (cursor) of its own.

    Opening a database costs about 30 ms; the engine and the result tables share one.
    """
    with _lock:
        if not _database:
            _database.append(duckdb.connect(config={"preserve_insertion_order": True}))
        return _database[0]


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


#: the file names of each format a cohort input may be made of
SUFFIXES: dict[str, Literal["parquet", "csv"]] = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
}
ACCEPTED = "a .parquet or .csv file, a directory of them or a glob"


def file_format(path: Path | str) -> Literal["parquet", "csv"]:
    suffix = PurePosixPath(str(path)).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(str(path), f"expected {ACCEPTED}")
    return SUFFIXES[suffix]


def _remote(given: str) -> bool:
    """A URL (s3://, gs://, https://...) rather than a local path."""
    return "://" in given and not given.startswith("file://")


@dataclass(frozen=True)
class Source:
    """An input as given (a file, a directory of parts or a glob) and the files it names.

    ``parts`` are in order of their names; a row's number (``_row``) counts
    through them in that order. ``hive``: the parts lie in ``key=value``
    directories, whose keys become text columns.
    """

    given: str
    parts: tuple[str, ...]
    format: Literal["parquet", "csv"]
    hive: bool

    def reader(self, parts: Sequence[str] | None = None) -> str:
        """The DuckDB table function reading ``parts`` (all of them by default)."""
        listed = ", ".join(lit(part) for part in (self.parts if parts is None else parts))
        hive = f"hive_partitioning = {str(self.hive).lower()}, hive_types_autocast = false"
        if self.format == "parquet":
            return f"read_parquet([{listed}], file_row_number = true, union_by_name = true, {hive})"
        return (
            f"read_csv([{listed}], all_varchar = true, header = true, union_by_name = true, {hive})"
        )


def find(con: duckdb.DuckDBPyConnection, given: Path | str, where: str) -> Source:
    """The files an input names: a file, a directory of parts (searched below) or a glob.

    Local paths and anything DuckDB's file systems read (s3://, gs://, https://
    with the httpfs extension, or a file system registered from fsspec).
    """
    text = str(given)
    if any(c in text for c in "*?["):
        pattern = text
    elif PurePosixPath(text).suffix.lower() in SUFFIXES:
        if not _remote(text) and not Path(text).is_file():
            raise InputError(where, "no such file")
        return Source(text, (text,), SUFFIXES[PurePosixPath(text).suffix.lower()], False)
    else:
        if not _remote(text) and not Path(text).is_dir():
            raise InputError(where, f"no such file or directory; accepted: {ACCEPTED}")
        pattern = text.rstrip("/") + "/**"
    try:
        found = [
            str(row[0]) for row in con.sql(f"SELECT file FROM glob({lit(pattern)})").fetchall()
        ]
    except duckdb.Error as exc:
        raise InputError(where, f"cannot be listed: {str(exc).strip().splitlines()[0]}") from None
    parts = sorted(
        f
        for f in found
        if PurePosixPath(f).suffix.lower() in SUFFIXES and PurePosixPath(f).name[0] not in "._"
    )
    if not parts:
        raise InputError(where, f"no .parquet or .csv files found; accepted: {ACCEPTED}")
    formats = {SUFFIXES[PurePosixPath(f).suffix.lower()] for f in parts}
    if len(formats) > 1:
        raise InputError(where, "holds both Parquet and CSV files; accepted: one format")
    hive = any("=" in segment for segment in PurePosixPath(parts[0]).parts[:-1])
    return Source(text, tuple(parts), formats.pop(), hive)


def row_offsets(con: duckdb.DuckDBPyConnection, source: Source) -> list[int]:
    """The number of rows before each part of a Parquet input (from the files' footers)."""
    listed = ", ".join(lit(part) for part in source.parts)
    counts = dict(
        con.sql(
            "SELECT file_name, sum(row_group_num_rows) FROM (SELECT DISTINCT file_name, "
            f"row_group_id, row_group_num_rows FROM parquet_metadata([{listed}])) GROUP BY ALL"
        ).fetchall()
    )
    offsets = [0]
    for part in source.parts[:-1]:
        offsets.append(offsets[-1] + int(counts.get(part, 0)))
    return offsets


def source_sql(name: str, source: Source, con: duckdb.DuckDBPyConnection) -> list[str]:
    """The statements making the view ``src_{name}``: the input's columns and ``_row``."""
    if source.format == "parquet":
        row = "file_row_number + 1"
        if len(source.parts) > 1:
            starts = ", ".join(str(n) for n in row_offsets(con, source))
            row = f"file_row_number + ([{starts}]::BIGINT[])[CAST(file_index AS BIGINT) + 1] + 1"
        return [
            f"CREATE TEMP VIEW src_{name} AS SELECT * EXCLUDE (file_row_number), "
            f"{row} AS _row FROM {source.reader()}"
        ]
    return [
        f"CREATE TEMP TABLE csv_{name} AS SELECT * FROM {source.reader()}",
        f"CREATE TEMP VIEW src_{name} AS SELECT *, rowid + 1 AS _row FROM csv_{name}",
    ]


def text_sql(column: str, kind: str) -> str:
    """A cell of ``src`` whose DuckDB type is ``kind`` as text (a list of codes joined by ';')."""
    if kind.endswith("[]"):
        return f"array_to_string(src.{q(column)}, ';')"
    return f"CAST(src.{q(column)} AS VARCHAR)"


def distinct_sql(name: str, column: str, kind: str) -> str:
    """The distinct non-empty cells of a column of ``src_{name}``, as text."""
    return (
        f"SELECT DISTINCT {text_sql(column, kind)} FROM src_{name} AS src "
        f"WHERE src.{q(column)} IS NOT NULL"
    )


class Early:
    """The view ``src_foods`` and the distinct NDB cells, made on a thread of their own;
    then, given the people input, the foods looked up and summed by person (``_early``).

    The engine waits for the first part (``ready``): the connection with
    ``src_foods``, the distinct cells, their lookup and the plan of the person sums.
    The person sums go on meanwhile on a connection of their own; the engine waits
    for them (``result``) only when it needs them.
    """

    def __init__(self, foods: str, people: str | None = None) -> None:
        self.foods = foods
        self.people = people
        self.source: Source | None = None
        self.con: duckdb.DuckDBPyConnection | None = None
        self.distinct: dict[str, list[Any]] = {}  # SELECT -> its cells
        self.food_rows: dict[str, list[Any]] | None = None  # the NDB cells' lookup
        self.food_index: Path | None = None  # the food index file it was made with
        self.plan: Any = None  # the plan of the foods' person sums (an ``_early.Plan``)
        self.sums_made = False  # the person sums are in ``plan.table``
        self.summing: duckdb.DuckDBPyConnection | None = None  # while they are made
        self.ready = threading.Event()
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            ndbs = self._read()
        except Exception:  # whatever it is, the engine meets it again and words it
            ndbs = None
        finally:
            self.ready.set()
        if ndbs is not None and self.plan is not None and self.source is not None:
            self._sum_people()

    def _read(self) -> list[Any] | None:
        """The first part; the distinct NDB cells if the person sums are planned."""
        con = database().cursor()
        try:
            source = find(con, self.foods, "foods")
            for sql in source_sql("foods", source, con):
                con.execute(sql).fetchall()
            described = con.sql("DESCRIBE SELECT * FROM src_foods").fetchall()
            kinds = {str(row[0]): str(row[1]) for row in described}
            if "ndb" in kinds:
                sql = distinct_sql("foods", "ndb", kinds["ndb"])
                self.distinct[sql] = [row[0] for row in con.sql(sql).fetchall()]
            self.source = source
        except Exception:
            con.close()
            self.distinct.clear()
            return None
        self.con = con
        if self.people is None or "ndb" not in kinds:
            return None
        try:
            from magwise.cohort import _early  # the checks: imported on this thread

            ndbs = self.distinct[sql]
            self.food_rows, self.food_index = _early.lookup(ndbs)
            if source.format == "parquet":  # a CSV file would be read twice
                self.plan = _early.plan(con, self.people, kinds, self.food_index)
        except Exception:
            return None  # the engine looks the foods up and sums them itself
        return ndbs

    def _sum_people(self) -> None:
        from magwise.cohort import _early

        assert self.source is not None and self.food_rows is not None
        try:
            self.summing = database().cursor()
            _early.sum_people(self.summing, self.source, self.food_rows, self.plan)
            self.sums_made = True
        except Exception:  # interrupted, or it failed: the engine sums the foods itself
            self.sums_made = False
        finally:
            if self.summing is not None:
                self.summing.close()

    def waiting(self, seconds: float, event: threading.Event | None = None) -> bool:
        """Still at work (on the first part, given ``ready``) after waiting up to ``seconds``."""
        if event is not None:
            return not event.wait(seconds)
        self._thread.join(seconds)
        return self._thread.is_alive()

    def stop(self) -> None:
        """Stop the person sums if they are still being made, and wait for the thread."""
        summing = self.summing
        if summing is not None and self._thread.is_alive():
            with contextlib.suppress(duckdb.Error):
                summing.interrupt()
        self._thread.join()

    def result(self) -> Early | None:
        """This reading once its first part is done, or ``None`` if it failed."""
        self.ready.wait()
        return self if self.con is not None else None


def begin(foods: Path | str, people: Path | str | None = None) -> None:
    """Start reading the foods file for the next DuckDB engine that assesses it (and, given
    the people input, summing the foods by person)."""
    given = str(foods)
    with _lock:
        if given not in _pending:
            _pending[given] = Early(given, None if people is None else str(people))


def take(foods: Path | str) -> Early | None:
    """The reading ``begin`` started of this foods input, if any (each is taken once); the
    caller waits for it (``Early.result``)."""
    with _lock:
        return _pending.pop(str(foods), None)
