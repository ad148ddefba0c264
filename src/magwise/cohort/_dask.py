"""Beyond one machine: Dask reads the intake tables and runs the same checks and sums.

The row checks and the per-person sums are the SQL of ``_checks`` and ``_sums``,
run by DuckDB inside each Dask task on that task's partition; Dask does the
reading, the shuffle that brings each person's rows together, and the
scheduling, locally or on a cluster (``scheduler``: the address of a
``dask.distributed`` scheduler). The people and lab tables are one row per
person or test; the client reads them, as the DuckDB engine does.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from magwise.cohort import _checks, _sums
from magwise.cohort._duckdb import DuckDBEngine, Progress
from magwise.cohort._engine import Inputs, Maps
from magwise.cohort._start import file_format, q
from magwise.cohort._tables import TABLES, TableName, check_columns
from magwise.errors import InputError
from magwise.knowledge import Knowledge

_INTAKE: tuple[TableName, ...] = ("foods", "supplements", "water")
_ENTRY_COLUMNS = "person_id, date, _row, f, w, s, taken, _ok"


def _connect(tables: dict[str, Any]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config={"threads": 1})
    for name, table in tables.items():
        con.register(name, table)
    return con


def _with_rows(frame: pd.DataFrame, offsets: list[int], partition_info: Any = None) -> pd.DataFrame:
    """Number the rows of a partition as in the file (1-based)."""
    start = offsets[partition_info["number"]] if partition_info else 0
    out = frame.copy()
    out["_row"] = range(start + 1, start + 1 + len(frame))
    return out


def _distinct(frame: pd.DataFrame, text_sql: str, column: str) -> pd.DataFrame:
    con = _connect({"src": frame})
    sql = f"SELECT DISTINCT {text_sql} AS raw_text FROM src WHERE src.{q(column)} IS NOT NULL"
    return con.sql(sql).df()


def _checked(frame: pd.DataFrame, sql: str, tables: dict[str, Any]) -> pd.DataFrame:
    con = _connect({"src": frame, **tables})
    return con.sql(f"SELECT {_ENTRY_COLUMNS} FROM ({sql})").df()


def _bad(frame: pd.DataFrame, sql: str, tables: dict[str, Any]) -> pd.DataFrame:
    con = _connect({"src": frame, **tables})
    return con.sql(sql).df()


def _person_sums(entries: pd.DataFrame) -> pd.DataFrame:
    """The sums of the people of one partition (all of each person's rows are here)."""
    return _connect({"entries": entries}).sql(_sums.FAST).df()


class DaskEngine(DuckDBEngine):
    """The same job on Dask: local threads, or a cluster."""

    name = "dask"
    reads_early = False  # Dask reads the intake tables itself

    def __init__(
        self,
        inputs: Inputs,
        kb: Knowledge,
        maps: Maps,
        progress: Progress,
        scheduler: str | None = None,
    ) -> None:
        super().__init__(inputs, kb, maps, progress)
        import dask

        self.frames: dict[TableName, Any] = {}
        self.client: Any = None
        if scheduler:
            from dask.distributed import Client

            self.client = Client(scheduler)
            self._config = dask.config.set()
        else:
            self._config = dask.config.set(scheduler="threads")

    # -- reading: intake tables through Dask --------------------------------------------
    def _sources(self) -> None:
        import dask.dataframe as dd

        for name, path in self.inputs.files().items():
            if name not in _INTAKE:
                self._source(name, path)
                continue
            where = f"{name} file {path}"
            if not path.is_file():
                raise InputError(where, "no such file")
            try:
                if file_format(path) == "parquet":
                    frame = dd.read_parquet(str(path))
                else:
                    frame = dd.read_csv(str(path), dtype=str, keep_default_na=False, na_values=[""])
                lengths = frame.map_partitions(len).compute().tolist()
            except Exception as exc:
                raise InputError(where, f"cannot be read: {exc}") from None
            offsets = [sum(lengths[:i]) for i in range(len(lengths))]
            frame = frame.map_partitions(_with_rows, offsets, meta=_with_rows(frame._meta, [0]))
            types = self._types(frame._meta)
            check_columns(TABLES[name], where, types)
            self.types[name] = types
            self.frames[name] = frame

    def _types(self, meta: pd.DataFrame) -> dict[str, str]:
        con = _connect({"meta": meta})
        rows = con.sql("DESCRIBE SELECT * FROM meta").fetchall()
        return {str(r[0]): str(r[1]) for r in rows if r[0] != "_row"}

    def distinct(self, name: TableName, column: str) -> list[Any]:
        if name not in self.frames:
            return super().distinct(name, column)
        text = _checks.raw_text(TABLES[name].column(column), self.types[name])
        frame = self.frames[name]
        meta = _distinct(frame._meta, text, column)
        values = frame.map_partitions(_distinct, text, column, meta=meta).compute()
        return sorted(set(values["raw_text"].dropna().tolist()))

    def _local_tables(self) -> list[TableName]:
        return [n for n in self.types if n not in self.frames]

    def _shared(self) -> dict[str, Any]:
        """The lookups and the accepted people ids, handed to every task."""
        tables: dict[str, Any] = {
            f"map_{alias}": self.con.sql(f"SELECT * FROM map_{alias}").to_arrow_table()
            for _, _, alias in self.maps.wanted(self.types)
        }
        tables["people_ok"] = self.con.sql("SELECT person_id FROM people_ok").to_arrow_table()
        return tables

    # -- sums: shuffle by person, sum per partition ----------------------------------------
    def _intake_sums(self) -> None:
        import dask.dataframe as dd

        shared = self._shared()
        parts = []
        for name in _INTAKE:
            if name not in self.frames:
                continue
            frame = self.frames[name]
            sql = self.checks[name].checked()
            meta = _checked(frame._meta, sql, shared)
            parts.append(frame.map_partitions(_checked, sql, shared, meta=meta))
        entries: Any = dd.concat(parts) if len(parts) > 1 else parts[0]  # type: ignore[no-untyped-call]
        npartitions = max(1, entries.npartitions)
        by_person = entries.shuffle(on="person_id", npartitions=npartitions)
        meta = _person_sums(entries._meta)
        sums = by_person.map_partitions(_person_sums, meta=meta)
        self.progress("intake", 0.0)
        frame = self._compute(sums)
        self.progress("intake", 1.0)
        self.con.register("sums_frame", frame)
        self._exec("CREATE TEMP TABLE sums AS SELECT * FROM sums_frame")

    def bad_rows(self) -> pa.Table:
        local = super().bad_rows()
        shared = self._shared()
        frames = [local.to_pandas()]
        for name in _INTAKE:
            if name not in self.frames:
                continue
            frame = self.frames[name]
            sql = self.checks[name].bad_rows(str(self.inputs.files()[name]))
            meta = _bad(frame._meta, sql, shared)
            frames.append(self._compute(frame.map_partitions(_bad, sql, shared, meta=meta)))
        rows = pd.concat(frames, ignore_index=True)
        rows = rows.sort_values(["table", "row"], kind="stable").reset_index(drop=True)
        return pa.Table.from_pandas(rows, preserve_index=False)

    def _compute(self, collection: Any) -> pd.DataFrame:
        if self.client is not None:
            result: pd.DataFrame = self.client.compute(collection).result()
            return result
        computed: pd.DataFrame = collection.compute()
        return computed

    def close(self) -> None:
        super().close()
        self._config.__exit__(None, None, None)  # type: ignore[no-untyped-call]
        if self.client is not None:
            self.client.close()
