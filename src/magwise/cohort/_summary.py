"""Prevalence by group with 95% Wilson intervals: below target, below the EAR, above the limit."""

from __future__ import annotations

import math
from collections.abc import Mapping
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt

from magwise.cohort import _frame
from magwise.cohort._schema import Field
from magwise.result import ACTIONS

Bools = npt.NDArray[np.bool_]

CONFIDENCE = 0.95
_Z = NormalDist().inv_cdf(1 - (1 - CONFIDENCE) / 2)

#: what each first action says to do, as a summary reads it
ACTION_MEANINGS: dict[str, str] = {
    "urgent_care": "seek medical help today",
    "stop_magnesium": "stop taking magnesium",
    "lower_supplements": "lower the supplements",
    "see_doctor": "see a doctor",
    "follow_plan": "follow the plan",
    "log_more": "log what is eaten and drunk",
    "nothing_needed": "no supplement needed",
}
assert tuple(ACTION_MEANINGS) == ACTIONS

#: measure -> (column of the per-person results, what it counts)
MEASURES: dict[str, tuple[str, str]] = {
    "below_target": ("below_target", "total intake below the person's target"),
    "below_ear": ("below_ear", "total intake below the EAR (EAR cut-point; standards with an EAR)"),
    "above_ul": ("above_ul", "supplemental intake above the upper limit for supplements"),
    "kidney_reduced": (
        "kidney_reduced",
        "eGFR shows reduced kidney function, or cannot rule it out",
    ),
    "kidney_check_first": ("kidney_check_first", "kidney function to be checked first (by age)"),
    "refer_to_doctor": ("refer_to_doctor", "a rule says to see a doctor"),
    "plan_made": ("supplement_mg_per_day", "a supplement plan is suggested"),
    # the first action (one per person: their counts add up to everyone)
    **{f"action_{a}": ("action", f"first action: {text}") for a, text in ACTION_MEANINGS.items()},
}

SCHEMA = tuple(
    Field(name, kind)
    for name, kind in (
        ("grouping", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("age_band", "VARCHAR"),
        ("measure", "VARCHAR"),
        ("n", "BIGINT"),
        ("count", "BIGINT"),
        ("share", "DOUBLE"),
        ("ci_low", "DOUBLE"),
        ("ci_high", "DOUBLE"),
    )
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


def _judged(columns: Mapping[str, Any], measure: str) -> tuple[Bools, Bools]:
    """(judged, raised) for one measure."""
    column = MEASURES[measure][0]
    values = np.asarray(columns[column])
    if column == "action":  # every person has one; raised where it is this one
        action = ACTIONS.index(measure.removeprefix("action_"))
        return np.ones(len(values), dtype=np.bool_), values == action
    if column == "supplement_mg_per_day":  # every person is judged; raised when a plan exists
        return np.ones(len(values), dtype=np.bool_), ~np.isnan(values)
    if values.dtype.kind == "b":  # judged for everyone
        return np.ones(len(values), dtype=np.bool_), values
    judged = ~np.isnan(values)  # 1.0, 0.0; NaN where not judged
    return judged, judged & (values == 1.0)


def summarise(columns: Mapping[str, Any], band_order: list[str]) -> _frame.Frame:
    """Counts, shares and intervals for everyone, by sex, by age band, by sex and age band.

    ``columns`` are the per-person columns of the rules, with ``sex`` (0: female,
    1: male) and ``age_band`` (the place in ``band_order``) as indexes.
    """
    sexes = ["female", "male"]
    sex_code = np.asarray(columns["sex"], dtype=np.int64)
    band_code = np.asarray(columns["age_band"], dtype=np.int64)
    size = len(sex_code)
    both = sex_code * len(band_order) + band_code
    groupings: list[tuple[str, npt.NDArray[np.int64], list[tuple[str | None, str | None]]]] = [
        ("all", np.zeros(size, dtype=np.int64), [(None, None)]),
        ("sex", sex_code, [(s, None) for s in sexes]),
        ("age_band", band_code, [(None, b) for b in band_order]),
        ("sex, age_band", both, [(s, b) for s in sexes for b in band_order]),
    ]
    rows: dict[str, list[Any]] = {f.name: [] for f in SCHEMA}
    for measure in MEASURES:
        judged, raised = _judged(columns, measure)
        for grouping, key, labels in groupings:
            n = np.bincount(key[judged & (key >= 0)], minlength=len(labels))
            count = np.bincount(key[raised & (key >= 0)], minlength=len(labels))
            for k, (s, b) in enumerate(labels):
                if n[k] == 0:
                    continue
                low, high = wilson(int(count[k]), int(n[k]))
                for name, value in (
                    ("grouping", grouping),
                    ("sex", s),
                    ("age_band", b),
                    ("measure", measure),
                    ("n", int(n[k])),
                    ("count", int(count[k])),
                    ("share", int(count[k]) / int(n[k])),
                    ("ci_low", low),
                    ("ci_high", high),
                ):
                    rows[name].append(value)
    arrays = {
        f.name: np.array(rows[f.name], dtype=object if f.type == "VARCHAR" else None)
        for f in SCHEMA
    }
    arrays["n"] = arrays["n"].astype(np.int64)
    arrays["count"] = arrays["count"].astype(np.int64)
    for name in ("share", "ci_low", "ci_high"):
        arrays[name] = arrays[name].astype(np.float64)
    return _frame.table(arrays, SCHEMA)
