"""The input tables of cohort mode: their columns, types and bounds.

The bounds of each number are those of the case file (``magwise.case``): the
same constants of ``magwise.bounds`` (``tests/test_cohort.py`` checks each
against the same field of the case model that ``case_model`` names), so a row the
cohort accepts is a row a case file accepts. Nothing here imports Pydantic: the
foods' checks are made while the command still imports it (``_early``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from magwise.bounds import (
    MAX_AGE_YEARS,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_MG_PER_LITER,
)
from magwise.errors import InputError

Kind = Literal["id", "text", "number", "date", "bool", "codes"]
TableName = Literal["people", "foods", "supplements", "water", "labs"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool
    meaning: str
    case_model: str | None = None  # the case model whose field of this name has the bounds
    ge: float | None = None  # at least
    gt: float | None = None  # more than
    le: float | None = None  # at most

    def bounds(self) -> tuple[float | None, float | None, float | None]:
        """(at least, more than, at most), as the case model's field has them."""
        return self.ge, self.gt, self.le


@dataclass(frozen=True)
class Table:
    name: TableName
    meaning: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_PERSON = Column("person_id", "id", True, "the person's id in the people table")
_DATE = Column("date", "date", True, "the day (ISO date, YYYY-MM-DD)")

TABLES: dict[TableName, Table] = {
    t.name: t
    for t in (
        Table(
            "people",
            "one row per person",
            (
                Column("person_id", "id", True, "unique id (integer or text)"),
                Column("sex", "text", True, "female or male"),
                Column(
                    "age_years", "number", True, "age in years", "Profile", 0, None, MAX_AGE_YEARS
                ),
                Column("pregnant", "bool", False, "true or false (empty: false)"),
                Column("lactating", "bool", False, "true or false (empty: false)"),
                Column("conditions", "codes", False, "condition codes, ';'-separated or a list"),
                Column("medications", "codes", False, "medication codes, ';'-separated or a list"),
                Column("symptoms", "codes", False, "symptom codes, ';'-separated or a list"),
            ),
        ),
        Table(
            "foods",
            "one row per food eaten",
            (
                _PERSON,
                _DATE,
                Column("ndb", "text", True, "SR28 NDB number (e.g. 11457 or 01001)"),
                Column("grams", "number", True, "grams eaten", "FoodEntry", 0, None, MAX_GRAMS),
            ),
        ),
        Table(
            "supplements",
            "one row per supplement taken",
            (
                _PERSON,
                _DATE,
                Column("form", "text", False, "supplement form (magwise codes forms)"),
                Column(
                    "elemental_mg",
                    "number",
                    False,
                    "elemental mg (label)",
                    "SupplementEntry",
                    0,
                    None,
                    MAX_ELEMENTAL_MG,
                ),
                Column(
                    "compound_mg",
                    "number",
                    False,
                    "compound mg (needs form)",
                    "SupplementEntry",
                    0,
                    None,
                    MAX_ELEMENTAL_MG,
                ),
            ),
        ),
        Table(
            "water",
            "one row per drink of water",
            (
                _PERSON,
                _DATE,
                Column("liters", "number", True, "litres drunk", "WaterEntry", 0, None, MAX_LITERS),
                Column(
                    "mg_per_liter",
                    "number",
                    True,
                    "magnesium, mg/L",
                    "WaterEntry",
                    0,
                    None,
                    MAX_MG_PER_LITER,
                ),
            ),
        ),
        Table(
            "labs",
            "one row per blood result",
            (
                _PERSON,
                Column("date", "date", False, "date of the test (empty: oldest)"),
                Column("value", "number", True, "the result", "Lab", 0),
                Column(
                    "unit", "text", True, "the test's unit, e.g. mmol/L, mL/min/1.73 m², µmol/L"
                ),
                Column(
                    "test",
                    "text",
                    False,
                    "serum_magnesium (empty), rbc_magnesium, egfr or creatinine",
                ),
                Column("comparator", "text", False, "<, <=, > or >= (empty: the exact value)"),
            ),
        ),
    )
}


# DuckDB type names accepted for each kind of column (VARCHAR is always read and cast).
_INTEGER: tuple[str, ...] = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
_INTEGER += ("UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
_NUMBER = (*_INTEGER, "FLOAT", "DOUBLE", "DECIMAL")
ACCEPTED_TYPES: dict[Kind, tuple[str, ...]] = {
    "id": (*_INTEGER, "VARCHAR"),
    "text": (*_NUMBER, "VARCHAR"),
    "number": (*_NUMBER, "VARCHAR"),
    "date": ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "VARCHAR"),
    "bool": ("BOOLEAN", *_INTEGER, "VARCHAR"),
    "codes": ("VARCHAR", "VARCHAR[]"),
}
INTEGER_TYPES = _INTEGER


def id_type_of(people_types: dict[str, str]) -> str:
    """Integer ids stay integers (fast joins); anything else is text."""
    return "BIGINT" if people_types["person_id"] in INTEGER_TYPES else "VARCHAR"


def check_columns(table: Table, where: str, types: dict[str, str]) -> None:
    """Fail on a missing required column or a column whose type cannot hold its values."""
    missing = [c.name for c in table.columns if c.required and c.name not in types]
    if missing:
        raise InputError(
            where,
            f"missing column(s) {', '.join(missing)}; the {table.name} table has "
            f"{', '.join(c.name for c in table.columns)} (see docs/cohort.md)",
        )
    for column in table.columns:
        kind = types.get(column.name)
        if kind is None:
            continue
        base = kind.split("(")[0]
        if base not in ACCEPTED_TYPES[column.kind] and base.strip('"') != "NULL":  # all empty
            raise InputError(
                f"{where}: column {column.name}",
                f"has type {kind}; accepted: {', '.join(ACCEPTED_TYPES[column.kind])}",
            )
