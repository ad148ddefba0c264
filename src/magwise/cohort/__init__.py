"""Cohort mode: assess many people's diaries at once, as ``magwise.assess`` would one by one.

>>> from magwise.cohort import assess_cohort
>>> result = assess_cohort("people.parquet", "foods.parquet", water="water.csv")  # doctest: +SKIP
>>> result.write(Path("out"))  # doctest: +SKIP

DuckDB runs it on one machine (the default); Dask runs the same checks and sums
on a cluster. The tables and the results are described in docs/cohort.md.
"""

from magwise.cohort._run import (
    BAD_ROWS_SCHEMA,
    ENGINES,
    RESULT_SCHEMA,
    CohortResult,
    assess_cohort,
)
from magwise.cohort._summary import MEASURES, wilson
from magwise.cohort._tables import TABLES

__all__ = [
    "BAD_ROWS_SCHEMA",
    "ENGINES",
    "MEASURES",
    "RESULT_SCHEMA",
    "TABLES",
    "CohortResult",
    "assess_cohort",
    "wilson",
]
