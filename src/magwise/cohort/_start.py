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

import threading
from pathlib import Path
from typing import Any, Literal

import duckdb

from magwise.errors import InputError

_lock = threading.Lock()
_database: list[duckdb.DuckDBPyConnection] = []
_pending: dict[Path, Early] = {}


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


def file_format(path: Path) -> Literal["parquet", "csv"]:
    suffix = path.suffix.lower()
    if suffix in {".parquet", ".pq"}:
        return "parquet"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    raise InputError(str(path), "expected a .parquet or .csv file")


def source_sql(name: str, path: Path) -> list[str]:
    """The statements making the view ``src_{name}``: the file's columns and ``_row``."""
    if file_format(path) == "parquet":
        return [
            f"CREATE TEMP VIEW src_{name} AS SELECT * EXCLUDE (file_row_number), "
            f"file_row_number + 1 AS _row FROM read_parquet({lit(str(path))}, "
            "file_row_number = true)"
        ]
    return [
        f"CREATE TEMP TABLE csv_{name} AS SELECT * FROM "
        f"read_csv({lit(str(path))}, all_varchar = true, header = true)",
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
    """The view ``src_foods`` and the distinct NDB cells, made on a thread of their own."""

    def __init__(self, foods: Path) -> None:
        self.foods = foods
        self.con: duckdb.DuckDBPyConnection | None = None
        self.distinct: dict[str, list[Any]] = {}  # SELECT -> its cells
        self._thread = threading.Thread(target=self._work, daemon=True)
        self._thread.start()

    def _work(self) -> None:
        con = database().cursor()
        try:
            for sql in source_sql("foods", self.foods):
                con.execute(sql).fetchall()
            described = con.sql("DESCRIBE SELECT * FROM src_foods").fetchall()
            kinds = {str(row[0]): str(row[1]) for row in described}
            if "ndb" in kinds:
                sql = distinct_sql("foods", "ndb", kinds["ndb"])
                self.distinct[sql] = [row[0] for row in con.sql(sql).fetchall()]
        except Exception:
            con.close()
            self.distinct.clear()
            return
        self.con = con

    def result(self) -> Early | None:
        """This reading once done, or ``None`` if it failed."""
        self._thread.join()
        return self if self.con is not None else None


def begin(foods: Path | str) -> None:
    """Start reading the foods file for the next DuckDB engine that assesses it."""
    path = Path(foods)
    with _lock:
        if path not in _pending:
            _pending[path] = Early(path)


def take(foods: Path) -> Early | None:
    """The reading ``begin`` started of this foods file, if any (each is taken once)."""
    with _lock:
        early = _pending.pop(Path(foods), None)
    return None if early is None else early.result()
