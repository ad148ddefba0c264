"""Lab results beside two judgements: the laboratory's own range and magwise's.

Pure: entries and the knowledge base in, readings out. ``reading(lab, kb)`` tells
where a result stands against the range its laboratory printed (``below``,
``within``, ``above``) and, only where the knowledge base holds a sourced threshold
for the test, what magwise makes of it (``low``, ``not_low``, ``in_range``,
``high``): serum magnesium (serum.toml), eGFR (kidney.toml), ferritin and vitamin
D (hair_labs.toml). TSH, zinc, creatinine and red-cell magnesium are recorded and
compared with the laboratory's range only. A result written with a comparator
("< 0.5") is judged only where the comparator decides it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from magwise.case import Comparator, LabTest
from magwise.errors import InputError
from magwise.knowledge import Knowledge
from magwise.record import LabEntry

__all__ = [
    "AgainstRange",
    "Judged",
    "LabReading",
    "against_range",
    "judge",
    "range_text",
    "reading",
    "readings",
]

#: Where a result stands against the laboratory's own range.
AgainstRange = Literal["below", "within", "above"]
#: What magwise makes of a result by its own sourced thresholds.
Judged = Literal["low", "not_low", "in_range", "high"]


class LabReading(BaseModel):
    """One lab result, its laboratory's range and both judgements."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    test: LabTest
    value: float
    unit: str
    comparator: Comparator | None = Field(
        default=None, description="'<', '<=', '>' or '>=' value, as the lab wrote it."
    )
    range_low: float | None = Field(description="The lab's own range, low end (result's unit).")
    range_high: float | None = Field(description="The lab's own range, high end.")
    against_lab_range: AgainstRange | None = Field(
        description="below, within or above the lab's own range; none: no range given, "
        "or the comparator leaves it open."
    )
    judged: Judged | None = Field(
        description="magwise's judgement by its own thresholds (serum magnesium: low, "
        "in_range, high; eGFR, ferritin, vitamin D: low or not_low); none: magwise has no "
        "sourced threshold for the test, or the comparator leaves it open."
    )
    sources: list[str] = Field(description="The sources of the thresholds magwise judged by.")


def range_text(low: float | None, high: float | None) -> str:
    """A lab's range as printed: "0.7-1.1", "< 4.2" (high end only), "> 30" (low end
    only), or "" without either end."""
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    if high is not None:
        return f"< {high:g}"
    if low is not None:
        return f"> {low:g}"
    return ""


def _below(value: float, comparator: Comparator | None, limit: float) -> bool | None:
    """Whether the true value lies below ``limit``; None when the comparator leaves it open."""
    if comparator is None:
        return value < limit
    if comparator == "<":
        return True if value <= limit else None
    if comparator == "<=":
        return True if value < limit else None
    if comparator == ">":
        return False if value >= limit else None
    return False if value >= limit else None  # ">="


def _above(value: float, comparator: Comparator | None, limit: float) -> bool | None:
    """Whether the true value lies above ``limit``; None when the comparator leaves it open."""
    if comparator is None:
        return value > limit
    if comparator == ">":
        return True if value >= limit else None
    if comparator == ">=":
        return True if value > limit else None
    if comparator == "<":
        return False if value <= limit else None
    return False if value <= limit else None  # "<="


def against_range(
    value: float, comparator: Comparator | None, low: float | None, high: float | None
) -> AgainstRange | None:
    """Where a result stands against the range ``low``-``high`` (either may be None)."""
    if low is None and high is None:
        return None
    below = None if low is None else _below(value, comparator, low)
    above = None if high is None else _above(value, comparator, high)
    if below:
        return "below"
    if above:
        return "above"
    if (low is None or below is False) and (high is None or above is False):
        return "within"
    return None


def _canonical(lab: LabEntry, kb: Knowledge) -> float | None:
    from magwise.units import lab_to_canonical

    try:
        return lab_to_canonical(lab.value, lab.test, lab.unit, kb)
    except InputError:  # a unit the knowledge base no longer knows
        return None


def judge(lab: LabEntry, kb: Knowledge) -> tuple[Judged | None, list[str]]:
    """magwise's judgement of ``lab`` by its own sourced thresholds, and their sources."""
    value = _canonical(lab, kb)
    if value is None:
        return None, []
    if lab.test == "serum_magnesium":
        t = kb.serum.thresholds
        value = round(value, int(t.compare_decimals.value))  # judged as shown, as assess does
        below = _below(value, lab.comparator, t.low_below.value)
        above = _above(value, lab.comparator, t.high_above.value)
        sources = sorted({*t.low_below.sources, *t.high_above.sources})
        if below:
            return "low", sources
        if above:
            return "high", sources
        if below is False and above is False:
            return "in_range", sources
        return None, []
    limits = {
        "egfr": kb.kidney.thresholds.egfr_doctor_below,
        "ferritin": kb.hair_labs.thresholds.ferritin_low_below,
        "vitamin_d": kb.hair_labs.thresholds.vitamin_d_low_below,
    }
    limit = limits.get(lab.test)
    if limit is None:
        return None, []
    below = _below(value, lab.comparator, limit.value)
    if below is None:
        return None, []
    return ("low" if below else "not_low"), sorted(limit.sources)


def reading(lab: LabEntry, kb: Knowledge) -> LabReading:
    """``lab`` with its laboratory's range and both judgements."""
    judged, sources = judge(lab, kb)
    return LabReading(
        date=lab.day,
        test=lab.test,
        value=lab.value,
        unit=lab.unit,
        comparator=lab.comparator,
        range_low=lab.range_low,
        range_high=lab.range_high,
        against_lab_range=against_range(lab.value, lab.comparator, lab.range_low, lab.range_high),
        judged=judged,
        sources=sources,
    )


def readings(
    labs: Iterable[LabEntry], kb: Knowledge, until: dt.date | None = None
) -> list[LabReading]:
    """Every result up to ``until`` (all without it), oldest first."""
    chosen = [lab for lab in labs if until is None or lab.day <= until]
    return [reading(lab, kb) for lab in sorted(chosen, key=lambda lab: (lab.day, lab.id))]
