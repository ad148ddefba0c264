"""Result tables made of NumPy columns, kept by DuckDB and written by DuckDB.

pyarrow costs about 55 MB and a tenth of a second to import, as much as the
rest of a one-million-row run needs: cohort mode describes its tables with
DuckDB type names, writes Parquet and CSV with DuckDB's ``COPY``, and builds an
Arrow table only when one is asked for (``Frame.arrow``).
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from magwise.cohort._schema import Schema
from magwise.cohort._start import database, lit, q

if TYPE_CHECKING:
    import pyarrow as pa


def arrow_schema(schema: Schema) -> pa.Schema:
    """The same columns as an Arrow schema."""
    import pyarrow as pa

    types = {
        "VARCHAR": pa.string(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "TINYINT": pa.int8(),
        "BIGINT": pa.int64(),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    return pa.schema([(f.name, types[f.type]) for f in schema])


class Labelled(NamedTuple):
    """A text column as the index of each cell's label in ``labels`` (``None``: empty)."""

    codes: Any
    labels: Sequence[str | None]


def labelled(values: Any) -> Labelled:
    """A text column with few distinct values, labelled in order of appearance."""
    codes = np.zeros(len(values), dtype=np.int64)
    found: list[str] = []
    todo = np.arange(len(values))
    while todo.size:  # one pass per label, over the cells not yet labelled
        same = values[todo] == values[todo[0]]
        codes[todo[same]] = len(found)
        found.append(str(values[todo[0]]))
        todo = todo[~same]
    return Labelled(codes, found)


def _expression(name: str, values: Any, kind: str) -> tuple[str, Any]:
    """The SQL that gives column ``name`` its type, and the values DuckDB reads."""
    column = q(name)
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        values = labelled(values)
    if isinstance(values, Labelled):  # DuckDB reads the codes
        listed = ", ".join("NULL" if label is None else lit(label) for label in values.labels)
        return f"CAST(([{listed}])[{column} + 1] AS VARCHAR)", values.codes
    if kind == "VARCHAR":  # str or None, or numbers written as text
        return f"CAST({column} AS VARCHAR)", values
    if values.dtype.kind == "f":  # NaN: no value
        value = f"{column} <> 0" if kind == "BOOLEAN" else column
        return f"CAST(CASE WHEN isnan({column}) THEN NULL ELSE {value} END AS {kind})", values
    return f"CAST({column} AS {kind})", values


class Frame:
    """A table of ``schema`` whose columns are NumPy arrays (or an Arrow table's columns)."""

    def __init__(self, source: Any, select: str, schema: Schema, num_rows: int) -> None:
        self._source = source  # what DuckDB scans as ``columns``
        self._select = select  # the SELECT list over it that gives the schema's types
        self.schema = schema
        self.num_rows = num_rows
        self._arrow: pa.Table | None = None

    def _query(self, run: Any) -> Any:
        con = database().cursor()
        try:
            con.register("columns", self._source)
            return run(con, f"SELECT {self._select} FROM columns")
        finally:
            con.close()

    def arrow(self) -> pa.Table:
        """The table as Arrow (pyarrow is imported here, not before)."""
        if self._arrow is None:
            table = self._query(lambda con, sql: con.sql(sql).to_arrow_table())
            schema = arrow_schema(self.schema)
            self._arrow = table if table.schema.equals(schema) else table.cast(schema)
        return self._arrow

    def write_parquet(self, path: Path) -> None:
        self._query(
            lambda con, sql: con.execute(f"COPY ({sql}) TO {lit(str(path))} (FORMAT parquet)")
        )

    def write_csv(self, path: Path) -> None:
        """CSV as pyarrow's ``write_csv`` writes it: every name and text quoted, no value empty.

        Numbers are written as Arrow writes them (``arrow_number``).
        """
        rows = self._query(lambda con, sql: con.sql(sql).fetchall())
        texts = {f.name for f in self.schema if f.type == "VARCHAR"}
        cells = [(f.name in texts, f.type) for f in self.schema]
        with Path(path).open("w", encoding="utf-8", newline="") as out:
            out.write(",".join(_quoted(f.name) for f in self.schema) + "\n")
            for row in rows:
                out.write(
                    ",".join(
                        _cell(value, text, kind)
                        for value, (text, kind) in zip(row, cells, strict=True)
                    )
                    + "\n"
                )


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any, text: bool, kind: str) -> str:
    if value is None:
        return ""
    if text:
        return _quoted(str(value))
    if kind == "BOOLEAN":
        return "true" if value else "false"
    if kind == "DOUBLE":
        return arrow_number(float(value))
    return str(value)


def arrow_number(x: float) -> str:
    """A float as Arrow writes it: the shortest digits, plain from 1e-6 to below 1e10."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign, digit_tuple, exp = decimal.Decimal(repr(x)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    exp = int(exp) + (len(digit_tuple) - len(digits))
    point = len(digits) + exp  # the value is 0.DIGITS x 10**point
    minus = "-" if sign else ""
    if -6 <= point - 1 < 10:
        if point <= 0:
            return f"{minus}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{minus}{digits}{'0' * (point - len(digits))}"
        return f"{minus}{digits[:point]}.{digits[point:]}"
    scientific = point - 1
    mantissa = digits[0] + (f".{digits[1:]}" if len(digits) > 1 else "")
    return f"{minus}{mantissa}e{'+' if scientific > 0 else ''}{scientific}"


def table(columns: Mapping[str, Any], schema: Schema) -> Frame:
    """The table of ``schema`` whose columns are the NumPy arrays of the same names.

    Text columns are ``Labelled``, arrays of ``str`` (few distinct labels), or
    arrays of objects (``None``: no value); in float columns, NaN is no value
    (and 1.0 / 0.0 are true / false where the schema wants a boolean).
    """
    select = []
    arrays = {}
    rows = 0
    for field in schema:
        values = columns[field.name]
        if not isinstance(values, Labelled):
            values = np.asarray(values)
        sql, arrays[field.name] = _expression(field.name, values, field.type)
        rows = len(arrays[field.name])
        select.append(f"{sql} AS {q(field.name)}")
    return Frame(arrays, ", ".join(select), schema, rows)


def from_arrow(source: pa.Table, schema: Schema) -> Frame:
    """An Arrow table (as the Dask engine makes them) as a frame of ``schema``."""
    select = ", ".join(f"CAST({q(f.name)} AS {f.type}) AS {q(f.name)}" for f in schema)
    return Frame(source, select, schema, source.num_rows)


def empty(schema: Schema) -> Frame:
    """A table of ``schema`` with no rows."""
    columns = {
        f.name: np.zeros(0, dtype=object if f.type == "VARCHAR" else np.float64) for f in schema
    }
    return table(columns, schema)


def fetched(columns: Mapping[str, Any], schema: Schema) -> Frame:
    """The columns of DuckDB's ``fetchnumpy`` (masked where NULL) as a frame of ``schema``."""
    plain: dict[str, Any] = {}
    for field in schema:
        values = columns[field.name]
        if isinstance(values, np.ma.MaskedArray):
            values = np.ma.filled(values.astype(object), None)
        plain[field.name] = values
    select = ", ".join(f"CAST({q(f.name)} AS {f.type}) AS {q(f.name)}" for f in schema)
    rows = len(next(iter(plain.values()))) if plain else 0
    return Frame(plain, select, schema, rows)
