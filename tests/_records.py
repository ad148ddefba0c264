"""Builders of synthetic person records for the progress and report tests."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from magwise.record import (
    FoodEntry,
    PersonRecord,
    ProfileVersion,
    SheddingEntry,
    SheddingMethod,
    SupplementEntry,
    WaterEntry,
)

START = dt.date(2026, 1, 5)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def profile(**fields: object) -> ProfileVersion:
    base: dict[str, object] = {
        "valid_from": START,
        "sex": "female",
        "age_years": 34.0,
        "hair_pattern": "diffuse",
    }
    base.update(fields)
    return ProfileVersion(**base)  # type: ignore[arg-type]


def counts(
    days: int,
    level: Callable[[int], float],
    *,
    noise: float = 0.0,
    seed: int = 0,
    keep: float = 1.0,
    method: SheddingMethod = "daily_count",
) -> tuple[SheddingEntry, ...]:
    """One count a day for ``days`` days (a share ``keep`` of them kept, at random)."""
    rng = random.Random(seed)
    out = []
    for i in range(days):
        value = level(i) + (rng.gauss(0, noise) if noise else 0.0)
        kept = rng.random() < keep
        if kept or i in (0, days - 1):
            out.append(SheddingEntry(i + 1, day(i), max(0, round(value)), method))
    return tuple(out)


def intake(days: int, *, supplement_mg: float = 0.0, form: str = "citrate") -> dict[str, tuple]:
    """Pumpkin seeds, mineral water and (optionally) a supplement every day."""
    foods = tuple(
        FoodEntry(i + 1, day(i), "12014", 30.0, None, 1, "pumpkin seeds") for i in range(days)
    )
    water = tuple(WaterEntry(i + 1, day(i), 1.5, 100.0) for i in range(days))
    supplements = (
        tuple(SupplementEntry(i + 1, day(i), "Mg", form, supplement_mg, 1) for i in range(days))
        if supplement_mg
        else ()
    )
    return {"foods": foods, "water": water, "supplements": supplements}


def record(**parts: object) -> PersonRecord:
    profiles = parts.pop("profiles", (profile(),))
    return PersonRecord(1, profiles, **parts)  # type: ignore[arg-type]
