"""Arrow tables made of NumPy columns, by DuckDB.

Where pandas is installed, pyarrow imports it on the first array made from
NumPy or Python values (and on the first ``to_numpy``), which takes about as
long as the rules of a 100,000-person cohort. DuckDB reads NumPy columns and
returns Arrow tables without it, so cohort mode hands its columns over this way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa

from magwise.cohort._start import database, lit, q


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


def _expression(name: str, values: Any, kind: pa.DataType) -> tuple[str, Any]:
    """The SQL that gives column ``name`` its Arrow type, and the values DuckDB reads."""
    column = q(name)
    if isinstance(values, np.ndarray) and values.dtype.kind == "U":
        values = labelled(values)
    if isinstance(values, Labelled):  # DuckDB reads the codes
        listed = ", ".join("NULL" if label is None else lit(label) for label in values.labels)
        return f"CAST(([{listed}])[{column} + 1] AS VARCHAR)", values.codes
    if kind == pa.string():  # str or None, or numbers written as text
        return f"CAST({column} AS VARCHAR)", values
    if values.dtype.kind == "f":  # NaN: no value
        value = f"{column} <> 0" if kind == pa.bool_() else column
        return f"CASE WHEN isnan({column}) THEN NULL ELSE {value} END", values
    return column, values


def table(columns: Mapping[str, Any], schema: pa.Schema) -> pa.Table:
    """The table of ``schema`` whose columns are the NumPy arrays of the same names.

    Text columns are ``Labelled``, arrays of ``str`` (few distinct labels), or
    arrays of objects (``None``: no value); in float columns, NaN is no value
    (and 1.0 / 0.0 are true / false where the schema wants a boolean).
    """
    select = []
    arrays = {}
    for field in schema:
        values = columns[field.name]
        if not isinstance(values, Labelled):
            values = np.asarray(values)
        sql, arrays[field.name] = _expression(field.name, values, field.type)
        select.append(f"{sql} AS {q(field.name)}")
    con = database().cursor()
    try:
        con.register("columns", arrays)
        result = con.sql(f"SELECT {', '.join(select)} FROM columns").to_arrow_table()
    finally:
        con.close()
    return result if result.schema.equals(schema) else result.cast(schema)
