"""Per-person sums of the intake rows, in whole nanograms: exact in any order.

Each row's mg is an integer number of ng (``_checks.VALUES``, as
``advisor.intake.to_ng``), held in a double. Every term is a whole number and
none is negative, so while a person's total stays below 2^53 ng (9,007 kg:
``EXACT_BELOW``) every partial sum is a whole number a double holds exactly:
the sums are exact and equal ``assess``'s, whatever order the engine adds them
in (``_run`` checks the bound). ``FAST`` reads a relation ``entries`` (person_id,
date, _row, f, w, s, taken, _ok); the Dask engine runs it on each partition.

The DuckDB engine reads each table where it lies instead: ``person_rows`` and
``by_person`` give ``FAST`` with each table summed by person on its own (the
accepted rows only), the days counted with masks of bits.
"""

from __future__ import annotations

from collections.abc import Sequence

from magwise.cohort._checks import LAB_TEST
from magwise.cohort._start import lit
from magwise.lab_tests import COMPARATORS

#: sums of whole numbers of ng held in doubles are exact below this
EXACT_BELOW = 2.0**53

FAST = """
WITH day AS (
    -- rejected rows add 0 and are counted apart: plain sums are fastest
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
    CAST(sum(n) AS BIGINT) AS entries,
    coalesce(bool_or(taken), false) AS supplements_taken,
    CAST(sum(bad) AS BIGINT) AS bad_rows
FROM day GROUP BY person_id
"""

#: per person, the latest accepted result of each lab test the rules read: table name -> test
LATEST: dict[str, str] = {"serum": "serum_magnesium", "egfr": "egfr", "creatinine": "creatinine"}


def latest(test: str) -> str:
    """The latest accepted result of ``test`` per person, as ``advisor.serum`` picks it.

    Columns: person_id, ``value`` as given, ``per`` (its unit's divisor: value / per is
    the value in the test's canonical unit, as ``units.lab_to_canonical`` divides) and
    ``comparator`` (its place in ``COMPARATORS``; -1: an exact value). Undated results
    sort before every date; among equal dates the last row wins.
    """
    listed = ", ".join(lit(c) for c in COMPARATORS)
    return f"""
SELECT person_id, "value", unit_per_{test} AS per,
    CAST(coalesce(list_position([{listed}], "_text_comparator"), 0) - 1 AS TINYINT) AS comparator
FROM labs_checked
WHERE _ok AND {LAB_TEST} = {lit(test)}
QUALIFY row_number() OVER (
    PARTITION BY person_id ORDER BY coalesce("date", DATE '0001-01-01') DESC, _row DESC
) = 1
"""


def latest_columns() -> str:
    """The columns of the people's sums that come from ``LATEST`` (none: empty)."""
    return ", ".join(
        f"{t}.value AS {t}_value, {t}.per AS {t}_per, "
        f"coalesce({t}.comparator, -1)::TINYINT AS {t}_comparator"
        for t in LATEST
    )


def no_latest_columns() -> str:
    """``latest_columns`` without a labs table."""
    return ", ".join(
        f"NULL::DOUBLE AS {t}_value, NULL::DOUBLE AS {t}_per, -1::TINYINT AS {t}_comparator"
        for t in LATEST
    )


LAB_BAD_ROWS = """
SELECT person_id, count(*) AS bad_rows FROM labs_checked WHERE NOT _ok GROUP BY person_id
"""


# what the accepted rows of each table add: f, w, s (ng), n (entries), taken. The counts
# are doubles too: whole numbers, summed exactly and faster than BIGINT (whose sums are
# HUGEINT); ``by_person`` gives them back as BIGINT.
_PARTS = {
    "foods": "sum(f), 0.0, 0.0, count(*)::DOUBLE, false",
    "supplements": "0.0, 0.0, sum(s), count(*)::DOUBLE, bool_or(taken)",
    "water": "0.0, sum(w), 0.0, count(*)::DOUBLE, false",
}
_COLUMNS = "person_id, span, dates, f, w, s, n, taken, bad"

#: a date as a whole number of days (since 1970-01-01; negative before), the span of 64
#: days it lies in (``day >> 6``, rounding down for negative days too) and its bit in
#: the span's mask of days (``day & 63``): each date has one span and one bit
_DAY = "(date - DATE '1970-01-01')"
_SPAN = f"{_DAY} >> 6"
_BIT = f"1::UBIGINT << ({_DAY} & 63)"


def person_rows(tables: Sequence[str], id_type: str, made: Sequence[str] = ()) -> str:
    """The accepted rows of ``{table}_fast`` summed by person and span of 64 days, the
    rejected ones counted by person.

    Columns: person_id (of ``id_type``), span, dates (a mask with a bit set for each
    date of the span), f, w, s, n (entries), taken, bad (n and bad: whole numbers in
    doubles); a row of rejected rows has no span. Summing by span, not by day, is
    what makes this fast: a diary of a week or a month lies in one or two spans, so
    there are a few rows per person, not one per day; ``by_person`` counts the days
    by the bits. ``made``: SELECTs of such rows made before (``_early``), added as
    they are.
    """
    parts = list(made)
    for t in tables:
        parts.append(
            f"SELECT person_id, {_SPAN} AS span, bit_or({_BIT}), {_PARTS[t]}, 0.0 "
            f"FROM {t}_fast WHERE _ok GROUP BY person_id, span"
        )
        parts.append(
            "SELECT person_id, NULL::BIGINT, 0::UBIGINT, 0.0, 0.0, 0.0, 0.0, false, "
            f"count(*)::DOUBLE FROM {t}_fast WHERE NOT _ok GROUP BY person_id"
        )
    if not parts:
        parts.append(
            f"SELECT NULL::{id_type}, NULL::BIGINT, 0::UBIGINT, "
            "0.0, 0.0, 0.0, 0.0, false, 0.0 WHERE false"
        )
    rows = " UNION ALL ".join(parts)
    return f"SELECT * FROM ({rows}) AS part({_COLUMNS})"


def by_person(rows: str) -> str:
    """``FAST`` from the rows of ``person_rows`` (in any order, from any tables): the
    masks of each span joined, their bits counted."""
    return f"""
SELECT person_id,
    CAST(sum(bit_count(dates)) AS BIGINT) AS days,
    sum(f) AS food_sum,
    sum(w) AS water_sum,
    sum(s) AS supplement_sum,
    CAST(sum(n) AS BIGINT) AS entries,
    bool_or(taken) AS supplements_taken,
    CAST(sum(bad) AS BIGINT) AS bad_rows
FROM (
    SELECT person_id, span, bit_or(dates) AS dates, sum(f) AS f, sum(w) AS w, sum(s) AS s,
        sum(n) AS n, bool_or(taken) AS taken, sum(bad) AS bad
    FROM ({rows}) GROUP BY person_id, span
) GROUP BY person_id
"""
