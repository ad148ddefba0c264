"""The progress result: the assessment's result contract, extended with ``progress``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from magwise.labs import LabReading
from magwise.record import SheddingMethod
from magwise.result import Result

Verdict = Literal["too_early", "improving", "no_change", "worse"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class WeekIntake(_Model):
    """Mean mg per logged day in one week of the follow-up."""

    week: int = Field(description="1 for the week starting on the first day with intake.")
    start: dt.date
    end: dt.date
    days: int = Field(description="Days with any food, water or supplement logged.")
    food_mg: float
    water_mg: float
    supplement_mg: float
    total_mg: float
    target_mg: float | None
    supplement_ul_mg: float | None
    below_target: bool | None
    supplement_above_ul: bool


class Adherence(_Model):
    """How closely a dose plan was followed."""

    started: dt.date
    stopped: dt.date | None
    form: str
    supplement_mg_per_day: float
    planned_days: int = Field(description="Days from the start to the stop or the last logged day.")
    taken_days: int = Field(description="Planned days with a supplement of the plan's form.")
    share: float | None = Field(description="taken_days / planned_days, 0 to 1.")
    mean_supplement_mg: float | None = Field(
        description="Mean supplemental magnesium on the planned days (mg)."
    )


class SheddingWeek(_Model):
    week: int = Field(description="1 for the week starting on the first count.")
    start: dt.date
    end: dt.date
    counts: int
    median: float | None = Field(description="None when the week has too few counts.")


class MethodCounts(_Model):
    method: SheddingMethod
    counts: int
    first: dt.date
    last: dt.date


class RankTest(_Model):
    """Mann-Whitney rank-sum test of recent daily counts against the baseline."""

    test: Literal["mann_whitney_u"] = "mann_whitney_u"
    baseline_n: int
    recent_n: int
    recent_start: dt.date
    recent_end: dt.date
    u: float = Field(description="Pairs (recent, baseline) with the recent count higher; ties 0.5.")
    z: float = Field(description="Normal approximation with tie and continuity correction.")
    p_lower: float = Field(description="One-sided p that recent counts are lower.")
    p_higher: float = Field(description="One-sided p that recent counts are higher.")
    alpha: float


class Shedding(_Model):
    method: SheddingMethod | None = Field(description="The counting method judged.")
    methods: list[MethodCounts]
    first: dt.date | None
    last: dt.date | None
    weeks_of_data: float = Field(description="(last - first + 1 day) / 7 for the judged method.")
    baseline_start: dt.date | None
    baseline_end: dt.date | None
    baseline_median: float | None
    recent_median: float | None
    change_percent: float | None = Field(description="Recent median against the baseline, in %.")
    slope_per_week: float | None = Field(
        description="Theil-Sen slope of the weekly medians: change in count per week."
    )
    weeks: list[SheddingWeek]
    test: RankTest | None
    verdict: Verdict
    verdict_reason: str
    worsening: bool = Field(description="Significantly higher than the baseline (from 4 weeks).")


class Progress(_Model):
    as_of: dt.date
    first_day: dt.date | None = Field(description="The first day of the record read.")
    last_day: dt.date | None = Field(description="The last day of the record read.")
    case_start: dt.date = Field(description="First day of the intake the assessment read.")
    symptoms_since: dt.date = Field(description="First day of the symptoms the assessment read.")
    verdict: Verdict
    shedding: Shedding
    intake_weeks: list[WeekIntake]
    adherence: list[Adherence]
    escalations: list[str] = Field(description="Codes of the progress findings raised.")
    sources: list[str]
    labs: list[LabReading] = Field(
        default_factory=list,
        description="Every lab result up to as_of, oldest first, with the laboratory's own "
        "range and where the result stands against it beside magwise's judgement.",
    )


class ProgressResult(Result):
    """The assessment of the last days, with the judgement of the follow-up."""

    progress: Progress
