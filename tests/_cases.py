"""Builders of case files for the assessment tests."""

from __future__ import annotations

import copy
from typing import Any

BASE: dict[str, Any] = {
    "version": 1,
    "profile": {"sex": "female", "age_years": 34},
}


def make_case(**parts: Any) -> dict[str, Any]:
    """A case file: the base adult woman, with parts replaced or profile fields merged."""
    case = copy.deepcopy(BASE)
    profile = parts.pop("profile", {})
    case["profile"].update(profile)
    case.update(parts)
    return case


def day(
    date: str = "2026-11-02",
    foods: list[dict[str, Any]] | None = None,
    supplements: list[dict[str, Any]] | None = None,
    water: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "date": date,
        "foods": foods or [],
        "supplements": supplements or [],
        "water": water or [],
    }


def serum(value: float, unit: str = "mmol/L", date: str = "2026-10-28") -> dict[str, Any]:
    return {"test": "serum_magnesium", "value": value, "unit": unit, "date": date}


def water_only(mg: float, date: str = "2026-11-02") -> dict[str, Any]:
    """A day whose whole intake is ``mg`` of magnesium from 1 litre of water."""
    return day(date, water=[{"liters": 1, "mg_per_liter": mg}])


def codes(result: Any) -> list[str]:
    return [f.code for f in result.findings]
