"""How cohort mode names a table's columns: their names and DuckDB types."""

from __future__ import annotations

from typing import NamedTuple


class Field(NamedTuple):
    """A column: its name and DuckDB type (VARCHAR, DOUBLE, BOOLEAN, TINYINT, BIGINT, VARCHAR[])."""

    name: str
    type: str


Schema = tuple[Field, ...]
