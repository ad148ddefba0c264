"""Per-person sums of the intake rows: fast in any order, exact in ``assess``'s order.

``assess`` adds a day's entries in the order given (file order here), then the
days in date order, left to right. ``FAST`` adds in whatever order the engine
likes; it is exact except in the last bits, which matter only where a value sits
on a rounding boundary (``_rules.near_boundary``). For those people ``EXACT``
adds in ``assess``'s order. Both read a relation ``entries`` (person_id, date,
_row, f, w, s, taken, _ok); ``EXACT`` also ``recheck`` (person_id).
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


def entries(tables: Sequence[str], suffix: str = "checked") -> str:
    """The union of the checked intake tables (relations named ``{table}_{suffix}``)."""
    return " UNION ALL ".join(
        f"SELECT person_id, date, _row, f, w, s, taken, _ok FROM {t}_{suffix}" for t in tables
    )


_DAY = """
    SELECT person_id, date,
        sum(CASE WHEN _ok THEN f ELSE 0.0 END) AS f,
        sum(CASE WHEN _ok THEN w ELSE 0.0 END) AS w,
        sum(CASE WHEN _ok THEN s ELSE 0.0 END) AS s,
        sum(_ok::INTEGER) AS n,
        bool_or(_ok AND taken) AS taken,
        sum((NOT _ok)::INTEGER) AS bad
    FROM ({rows}) GROUP BY person_id, date
"""

_FOOD_DAY = """
    SELECT person_id, date,
        sum(CASE WHEN _ok THEN f ELSE 0.0 END) AS f, 0.0 AS w, 0.0 AS s,
        sum(_ok::INTEGER) AS n, false AS taken, sum((NOT _ok)::INTEGER) AS bad
    FROM foods_fast GROUP BY person_id, date
"""


def fast_split(tables: Sequence[str]) -> str:
    """``FAST`` with the large foods table summed on its own, on the fewest columns.

    Reads ``{table}_fast``. A day's parts from the two halves meet with one
    addition each, x + 0.0 == x, so the sums are those of ``FAST``.
    """
    others = [t for t in tables if t != "foods"]
    halves = [_FOOD_DAY]
    if others:
        rows = " UNION ALL ".join(
            f"SELECT person_id, date, f, w, s, taken, _ok FROM {t}_fast" for t in others
        )
        halves.append(_DAY.format(rows=rows))
    days = " UNION ALL ".join(f"SELECT * FROM ({h})" for h in halves)
    day = (
        "SELECT person_id, date, sum(f) AS f, sum(w) AS w, sum(s) AS s, sum(n) AS n, "
        f"bool_or(taken) AS taken, sum(bad) AS bad FROM ({days}) GROUP BY person_id, date"
    )
    return "WITH day AS (" + day + ")" + FAST[FAST.index("\nSELECT person_id,\n    count(*)") :]
