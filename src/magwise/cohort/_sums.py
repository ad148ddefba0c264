"""Per-person sums of the intake rows: fast in any order, exact in ``assess``'s order.

``assess`` adds a day's entries in the order given (file order here), then the
days in date order, left to right. ``FAST`` adds in whatever order the engine
likes; it is exact except in the last bits, which matter only where a value sits
on a rounding boundary (``_rules.near_boundary``). For those people ``EXACT``
adds in ``assess``'s order. Both read a relation ``entries`` (person_id, date,
_row, f, w, s, taken, _ok); ``EXACT`` also ``recheck`` (person_id). The Dask
engine runs them on each partition.

The DuckDB engine reads each table where it lies instead: ``days`` and
``by_person`` give ``FAST`` with each table summed by day on its own (the
accepted rows only), ``exact_split`` gives ``EXACT`` with one ordered sum per
table.
"""

from __future__ import annotations

from collections.abc import Sequence

FAST = """
WITH day AS (
    -- rejected rows add 0.0 (x + 0.0 == x) and are counted apart: plain sums are fastest
    SELECT person_id, date,
        sum(CASE WHEN _ok THEN f ELSE 0.0 END) AS f,
        sum(CASE WHEN _ok THEN w ELSE 0.0 END) AS w,
        sum(CASE WHEN _ok THEN s ELSE 0.0 END) AS s,
        sum(_ok::INTEGER) AS n,
        bool_or(_ok AND taken) AS taken,
        sum((NOT _ok)::INTEGER) AS bad
    FROM entries GROUP BY person_id, date
)
SELECT person_id,
    count(*) FILTER (WHERE n > 0) AS days,
    coalesce(sum(f), 0.0) AS food_sum,
    coalesce(sum(w), 0.0) AS water_sum,
    coalesce(sum(s), 0.0) AS supplement_sum,
    sum(n) AS entries,
    coalesce(bool_or(taken), false) AS supplements_taken,
    sum(bad) AS bad_rows
FROM day GROUP BY person_id
"""

EXACT = """
WITH day AS (
    SELECT person_id, date,
        sum(f ORDER BY _row) AS f,
        sum(w ORDER BY _row) AS w,
        sum(s ORDER BY _row) AS s
    FROM entries
    WHERE _ok AND person_id IN (SELECT person_id FROM recheck)
    GROUP BY person_id, date
)
SELECT person_id,
    sum(f ORDER BY date) AS food_sum,
    sum(w ORDER BY date) AS water_sum,
    sum(s ORDER BY date) AS supplement_sum
FROM day GROUP BY person_id
"""

LATEST_SERUM = """
SELECT person_id, "value" / unit_per_mmol AS serum_mmol
FROM labs_checked
WHERE _ok AND coalesce(test_serum, true)
QUALIFY row_number() OVER (
    PARTITION BY person_id ORDER BY coalesce("date", DATE '0001-01-01') DESC, _row DESC
) = 1
"""

LAB_BAD_ROWS = """
SELECT person_id, count(*) AS bad_rows FROM labs_checked WHERE NOT _ok GROUP BY person_id
"""


# each table's value column, and where it goes among f, w, s
_VALUE = {"foods": ("f", 0), "water": ("w", 1), "supplements": ("s", 2)}


def exact_split(tables: Sequence[str], suffix: str = "recheck") -> str:
    """``EXACT`` with each table's day summed on its own, over ``{table}_{suffix}``.

    Each row adds to one of f, w, s (the other two are 0.0), so a day's f is the
    sum of its food rows in file order; the parts of a day then meet with 0.0
    added twice, which changes nothing. One ordered sum per table instead of three.
    """
    parts = []
    for t in tables:
        value, place = _VALUE[t]
        sums = ["0.0", "0.0", "0.0"]
        sums[place] = f"sum({value} ORDER BY _row)"
        parts.append(
            f"SELECT person_id, date, {', '.join(sums)} FROM {t}_{suffix} "
            "WHERE _ok AND person_id IN (SELECT person_id FROM recheck) GROUP BY person_id, date"
        )
    rows = " UNION ALL ".join(parts)
    return f"""
WITH part AS (SELECT * FROM ({rows}) AS part(person_id, date, f, w, s)),
day AS (
    SELECT person_id, date, sum(f) AS f, sum(w) AS w, sum(s) AS s
    FROM part GROUP BY person_id, date
)
SELECT person_id,
    sum(f ORDER BY date) AS food_sum,
    sum(w ORDER BY date) AS water_sum,
    sum(s ORDER BY date) AS supplement_sum
FROM day GROUP BY person_id
"""


# what an accepted day of each table adds: f, w, s, n (entries), taken
_DAY_PARTS = {
    "foods": "sum(f), 0.0, 0.0, count(*), false",
    "supplements": "0.0, 0.0, sum(s), count(*), bool_or(taken)",
    "water": "0.0, sum(w), 0.0, count(*), false",
}
_DAY_COLUMNS = "person_id, date, f, w, s, n, taken, bad"


def days(tables: Sequence[str], id_type: str) -> str:
    """The accepted rows of ``{table}_fast`` summed by day, the rejected ones counted by person.

    Columns: person_id (of ``id_type``), date, f, w, s, n (entries), taken, bad; a
    row of rejected rows has no date. Only the accepted rows are summed, with the fewest
    aggregates; the rejected ones are counted in a second, cheap reading of the
    table (a filter that most rows fail).
    """
    parts = []
    for t in tables:
        parts.append(
            f"SELECT person_id, date, {_DAY_PARTS[t]}, 0 FROM {t}_fast WHERE _ok "
            "GROUP BY person_id, date"
        )
        parts.append(
            "SELECT person_id, NULL::DATE, 0.0, 0.0, 0.0, 0, false, count(*) "
            f"FROM {t}_fast WHERE NOT _ok GROUP BY person_id"
        )
    if not parts:
        parts.append(f"SELECT NULL::{id_type}, NULL::DATE, 0.0, 0.0, 0.0, 0, false, 0 WHERE false")
    rows = " UNION ALL ".join(parts)
    return f"SELECT * FROM ({rows}) AS part({_DAY_COLUMNS})"


def by_person(day_rows: str) -> str:
    """``FAST`` from the rows of ``days`` (in any order, from any tables)."""
    return f"""
SELECT person_id,
    count(DISTINCT date) AS days,
    sum(f) AS food_sum,
    sum(w) AS water_sum,
    sum(s) AS supplement_sum,
    sum(n) AS entries,
    bool_or(taken) AS supplements_taken,
    sum(bad) AS bad_rows
FROM ({day_rows}) GROUP BY person_id
"""
