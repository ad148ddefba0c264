"""The foods, looked up and summed by person early: on ``_start``'s thread, while the command
still imports the rest (Pydantic, the knowledge base, NumPy) and while the engine
checks the people.

Nothing imported here imports Pydantic or NumPy: the work begins a fraction of a
second before the command's imports end. It is what ``DuckDBEngine`` would do
itself, with the same functions:

- ``lookup``: each distinct NDB cell resolved by the food index, as
  ``lookups.food_resolver`` resolves it for the engine;
- ``plan``: the foods' checks (``_checks.build``) for the person ids of the
  people input, and the view ``foods_fast`` they make;
- ``sum_people``: on a connection of its own, the accepted rows summed by person
  and the rejected ones counted (``_sums.person_rows``), into a table
  of the shared database (``Plan.table``), which the engine reads and drops.

The engine takes the person sums only when its own view ``foods_fast`` is the same
text and its food index is a ``FoodIndex`` of the same file; else it drops them
and sums the foods itself.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import duckdb

from magwise.cohort import _checks, _lookups, _start, _sums
from magwise.cohort._tables import TABLES, check_columns, id_type_of

if TYPE_CHECKING:
    from pathlib import Path

_numbers = itertools.count(1)


@dataclass(frozen=True)
class Plan:
    """What the person sums are made with, and the table they go to."""

    people: str  # the people input: the person ids are cast to its id type
    id_type: str
    fast_view: str  # the statement making the view ``foods_fast``
    index: Path | None  # the food index file the NDB cells were resolved with
    table: str  # where the person sums go: a table of the shared database


def fast_view(name: str, check: _checks.CheckSql) -> str:
    """The view ``{name}_fast``: the checks that need no people table (see ``_checks``)."""
    return (
        f"CREATE TEMP VIEW {name}_fast AS WITH src AS (SELECT * FROM src_{name}) "
        f"{check.checked(fast=True)}"
    )


def lookup(ndbs: list[Any]) -> tuple[dict[str, list[Any]], Path | None]:
    """The food lookup of these cells (``lookups.resolve_rows``) and the index file used."""
    from magwise.foods import load_foods

    foods = load_foods()
    rows = _lookups.resolve_rows(ndbs, _lookups.food_resolver(foods), _checks.SCHEMAS["food"])
    return rows, foods.path


def make_map(con: duckdb.DuckDBPyConnection, rows: dict[str, list[Any]]) -> None:
    """The table ``map_food`` on ``con`` from the columns of ``lookup``."""
    names = list(rows)
    cells = ", ".join(f"unnest(${i + 1}) AS {_start.q(name)}" for i, name in enumerate(names))
    relation = f"(SELECT {cells})"
    typed = _checks.typed_lookup("food", relation)
    con.execute(f"CREATE TEMP TABLE map_food AS {typed}", [rows[n] for n in names]).fetchall()


def plan(
    con: duckdb.DuckDBPyConnection, people: str, kinds: dict[str, str], index: Path | None
) -> Plan:
    """The foods' checks for the people input's id type (``con`` has ``src_foods``)."""
    source = _start.find(con, people, f"people input {people}")
    described = con.sql(f"DESCRIBE SELECT * FROM {source.reader()}").fetchall()
    id_type = id_type_of({str(row[0]): str(row[1]) for row in described})
    types = {name: kind for name, kind in kinds.items() if name != "_row"}
    check_columns(TABLES["foods"], "foods", types)
    view = fast_view("foods", _checks.build("foods", types, id_type, None))
    return Plan(people, id_type, view, index, f"early_food_days_{next(_numbers)}")


def sum_people(
    con: duckdb.DuckDBPyConnection, source: _start.Source, rows: dict[str, list[Any]], made: Plan
) -> None:
    """The foods' person sums into ``made.table``, on ``con``, a connection of their own (its
    temporary views and tables go when it closes)."""
    for sql in _start.source_sql("foods", source, con):
        con.execute(sql).fetchall()
    make_map(con, rows)
    con.execute(made.fast_view).fetchall()
    sums = _sums.person_rows(["foods"], made.id_type)
    con.execute(f"CREATE TABLE {made.table} AS {sums}").fetchall()


def drop(con: duckdb.DuckDBPyConnection, made: Plan) -> None:
    """Remove the person sums' table."""
    con.execute(f"DROP TABLE IF EXISTS {made.table}").fetchall()
