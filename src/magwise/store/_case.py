"""A case for ``magwise.assess`` from the days of a person's record."""

from __future__ import annotations

import datetime as dt
from statistics import mean
from typing import Any

from magwise.bounds import MAX_DURATION_WEEKS, MAX_WEEKS_AGO
from magwise.case import lab_range
from magwise.errors import InputError
from magwise.record import PersonRecord

_DAYS_PER_WEEK = 7


def _food(entry: Any) -> dict[str, Any]:
    if entry.mg_per_100g is not None:  # an own food: its value when it was logged
        return {
            "food": entry.ndb,
            "grams": entry.grams,
            "mg_per_100g": entry.mg_per_100g,
            "name": entry.description,
        }
    if entry.grams is not None:
        return {"food": entry.ndb, "grams": entry.grams}
    return {"food": entry.ndb, "portion": entry.portion, "count": entry.count}


def case_for(record: PersonRecord, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The case of the days ``start`` to ``end`` (a JSON object for ``assess``).

    Profile: the version in force on ``end``. Days: those with intake entries.
    Labs: every result up to ``end`` (the latest decides). Symptoms: those logged
    in the period. Hair: the profile's hair section, with the mean of the daily
    shedding counts of the period.
    """
    if not record.profiles:
        raise InputError(
            "profile", "not set yet; set it first, e.g. magwise profile set --sex female --age 34"
        )
    profile = record.profile_on(end)
    days: dict[dt.date, dict[str, list[dict[str, Any]]]] = {}

    def day(on: dt.date) -> dict[str, list[dict[str, Any]]]:
        return days.setdefault(on, {"foods": [], "supplements": [], "water": []})

    for food in record.foods:
        if start <= food.day <= end:
            day(food.day)["foods"].append(_food(food))
    for supplement in record.supplements:
        if start <= supplement.day <= end:
            item: dict[str, Any] = {
                "elemental_mg": supplement.elemental_mg_per_unit,
                "count": supplement.units,
                "name": supplement.product,
            }
            if supplement.form is not None:
                item["form"] = supplement.form
            day(supplement.day)["supplements"].append(item)
    for water in record.water:
        if start <= water.day <= end:
            drink: dict[str, Any] = {"liters": water.liters, "mg_per_liter": water.mg_per_liter}
            if water.name:
                drink["name"] = water.name
            day(water.day)["water"].append(drink)

    case: dict[str, Any] = {
        "profile": {
            "sex": profile.sex,
            "age_years": round(profile.age_on(end), 2),
            "pregnant": profile.pregnant,
            "lactating": profile.lactating,
            "conditions": list(profile.conditions),
            "medications": list(profile.medications),
        },
        "days": [{"date": on.isoformat(), **parts} for on, parts in sorted(days.items())],
        "labs": [
            {
                "test": lab.test,
                "value": lab.value,
                "unit": lab.unit,
                "date": lab.day.isoformat(),
                **lab_range(lab.range_low, lab.range_high),
                **({"comparator": lab.comparator} if lab.comparator else {}),
            }
            for lab in record.labs
            if lab.day <= end
        ],
        "symptoms": list(dict.fromkeys(s.code for s in record.symptoms if start <= s.day <= end)),
    }
    if profile.standard:
        case["standard"] = profile.standard
    counts = [
        s.count for s in record.shedding if start <= s.day <= end and s.method == "daily_count"
    ]
    hair: dict[str, Any] = {}
    if profile.hair_pattern:
        hair["pattern"] = profile.hair_pattern
    if counts:
        hair["shedding_per_day"] = round(mean(counts), 1)
    if profile.hair_loss_since is not None:
        weeks = max((end - profile.hair_loss_since).days, 0) / _DAYS_PER_WEEK
        hair["duration_weeks"] = min(weeks, MAX_DURATION_WEEKS)  # as much as a case holds
    if profile.family_history is not None:
        hair["family_history"] = profile.family_history
    if profile.triggers:
        hair["triggers"] = [
            {
                "kind": t.kind,
                "weeks_ago": min(max((end - t.on).days, 0) / _DAYS_PER_WEEK, MAX_WEEKS_AGO),
            }
            for t in profile.triggers
        ]
    if profile.scalp:
        hair["scalp"] = list(profile.scalp)
    if hair:
        case["hair"] = hair
    return case
