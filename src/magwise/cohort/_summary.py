"""Prevalence by group with 95% Wilson intervals: below target, below the EAR, above the limit."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import pyarrow as pa

CONFIDENCE = 0.95
_Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)

#: measure -> (column of the per-person results, what it counts)
MEASURES: dict[str, tuple[str, str]] = {
    "below_target": ("below_target", "total intake below the person's target"),
    "below_ear": ("below_ear", "total intake below the EAR (EAR cut-point; standards with an EAR)"),
    "above_ul": ("above_ul", "supplemental intake above the upper limit for supplements"),
    "refer_to_doctor": ("refer_to_doctor", "a rule says to see a doctor"),
    "plan_made": ("supplement_mg_per_day", "a supplement plan is suggested"),
}

SCHEMA = pa.schema(
    [
        ("grouping", pa.string()),
        ("sex", pa.string()),
        ("age_band", pa.string()),
        ("measure", pa.string()),
        ("n", pa.int64()),
        ("count", pa.int64()),
        ("share", pa.float64()),
        ("ci_low", pa.float64()),
        ("ci_high", pa.float64()),
    ]
)


def wilson(count: int, n: int, z: float = _Z) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``count / n``."""
    if n == 0:
        return math.nan, math.nan
    p = count / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    low = 0.0 if count == 0 else max(0.0, centre - half)  # exact at the ends
    high = 1.0 if count == n else min(1.0, centre + half)
    return low, high


def _judged(table: pa.Table, column: str) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """(judged, raised) for one measure."""
    values = table.column(column)
    judged = np.asarray(values.is_valid().to_numpy(zero_copy_only=False), dtype=np.bool_)
    if column == "supplement_mg_per_day":  # every person is judged; raised when a plan exists
        return np.ones(len(judged), dtype=np.bool_), judged
    raised = np.asarray(values.fill_null(False).to_numpy(zero_copy_only=False), dtype=np.bool_)
    return judged, raised & judged


def summarise(table: pa.Table, band_order: list[str]) -> pa.Table:
    """Counts, shares and intervals for everyone, by sex, by age band, by sex and age band."""
    sex = np.asarray(table.column("sex").to_numpy(zero_copy_only=False), dtype=object)
    band = np.asarray(table.column("age_band").to_numpy(zero_copy_only=False), dtype=object)
    sexes = ["female", "male"]
    sex_code = np.select([sex == s for s in sexes], list(range(len(sexes))), -1)
    band_code = np.select([band == b for b in band_order], list(range(len(band_order))), -1)
    both = sex_code * len(band_order) + band_code
    groupings: list[tuple[str, npt.NDArray[np.int64], list[tuple[str | None, str | None]]]] = [
        ("all", np.zeros(table.num_rows, dtype=np.int64), [(None, None)]),
        ("sex", sex_code, [(s, None) for s in sexes]),
        ("age_band", band_code, [(None, b) for b in band_order]),
        ("sex, age_band", both, [(s, b) for s in sexes for b in band_order]),
    ]
    rows = []
    for measure, (column, _) in MEASURES.items():
        judged, raised = _judged(table, column)
        for grouping, key, labels in groupings:
            size = len(labels)
            n = np.bincount(key[judged & (key >= 0)], minlength=size)
            count = np.bincount(key[raised & (key >= 0)], minlength=size)
            for k, (s, b) in enumerate(labels):
                if n[k] == 0:
                    continue
                low, high = wilson(int(count[k]), int(n[k]))
                rows.append(
                    {
                        "grouping": grouping,
                        "sex": s,
                        "age_band": b,
                        "measure": measure,
                        "n": int(n[k]),
                        "count": int(count[k]),
                        "share": int(count[k]) / int(n[k]),
                        "ci_low": low,
                        "ci_high": high,
                    }
                )
    return pa.Table.from_pylist(rows, schema=SCHEMA)
