"""Intake per week against the target and the upper limit; adherence to dose plans."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from magwise.knowledge import Knowledge
from magwise.progress.result import Adherence, WeekIntake
from magwise.record import PersonRecord
from magwise.reference import Reference, personal_reference
from magwise.result import DayIntake

_WEEK = 7


def _r(value: float) -> float:
    return round(value, 1)


def reference_on(
    record: PersonRecord, day: dt.date, kb: Knowledge, standard: str | None
) -> Reference:
    profile = record.profile_on(day)
    return personal_reference(
        sex=profile.sex,
        age_years=profile.age_on(day),
        pregnant=profile.pregnant,
        lactating=profile.lactating,
        standard=standard or profile.standard,
        kb=kb,
    )


def weekly_intake(
    record: PersonRecord, per_day: Sequence[DayIntake], kb: Knowledge, standard: str | None
) -> list[WeekIntake]:
    """Mean intake per logged day in 7-day weeks from the first logged day."""
    if not per_day:
        return []
    first = per_day[0].date
    buckets: dict[int, list[DayIntake]] = {}
    for day in per_day:
        buckets.setdefault((day.date - first).days // _WEEK, []).append(day)
    weeks = []
    for index in sorted(buckets):
        days = buckets[index]
        start = first + dt.timedelta(days=index * _WEEK)
        ref = reference_on(record, start, kb, standard)
        n = len(days)
        food = _r(sum(d.food_mg for d in days) / n)
        water = _r(sum(d.water_mg for d in days) / n)
        supplement = _r(sum(d.supplement_mg for d in days) / n)
        total = _r(food + water + supplement)
        ul = ref.supplement_ul_mg
        weeks.append(
            WeekIntake(
                week=index + 1,
                start=start,
                end=start + dt.timedelta(days=_WEEK - 1),
                days=n,
                food_mg=food,
                water_mg=water,
                supplement_mg=supplement,
                total_mg=total,
                target_mg=ref.target_mg,
                supplement_ul_mg=ul,
                below_target=None if ref.target_mg is None else total < ref.target_mg,
                supplement_above_ul=ul is not None and supplement > ul,
            )
        )
    return weeks


def adherence(record: PersonRecord, last_day: dt.date | None, kb: Knowledge) -> list[Adherence]:
    """Per plan: the share of planned days with a supplement of the plan's form.

    A planned day runs from the plan's start to the day before it stopped, or to
    the last logged day. A supplement logged without a form counts for any plan.
    """
    out = []
    for plan in record.plans:
        plan_form = kb.form(plan.form)
        end = plan.stopped - dt.timedelta(days=1) if plan.stopped is not None else last_day
        planned: list[dt.date] = []
        if end is not None and end >= plan.started:
            planned = [
                plan.started + dt.timedelta(days=i) for i in range((end - plan.started).days + 1)
            ]
        days = set(planned)
        taken: set[dt.date] = set()
        supplement_mg = 0.0
        for s in record.supplements:
            if s.day not in days or s.units <= 0:
                continue
            form = kb.form(s.form) if s.form is not None else None
            if form is not None and not form.absorbed:
                continue
            supplement_mg += s.elemental_mg_per_unit * s.units
            if s.form is None or form is None or plan_form is None or form.id == plan_form.id:
                taken.add(s.day)
        n = len(planned)
        out.append(
            Adherence(
                started=plan.started,
                stopped=plan.stopped,
                form=plan.form,
                supplement_mg_per_day=plan.supplement_mg_per_day,
                planned_days=n,
                taken_days=len(taken),
                share=round(len(taken) / n, 3) if n else None,
                mean_supplement_mg=_r(supplement_mg / n) if n else None,
            )
        )
    return out
