"""Row checks of the input tables, as SQL that any engine runs on its share of rows.

Each table gets one SELECT over its source rows (a relation named ``src`` with
the file's columns and ``_row``, the 1-based row number). It yields the typed
columns, the values the intake needs, ``_ok``, and for rows that are not ok
the first problem: its column, the value and the reason, worded as the case
file's errors are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from magwise.cohort import _lookups as lookups
from magwise.cohort._start import lit, q, text_sql
from magwise.cohort._tables import TABLES, Column, Table, TableName
from magwise.lab_tests import COMPARATORS, LAB_TESTS

if TYPE_CHECKING:
    from magwise.cohort._schema import Schema
    from magwise.knowledge import Knowledge

#: the days a case file's dates may name (Python's ``datetime.date``), and the reason
#: a cell outside them is rejected (after the cell's text)
FIRST_DATE, LAST_DATE = dt.date.min.isoformat(), dt.date.max.isoformat()
DATE_RANGE = f"' is not a date; accepted: {FIRST_DATE} to {LAST_DATE}"

# the lookups each table joins: (column, map table, alias)
MAPS: dict[TableName, tuple[tuple[str, str], ...]] = {
    "people": (
        ("sex", "sex"),
        ("conditions", "conditions"),
        ("medications", "medications"),
        ("symptoms", "symptoms"),
    ),
    "foods": (("ndb", "food"),),
    "supplements": (("form", "form"),),
    "water": (),
    "labs": (("test", "test"), ("unit", "unit")),  # the test first: it decides the units
}


SCHEMAS: dict[str, Schema] = {
    "sex": lookups.SEX,
    "conditions": lookups.CONDITIONS,
    "medications": lookups.MEDICATIONS,
    "symptoms": lookups.SYMPTOMS,
    "food": lookups.FOOD,
    "form": lookups.FORM,
    "unit": lookups.UNIT,
    "test": lookups.TEST,
}


def typed_lookup(alias: str, relation: str) -> str:
    """A SELECT giving the columns of a lookup (``lookups.resolve_all``) read as ``relation``
    the types of ``SCHEMAS[alias]``."""
    columns = [
        f"CAST({q(f.name)} AS {f.type}) AS {q(f.name)}"
        for f in SCHEMAS[alias]
        if not f.type.endswith("[]")
    ]
    return f"SELECT {', '.join(columns)} FROM {relation}"


def ng(mg: str) -> str:
    """An entry's mg in whole nanograms, as ``advisor.intake.to_ng`` makes it.

    A double holding an integer: sums of such doubles are exact, in any order,
    as long as they stay below 2^53 (``_sums``), and cheaper than integer sums.
    """
    return f"floor(({mg}) * 1e6 + 0.5)"


# what each table adds to the intake of its day, in ng: food, water, supplement; taken
VALUES: dict[TableName, str] = {
    "foods": f"CASE WHEN food_mg IS NULL THEN 0.0 ELSE {ng('grams * food_mg / 100')} END AS f, "
    "0.0 AS w, 0.0 AS s, false AS taken",
    "supplements": "0.0 AS f, 0.0 AS w, "
    "CASE WHEN NOT coalesce(form_absorbed, true) THEN 0.0 "
    f"WHEN elemental_mg IS NOT NULL THEN {ng('elemental_mg')} "
    f"ELSE {ng('compound_mg * form_fraction')} END AS s, coalesce(form_absorbed, true) AS taken",
    "water": f"0.0 AS f, {ng('liters * mg_per_liter')} AS w, 0.0 AS s, false AS taken",
}


def resolved_columns(alias: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) a lookup adds to a row, named ``{alias}_{field}``."""
    return [
        (f"{alias}_{f.name}", f.type)
        for f in SCHEMAS[alias]
        if f.name not in ("raw_text", "problem", "codes")
    ]


def raw_text(column: Column, types: dict[str, str]) -> str:
    """The cell as text (a list of codes joined by ';')."""
    return text_sql(column.name, types.get(column.name, ""))


@dataclass(frozen=True)
class Problem:
    column: str
    when: str  # SQL condition over the checked row
    reason: str  # SQL text expression
    value: str  # SQL text expression


@dataclass(frozen=True)
class CheckSql:
    table: TableName
    select: str  # typed rows
    problems: tuple[Problem, ...]
    fast_select: str  # the same without the look-up of the person (see build)
    fast_problems: int  # how many of the problems the fast select checks

    def ok(self, fast: bool = False) -> str:
        problems = self.problems[: self.fast_problems] if fast else self.problems
        return " AND ".join(f"NOT coalesce({p.when}, false)" for p in problems) or "true"

    def checked(self, fast: bool = False) -> str:
        """The rows with ``_ok`` (and, for intake tables, the mg they add)."""
        values = f", {VALUES[self.table]}" if self.table in VALUES else ""
        select = self.fast_select if fast else self.select
        return f"SELECT *, {self.ok(fast)} AS _ok{values} FROM ({select})"

    def bad_rows(self, file: str) -> str:
        """One row per rejected input row: file, table, row, person, column, value, reason."""
        if not self.problems:
            return (
                'SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS "table", NULL::BIGINT AS row,'
                ' NULL::VARCHAR AS person_id, NULL::VARCHAR AS "column",'
                " NULL::VARCHAR AS value, NULL::VARCHAR AS reason WHERE false"
            )

        def case(part: str) -> str:
            arms = " ".join(
                f"WHEN coalesce({p.when}, false) THEN {getattr(p, part)}" for p in self.problems
            )
            return f"CASE {arms} END"

        columns = " ".join(
            f"WHEN coalesce({p.when}, false) THEN {lit(p.column)}" for p in self.problems
        )
        return (
            f'SELECT {lit(file)} AS file, {lit(self.table)} AS "table", _row AS row, '
            f'_person_text AS person_id, CASE {columns} END AS "column", '
            f"{case('value')} AS value, {case('reason')} AS reason "
            f"FROM ({self.select}) WHERE NOT ({self.ok()})"
        )


def _number(c: Column, text: str, given: str, typed: bool) -> list[tuple[str, str]]:
    """(condition, reason) pairs for a number column with the case model's bounds.

    ``typed``: the column holds doubles already, so every value given is a number.
    """
    v = q(c.name)
    out = []
    if not typed:
        out.append(
            (f"{given} AND {v} IS NULL", f"{lit(chr(39))} || {text} || ''' is not a number'")
        )
    out.append((f"isnan({v}) OR isinf({v})", f"{text} || ' is not a number'"))
    ge, gt, le = c.bounds()
    for bound, op, words in ((ge, "<", "at least"), (gt, "<=", "more than"), (le, ">", "at most")):
        if bound is not None:
            out.append(
                (
                    f"{v} {op} {float(bound)!r}",
                    f"{text} || {lit(f' is out of range; accepted: a number {words} {bound:g}')}",
                )
            )
    return out


def build(name: TableName, types: dict[str, str], id_type: str, kb: Knowledge | None) -> CheckSql:
    """The checks of one table whose source columns have the given DuckDB types.

    Only the labs' checks read the knowledge base (``kb``; None will do for the others).
    """
    table: Table = TABLES[name]
    present = [c for c in table.columns if c.name in types]
    select: list[str] = ["src._row AS _row"]
    joins: list[str] = []
    problems: list[Problem] = []

    def add(column: str, when: str, reason: str, value: str) -> None:
        problems.append(Problem(column, when, reason, value))

    for c in table.columns:
        if c.name not in types:  # an optional column left out: empty everywhere
            kind = {"number": "DOUBLE", "date": "DATE", "bool": "BOOLEAN"}.get(c.kind, "VARCHAR")
            select.append(f"NULL::{kind} AS {q(c.name)}")
            select.append(f"NULL::VARCHAR AS {q('_text_' + c.name)}")
            select.append(f"true AS {q('_null_' + c.name)}")
    person = table.columns[0]
    person_text = raw_text(person, types)
    select.append(f"{person_text} AS _person_text")
    for c in present:
        text = raw_text(c, types)
        v = q(c.name)
        select.append(f"{text} AS {q('_text_' + c.name)}")
        tv = q("_text_" + c.name)
        # null flags, not the text, decide: the text is made only for rejected rows
        cell = f"src.{v}"
        if c.kind == "bool" and types[c.name] == "VARCHAR":  # "" and blanks: not given
            cell = f"nullif(trim(src.{v}), '')"
        select.append(f"{cell} IS NULL AS {q('_null_' + c.name)}")
        given = f"NOT {q('_null_' + c.name)}"
        if c.required:
            add(c.name, q("_null_" + c.name), lit("is missing"), "NULL")
        # a column of the type it is cast to holds no value the cast would reject: that
        # check is left out (it costs a little on each of millions of rows)
        typed = types[c.name] == {"id": id_type, "number": "DOUBLE", "date": "DATE"}.get(c.kind)
        if c.kind == "id":
            select.append(f"TRY_CAST(src.{v} AS {id_type}) AS {v}")
            if not typed:
                add(
                    c.name,
                    f"{given} AND {v} IS NULL",
                    f"'''' || {tv} || ''' is not an id of the people table''s type ({id_type})'",
                    tv,
                )
        elif c.kind == "number":
            select.append(f"TRY_CAST(src.{v} AS DOUBLE) AS {v}")
            for when, reason in _number(c, tv, given, typed):
                add(c.name, when, reason, tv)
        elif c.kind == "date":
            select.append(f"TRY_CAST(src.{v} AS DATE) AS {v}")
            if not typed:
                add(
                    c.name,
                    f"{given} AND {v} IS NULL",
                    f"'''' || {tv} || ''' is not a date; accepted: YYYY-MM-DD'",
                    tv,
                )
            # a day a case file can hold: not 'infinity', no year before 1 or after 9999
            add(
                c.name,
                f"{v} NOT BETWEEN DATE {lit(FIRST_DATE)} AND DATE {lit(LAST_DATE)}",
                f"'''' || {tv} || {lit(DATE_RANGE)}",
                tv,
            )
        elif c.kind == "bool":
            select.append(f"coalesce(TRY_CAST({cell} AS BOOLEAN), false) AS {v}")
            select.append(f"TRY_CAST({cell} AS BOOLEAN) IS NULL AS {q('_notbool_' + c.name)}")
            add(
                c.name,
                f"{given} AND {q('_notbool_' + c.name)}",
                f"'''' || {tv} || ''' is not accepted; accepted: true, false'",
                tv,
            )
    for column, alias in MAPS[name]:
        if column not in types:
            select.extend(f"NULL::{kind} AS {col}" for col, kind in resolved_columns(alias))
            continue
        c = table.column(column)
        text = raw_text(c, types)
        joins.append(f"LEFT JOIN map_{alias} AS m_{alias} ON {text} = m_{alias}.raw_text")
        select.extend(
            f"m_{alias}.{col.removeprefix(alias + '_')} AS {col}"
            for col, _ in resolved_columns(alias)
        )
        select.append(f"m_{alias}.problem AS _problem_{alias}")
        add(column, f"_problem_{alias} IS NOT NULL", f"_problem_{alias}", q("_text_" + column))

    if name == "people":
        select.append(
            f"count(*) OVER (PARTITION BY TRY_CAST(src.person_id AS {id_type})) AS _copies"
        )
    _table_rules(name, types, kb, add)
    # rows of a person missing from the people table: the fast path leaves this check
    # to the per-person sums (a person not in people_ok is never assessed)
    fast = f"SELECT {', '.join(select)} FROM src {' '.join(joins)}"
    fast_problems = len(problems)
    if name != "people":
        joins.append(
            f"LEFT JOIN people_ok AS p ON TRY_CAST(src.person_id AS {id_type}) = p.person_id"
        )
        add(
            "person_id",
            "_known IS NULL",
            "'person ' || _person_text || ' is not in the people table "
            "(or that row of the people table was rejected)'",
            "_person_text",
        )
        select.append("p.person_id IS NOT NULL OR NULL AS _known")
    sql = f"SELECT {', '.join(select)} FROM src {' '.join(joins)}"
    return CheckSql(name, sql, tuple(problems), fast, fast_problems)


def _table_rules(
    name: TableName,
    types: dict[str, str],
    kb: Knowledge | None,
    add: Callable[[str, str, str, str], None],
) -> None:
    """Rules across columns of a row, as in the case file's validators."""
    if name == "people":
        has = {c for c in ("pregnant", "lactating") if c in types}
        preg = '"pregnant"' if "pregnant" in has else "false"
        lact = '"lactating"' if "lactating" in has else "false"
        add(
            "pregnant" if has else "person_id",
            f"{preg} AND {lact}",
            lit("choose one of pregnant or lactating, not both"),
            "'pregnant and lactating'",
        )
        add(
            "pregnant" if has else "person_id",
            f"({preg} OR {lact}) AND sex_sex = 1",
            lit("pregnant and lactating apply to sex 'female' only"),
            "'true (sex male)'",
        )
        add(
            "person_id",
            '_copies > 1 AND "person_id" IS NOT NULL',
            "'person ' || _person_text || ' appears more than once in the people table'",
            "_person_text",
        )
    elif name == "supplements":
        el = '"elemental_mg"' if "elemental_mg" in types else "NULL"
        co = '"compound_mg"' if "compound_mg" in types else "NULL"
        form = '"_null_form"' if "form" in types else "true"
        add(
            "elemental_mg",
            f"({el} IS NULL) = ({co} IS NULL)",
            lit("give either elemental_mg (from the label) or compound_mg with a form"),
            f"coalesce(CAST({el} AS VARCHAR), '') || ' / ' || coalesce(CAST({co} AS VARCHAR), '')",
        )
        add(
            "form",
            f"{co} IS NOT NULL AND {form}",
            lit("compound_mg needs a form to convert it to elemental magnesium"),
            "NULL",
        )
    elif name == "labs":
        problem = by_test("unit_problem_")
        add("unit", f"{problem} IS NOT NULL", problem, '"_text_unit"')
        accepted = lit(f"' is not accepted; accepted: {', '.join(COMPARATORS)} (or empty)")
        add(
            "comparator",
            '"_text_comparator" IS NOT NULL AND "_text_comparator" NOT IN '
            f"({', '.join(lit(c) for c in COMPARATORS)})",
            f"'''' || \"_text_comparator\" || {accepted}",
            '"_text_comparator"',
        )
        if kb is None:
            raise ValueError("the labs' checks need the knowledge base")
        low, high = kb.serum.plausible.min.value, kb.serum.plausible.max.value
        add(
            "value",
            f"{LAB_TEST} = 'serum_magnesium' AND unit_per_serum_magnesium IS NOT NULL "
            f'AND NOT ("value" / unit_per_serum_magnesium BETWEEN {low!r} AND {high!r})',
            f'{lit(chr(39))} || "_text_value" || \' \' || "_text_unit" || '
            f"''' is not a possible serum magnesium; accepted: {low:g} to {high:g} mmol/L "
            f"(is the unit right?)'",
            '"_text_value"',
        )


#: a checked lab row's test (empty: serum magnesium, as in the case file)
LAB_TEST = "coalesce(test_code, 'serum_magnesium')"


def by_test(prefix: str) -> str:
    """The column ``{prefix}{test}`` of the row's lab test (e.g. its unit's divisor)."""
    arms = " ".join(f"WHEN {lit(t)} THEN {prefix}{t}" for t in LAB_TESTS)
    return f"CASE {LAB_TEST} {arms} END"
