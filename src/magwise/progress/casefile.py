"""A case for ``magwise.assess`` from a person's record.

- intake: the days of the last ``intake_days`` (7) up to ``today``;
- profile: the version in force ``today`` (age moved on to ``today``);
- labs: the latest result of each test up to ``today``;
- symptoms: the codes logged in the last ``symptom_days`` (14);
- hair: the profile's hair fields (durations and triggers counted back from
  ``today``) and the median of the daily counts logged in the intake window.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from magwise.bounds import MAX_DURATION_WEEKS, MAX_WEEKS_AGO
from magwise.case import Case, lab_range, parse_case
from magwise.knowledge import Knowledge
from magwise.progress.stats import median
from magwise.record import PersonRecord

_WEEK = 7


def days_of_intake(
    record: PersonRecord, start: dt.date | None = None, end: dt.date | None = None
) -> list[dict[str, Any]]:
    """The record's food, supplement and water entries as case-file days."""
    days: dict[dt.date, dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"foods": [], "supplements": [], "water": []}
    )

    def inside(day: dt.date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    for f in record.foods:
        if inside(f.day):
            food: dict[str, Any] = {"food": f.ndb, "count": f.count}
            if f.grams is not None:
                food["grams"] = f.grams
            else:
                food["portion"] = f.portion
            days[f.day]["foods"].append(food)
    for s in record.supplements:
        if inside(s.day) and s.units > 0:
            supp: dict[str, Any] = {
                "elemental_mg": s.elemental_mg_per_unit,
                "count": s.units,
                "name": s.product[:200],
            }
            if s.form is not None:
                supp["form"] = s.form
            days[s.day]["supplements"].append(supp)
    for w in record.water:
        if inside(w.day):
            days[w.day]["water"].append(
                {"liters": w.liters, "mg_per_liter": w.mg_per_liter, "name": w.name}
            )
    return [{"date": day.isoformat(), **parts} for day, parts in sorted(days.items())]


def case_window(today: dt.date, kb: Knowledge) -> tuple[dt.date, dt.date]:
    """First day of the intake and first day of the symptoms the case reads."""
    params = kb.progress
    intake_from = today - dt.timedelta(days=int(params.intake_days.value) - 1)
    symptoms_from = today - dt.timedelta(days=int(params.symptom_days.value) - 1)
    return intake_from, symptoms_from


def case_from_record(
    record: PersonRecord, today: dt.date, kb: Knowledge, standard: str | None = None
) -> Case:
    """The case ``magwise.assess`` judges for ``today``."""
    intake_from, symptoms_from = case_window(today, kb)
    profile = record.profile_on(today)
    case: dict[str, Any] = {
        "version": 1,
        "profile": {
            "sex": profile.sex,
            "age_years": round(profile.age_on(today), 2),
            "pregnant": profile.pregnant,
            "lactating": profile.lactating,
            "conditions": list(profile.conditions),
            "medications": list(profile.medications),
        },
        "days": days_of_intake(record, intake_from, today),
    }
    if standard or profile.standard:
        case["standard"] = standard or profile.standard
    latest: dict[str, Any] = {}
    for lab in record.labs:
        if lab.day <= today and (lab.test not in latest or lab.day >= latest[lab.test].day):
            latest[lab.test] = lab
    case["labs"] = [
        {
            "test": lab.test,
            "value": lab.value,
            "unit": lab.unit,
            "date": lab.day.isoformat(),
            **lab_range(lab.range_low, lab.range_high),
            **({"comparator": lab.comparator} if lab.comparator else {}),
        }
        for lab in latest.values()
    ]
    case["symptoms"] = list(
        dict.fromkeys(s.code for s in record.symptoms if symptoms_from <= s.day <= today)
    )
    counts = [
        s.count
        for s in record.shedding
        if s.method == "daily_count" and intake_from <= s.day <= today
    ]
    hair: dict[str, Any] = {}
    if profile.hair_pattern:
        hair["pattern"] = profile.hair_pattern
    if counts:
        hair["shedding_per_day"] = median(counts)
    if profile.hair_loss_since is not None and profile.hair_loss_since <= today:
        weeks = round((today - profile.hair_loss_since).days / _WEEK, 1)
        hair["duration_weeks"] = min(weeks, MAX_DURATION_WEEKS)  # as much as a case holds
    if profile.family_history is not None:
        hair["family_history"] = profile.family_history
    if profile.scalp:
        hair["scalp"] = list(profile.scalp)
    triggers = [
        {"kind": t.kind, "weeks_ago": round((today - t.on).days / _WEEK, 1)}
        for t in profile.triggers
        if t.on <= today and (today - t.on).days / _WEEK <= MAX_WEEKS_AGO
    ]
    if triggers:
        hair["triggers"] = triggers
    if hair or any(s.day <= today for s in record.shedding):
        case["hair"] = hair
    return parse_case(case)
