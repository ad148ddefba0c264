"""Reference values for a whole cohort, from the same function that serves one person.

The knowledge base gives every value by age band. Between two consecutive band
edges (of any table of the standard) nothing changes, so ``personal_reference``
is asked once per (sex, state, stretch of age) and people are placed in their
stretch with the same comparison as ``Band.contains`` (from <= age < to).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from magwise.bounds import MAX_AGE_YEARS
from magwise.knowledge import Knowledge
from magwise.reference import Sex, personal_reference

SEXES: tuple[Sex, ...] = ("female", "male")
STATES = ("none", "pregnant", "lactating")

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class ReferenceGrid:
    standard: str
    edges: Floats  # months, ascending, starting at 0
    target: Floats  # [sex, state, stretch]; NaN: none set
    ear: Floats
    ul: Floats
    bands: tuple[tuple[float, float | None], ...]  # the standard's target bands, for summaries

    def lookup(
        self, sex: npt.NDArray[np.int8], state: npt.NDArray[np.int8], age_years: Floats
    ) -> tuple[Floats, Floats, Floats]:
        age_months = age_years * 12
        stretch = np.searchsorted(self.edges, age_months, side="right") - 1
        return (
            self.target[sex, state, stretch],
            self.ear[sex, state, stretch],
            self.ul[sex, state, stretch],
        )

    def band(self, age_years: Floats) -> npt.NDArray[np.int64]:
        """Index of each age's band in ``bands`` (the standard's own target bands)."""
        starts = np.array([lo for lo, _ in self.bands])
        result: npt.NDArray[np.int64] = np.searchsorted(starts, age_years * 12, side="right") - 1
        return result


def reference_grid(kb: Knowledge, standard: str | None) -> ReferenceGrid:
    std = kb.standard(standard or kb.default_standard).id
    edges = {0.0}
    for table in kb.intake_tables:
        if table.standard == std:
            for row in table.rows:
                edges.add(row.from_months)
                if row.to_months is not None:
                    edges.add(row.to_months)
    for limits in kb.limit_tables:
        if std in limits.standards:
            for lrow in limits.rows:
                edges.add(lrow.from_months)
                if lrow.to_months is not None:
                    edges.add(lrow.to_months)
    top = MAX_AGE_YEARS * 12
    ordered = sorted(e for e in edges if e <= top)
    shape = (len(SEXES), len(STATES), len(ordered))
    target, ear, ul = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    for k, start in enumerate(ordered):
        end = ordered[k + 1] if k + 1 < len(ordered) else top
        age = (start + end) / 2 / 12 if end > start else start / 12  # well inside the stretch
        for i, sex in enumerate(SEXES):
            for j, state in enumerate(STATES):
                if state != "none" and sex != "female":
                    continue
                ref = personal_reference(
                    sex=sex,
                    age_years=age,
                    pregnant=state == "pregnant",
                    lactating=state == "lactating",
                    standard=std,
                    kb=kb,
                )
                for grid, value in ((target, ref.target_mg), (ear, ref.ear_mg)):
                    grid[i, j, k] = np.nan if value is None else value
                ul[i, j, k] = np.nan if ref.supplement_ul_mg is None else ref.supplement_ul_mg
    bands = tuple(
        (row.from_months, row.to_months)
        for table in kb.intake_tables
        if table.standard == std and table.state == "none" and table.kind == "target"
        for row in table.rows
    )
    if not bands or bands[0][0] > 0:
        bands = ((0.0, bands[0][0] if bands else None), *bands)
    return ReferenceGrid(std, np.array(ordered), target, ear, ul, bands)


def band_label(lo: float, hi: float | None) -> str:
    """'19-24 y', '4-11 m', '65+ y': a band [lo, hi) in months as people read it."""

    def show(months: float) -> tuple[float, str]:
        return (months / 12, "y") if months % 12 == 0 and months >= 12 else (months, "m")

    a, unit = show(lo)
    if hi is None:
        return f"{a:g}+ {unit}"
    b, unit_b = show(hi)
    if unit_b != unit:
        b, unit_b = hi, "m"
        a, unit = lo, "m"
    return f"{a:g}-{b - 1:g} {unit}" if b - a > 1 else f"{a:g} {unit}"
