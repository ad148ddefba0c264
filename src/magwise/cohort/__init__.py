"""Cohort mode: assess many people's diaries at once, as ``magwise.assess`` would one by one.

>>> from magwise.cohort import assess_cohort
>>> result = assess_cohort("people.parquet", "foods.parquet", water="water.csv")  # doctest: +SKIP
>>> result.write(Path("out"))  # doctest: +SKIP

DuckDB runs it on one machine (the default); Dask runs the same checks and sums
on a cluster. The tables and the results are described in docs/cohort.md.

Names are imported on first use, so that ``magwise.cohort._start`` (DuckDB
alone) can begin reading the foods file before the rest is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from magwise.cohort._run import (
        BAD_ROWS_SCHEMA,
        ENGINES,
        RESULT_SCHEMA,
        CohortResult,
        assess_cohort,
    )
    from magwise.cohort._summary import MEASURES, wilson
    from magwise.cohort._tables import TABLES

# name -> the module that defines it
_NAMES = {
    "BAD_ROWS_SCHEMA": "magwise.cohort._run",
    "ENGINES": "magwise.cohort._run",
    "RESULT_SCHEMA": "magwise.cohort._run",
    "CohortResult": "magwise.cohort._run",
    "assess_cohort": "magwise.cohort._run",
    "MEASURES": "magwise.cohort._summary",
    "wilson": "magwise.cohort._summary",
    "TABLES": "magwise.cohort._tables",
}

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


def __getattr__(name: str) -> Any:
    if name not in _NAMES:
        raise AttributeError(f"module 'magwise.cohort' has no attribute {name!r}")
    value = getattr(importlib.import_module(_NAMES[name]), name)
    globals()[name] = value
    return value
