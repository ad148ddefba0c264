"""The embedded engine: DuckDB reads the files and runs the checks and sums in place."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import duckdb

from magwise.cohort import _checks, _early, _frame, _start, _sums
from magwise.cohort._engine import BAD_ROWS_SCHEMA, Inputs, Maps, people_sql
from magwise.cohort._tables import TABLES, TableName, check_columns, id_type_of
from magwise.errors import InputError
from magwise.knowledge import Knowledge

Progress = Callable[[str, float], None]
Columns = dict[str, Any]  # column name -> NumPy array (masked where DuckDB had NULLs)


class DuckDBEngine:
    """One machine, no server: every table is scanned where it lies."""

    name = "duckdb"
    reads_early = True  # takes over the reading of the foods file ``_start.begin`` began

    def __init__(self, inputs: Inputs, kb: Knowledge, maps: Maps, progress: Progress) -> None:
        self.inputs = inputs
        self.kb = kb
        self.maps = maps
        self.progress = progress
        # the first reading of the foods file, if the command line began it (see _start)
        self.early = self._wait(_start.take(inputs.foods)) if self.reads_early else None
        con = None if self.early is None else self.early.con
        self.early_plan: _early.Plan | None = None  # the early person sums this run takes
        # its temporary tables go when it closes
        self.con = _start.database().cursor() if con is None else con
        self.types: dict[TableName, dict[str, str]] = {}
        self.checks: dict[TableName, _checks.CheckSql] = {}
        self.sources: dict[TableName, _start.Source] = {}

    def _wait(self, early: _start.Early | None) -> _start.Early | None:
        """The early reading's first part once done, with DuckDB's progress meanwhile."""
        if early is None:
            return None
        while early.waiting(0.1, early.ready):
            self._early_progress("checking the tables", early.con)
        return early.result()

    def _early_progress(self, label: str, con: duckdb.DuckDBPyConnection | None) -> None:
        try:
            share = -1.0 if con is None else con.query_progress()
        except duckdb.Error:
            share = -1.0
        if share >= 0:
            self.progress(label, share / 100)

    # -- reading ------------------------------------------------------------
    def _source(self, name: TableName, given: str) -> None:
        where = f"{name} input {given}"
        try:
            if name == "foods" and self.early is not None and self.early.source is not None:
                self.sources[name] = self.early.source  # its view is there already
            else:
                self.sources[name] = _start.find(self.con, given, where)
                for sql in _start.source_sql(name, self.sources[name], self.con):
                    self._exec(sql)
            described = self.con.sql(f"DESCRIBE SELECT * FROM src_{name}").fetchall()
        except duckdb.Error as exc:
            raise InputError(where, f"cannot be read: {_first_line(exc)}") from None
        types = {str(row[0]): str(row[1]) for row in described if row[0] != "_row"}
        check_columns(TABLES[name], where, types)
        self.types[name] = types

    def distinct(self, name: TableName, column: str) -> list[Any]:
        """The distinct non-empty cells of a column, as text."""
        sql = _start.distinct_sql(name, column, self.types[name].get(column, ""))
        if self.early is not None and sql in self.early.distinct:
            return self.early.distinct.pop(sql)
        return [r[0] for r in self.con.sql(sql).fetchall()]

    def _sources(self) -> None:
        for name, path in self.inputs.files().items():
            self._source(name, path)

    def load(self) -> None:
        self._sources()
        self.id_type = id_type_of(self.types["people"])
        wanted = list(self.maps.wanted(self.types))
        for name in self.types:
            self.checks[name] = _checks.build(name, self.types[name], self.id_type, self.kb)
        looked_up = self._early_lookup()
        # The foods' NDB numbers are many (thousands): Python resolves them on another
        # thread, begun first, while DuckDB, which lets go of the GIL while it works,
        # reads the other cells and checks the people. One script for the checks, so
        # that the two threads hand the GIL over as seldom as possible.
        foods = None
        for name, column, alias in wanted:
            if alias == "food" and looked_up is None:
                foods = _Resolving(self.maps, alias, self.distinct(name, column))
        cells = {
            alias: self.distinct(name, column) for name, column, alias in wanted if alias != "food"
        }
        for alias, values in cells.items():
            self._map(alias, self.maps.resolve(alias, values))
        self._exec(";\n".join(self._prepare()))
        if foods is not None:
            self._map("food", foods.result())
        elif looked_up is not None:
            _early.make_map(self.con, looked_up)
        if "foods" in self._local_tables():
            self._exec(self._checked_view("foods"))

    def _early_lookup(self) -> dict[str, list[Any]] | None:
        """The early lookup of the NDB cells (``_early``) if this run's would be the same.

        It is when this run's food index is a ``FoodIndex`` of the same file. The
        early person sums are then taken too (``early_plan``) if they were planned for
        these people with the same SQL of the foods' checks.
        """
        from magwise.foods import FoodIndex

        early = self.early
        if early is None or early.food_rows is None or "foods" not in self.types:
            return None
        foods = self.maps.foods
        if not (isinstance(foods, FoodIndex) and foods.path == early.food_index):
            return None
        made = early.plan
        if (
            made is not None
            and made.people == self.inputs.people
            and made.id_type == self.id_type
            and made.fast_view == self._fast_view("foods")
        ):
            self.early_plan = made
        return early.food_rows

    def _map(self, alias: str, columns: dict[str, Any]) -> None:
        """The lookup table ``map_{alias}`` from the columns of ``Maps.resolve``."""
        self.con.register(f"resolved_{alias}", columns)
        self._exec(
            f"CREATE TEMP TABLE map_{alias} AS {self.maps.typed(alias, f'resolved_{alias}')}"
        )
        self.con.unregister(f"resolved_{alias}")

    def _checked_view(self, name: TableName) -> str:
        """The view ``{name}_checked``: every row with ``_ok`` and what it adds."""
        return (
            f"CREATE TEMP VIEW {name}_checked AS WITH src AS "
            f"(SELECT * FROM src_{name}) {self.checks[name].checked()}"
        )

    def _fast_view(self, name: TableName) -> str:
        """The view ``{name}_fast``: the checks that need no people table (see ``_checks``)."""
        return _early.fast_view(name, self.checks[name])

    def _prepare(self) -> list[str]:
        """Everything that needs no food lookup, run while the foods are resolved.

        The checked people, the latest serum value and the rejected lab rows of
        each person. The supplements and water are summed with the foods, in one
        query that keeps both cores busy (here one of them resolves foods).
        """
        people = self.checks["people"]
        statements = [
            # a view: people_ok reads only what it needs of it (no text of every cell)
            f"CREATE TEMP VIEW people_checked AS WITH src AS (SELECT * FROM src_people) "
            f"{people.checked()}",
            f"CREATE TEMP TABLE people_ok AS {people_sql(self.types['people'])}",
        ]
        statements += [
            self._checked_view(name)
            for name in self._local_tables()
            if name not in ("people", "foods")
        ]
        if "labs" in self.types:
            statements += [
                f"CREATE TEMP TABLE {t} AS {_sums.latest(test)}" for t, test in _sums.LATEST.items()
            ]
            statements.append(f"CREATE TEMP TABLE lab_bad AS {_sums.LAB_BAD_ROWS}")
        others = [t for t in self._intake_tables() if t != "foods" and t in self._local_tables()]
        statements += [self._fast_view(name) for name in others]
        return statements

    def _local_tables(self) -> list[TableName]:
        """The tables this connection checks itself (all of them, here)."""
        return list(self.types)

    # -- sums ---------------------------------------------------------------
    def _intake_tables(self) -> list[TableName]:
        intake: tuple[TableName, ...] = ("foods", "supplements", "water")
        return [n for n in intake if n in self.types]

    def sums(self) -> Columns:
        """Per person, in the order of the people table: what ``_rules.People`` holds."""
        self._intake_sums()
        return self._people_sums()

    def _intake_sums(self) -> None:
        """The table ``sums``: one row per person id met in the intake tables."""
        tables = self._intake_tables()
        made = self._early_days()
        if made is not None:  # the foods are summed by person already
            rows = _sums.person_rows(
                [t for t in tables if t != "foods"], self.id_type, [f"SELECT * FROM {made.table}"]
            )
        else:
            self._exec(self._fast_view("foods"))
            rows = _sums.person_rows(tables, self.id_type)
        self._run("intake", f"CREATE TEMP TABLE sums AS {_sums.by_person(rows)}")
        if made is not None:
            _early.drop(self.con, made)

    def _early_days(self) -> _early.Plan | None:
        """The early person sums of the foods once made, if this run takes them."""
        early, made = self.early, self.early_plan
        if early is None or made is None:
            return None
        while early.waiting(0.1):
            self._early_progress("intake", early.summing)
        return made if early.sums_made else None

    def _people_sums(self) -> Columns:
        lab_cols = f"{_sums.no_latest_columns()}, 0::BIGINT AS lab_bad"
        lab_join = ""
        if "labs" in self.types:
            lab_cols = f"{_sums.latest_columns()}, coalesce(lab_bad.bad_rows, 0) AS lab_bad"
            lab_join = " ".join(f"LEFT JOIN {t} USING (person_id)" for t in _sums.LATEST)
            lab_join += " LEFT JOIN lab_bad USING (person_id)"
        columns: Columns = self.con.sql(
            f"""
            SELECT p.*, coalesce(s.days, 0) AS days,
                coalesce(s.food_sum, 0.0) AS food_sum,
                coalesce(s.water_sum, 0.0) AS water_sum,
                coalesce(s.supplement_sum, 0.0) AS supplement_sum,
                coalesce(s.entries, 0) AS entries,
                coalesce(s.supplements_taken, false) AS supplements_taken,
                {lab_cols}, coalesce(s.bad_rows, 0) AS entry_bad
            FROM people_ok p LEFT JOIN sums s USING (person_id) {lab_join}
            ORDER BY p._row
            """
        ).fetchnumpy()
        return columns

    def bad_row_count(self) -> int:
        # every row of the people table is accepted (in people_ok) or rejected
        counts = [
            "SELECT (SELECT count(*) FROM src_people) - (SELECT count(*) FROM people_ok) AS n"
        ]
        # every row of an id missing from the people table is a bad row
        counts.append(
            "SELECT coalesce(sum(CASE WHEN p.person_id IS NULL THEN s.entries + s.bad_rows "
            "ELSE s.bad_rows END), 0) AS n FROM sums s LEFT JOIN people_ok p USING (person_id)"
        )
        if "labs" in self.types:
            counts.append("SELECT count(*) AS n FROM labs_checked WHERE NOT _ok")
        rows = self.con.sql(f"SELECT sum(n) FROM ({' UNION ALL '.join(counts)})").fetchall()
        return int(rows[0][0])

    def bad_rows(self) -> _frame.Frame:
        return _frame.fetched(self.con.sql(self._bad_rows_sql()).fetchnumpy(), BAD_ROWS_SCHEMA)

    def _bad_rows_sql(self) -> str:
        parts = []
        for name, path in self.inputs.files().items():
            if name not in self._local_tables():
                continue
            parts.append(
                f"SELECT * FROM (WITH src AS (SELECT * FROM src_{name}) "
                f"{self.checks[name].bad_rows(str(path))})"
            )
        return " UNION ALL ".join(parts) + ' ORDER BY "table", row'

    # -- running ------------------------------------------------------------
    def _run(self, label: str, sql: str, fetch: bool = False) -> Any:
        """Run ``sql``, reporting DuckDB's own progress on the query."""
        done = threading.Event()
        result: dict[str, Any] = {}

        def work() -> None:
            try:
                if fetch:
                    result["value"] = self.con.sql(sql).fetchnumpy()
                else:
                    self._exec(sql)
            except BaseException as exc:  # handed to the caller below
                result["error"] = exc
            finally:
                done.set()

        thread = threading.Thread(target=work, daemon=True)
        thread.start()
        while not done.wait(0.1):
            try:
                share = self.con.query_progress()
            except duckdb.Error:
                share = -1
            if share >= 0:
                self.progress(label, share / 100)
        thread.join()
        if "error" in result:
            raise result["error"]
        self.progress(label, 1.0)
        return result.get("value")

    def _exec(self, sql: str) -> None:
        self.con.execute(sql).fetchall()

    def close(self) -> None:
        early = self.early
        if early is not None:  # person sums not taken, or a run that failed: not left behind
            early.stop()
            if early.plan is not None:
                with contextlib.suppress(duckdb.Error):  # an error on its way out wins
                    _early.drop(self.con, early.plan)
        self.con.close()


class _Resolving:
    """``Maps.resolve`` of one column's cells, run on a thread of its own."""

    def __init__(self, maps: Maps, alias: str, values: list[Any]) -> None:
        self._done: dict[str, Any] = {}
        self._thread = threading.Thread(target=self._work, args=(maps, alias, values), daemon=True)
        self._thread.start()

    def _work(self, maps: Maps, alias: str, values: list[Any]) -> None:
        try:
            self._done["value"] = maps.resolve(alias, values)
        except BaseException as exc:  # handed to the caller by result()
            self._done["error"] = exc

    def result(self) -> dict[str, Any]:
        self._thread.join()
        if "error" in self._done:
            raise self._done["error"]
        value: dict[str, Any] = self._done["value"]
        return value


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
