"""A person's record over weeks, as plain data: what the store returns and what
progress verdicts and reports read. No database here; the store fills it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # only annotations: reading a record needs no Pydantic
    from magwise.case import Comparator, LabTest

SheddingMethod = Literal["daily_count", "comb_test", "wash_count"]
SHEDDING_METHODS: tuple[SheddingMethod, ...] = ("daily_count", "comb_test", "wash_count")
Meal = Literal["breakfast", "lunch", "dinner", "snack"]
MEALS: tuple[Meal, ...] = ("breakfast", "lunch", "dinner", "snack")

_DAYS_PER_YEAR = 365.2425  # the mean Gregorian year, for ages between profile versions


@dataclass(frozen=True, slots=True)
class HairTrigger:
    kind: str  # a trigger code (knowledge: hair.toml)
    on: dt.date


@dataclass(frozen=True, slots=True)
class ProfileVersion:
    """The profile as it was from ``valid_from`` until the next version."""

    valid_from: dt.date
    sex: Literal["female", "male"]
    age_years: float  # age on valid_from
    pregnant: bool = False
    lactating: bool = False
    standard: str | None = None
    conditions: tuple[str, ...] = ()
    medications: tuple[str, ...] = ()
    hair_pattern: str | None = None
    hair_loss_since: dt.date | None = None
    family_history: bool | None = None
    scalp: tuple[str, ...] = ()
    triggers: tuple[HairTrigger, ...] = ()
    # Who the person is, for the report they hand to a doctor; never required,
    # never read by an assessment.
    name: str | None = None
    birth_date: dt.date | None = None

    def age_on(self, day: dt.date) -> float:
        return self.age_years + max((day - self.valid_from).days, 0) / _DAYS_PER_YEAR


@dataclass(frozen=True, slots=True)
class FoodEntry:
    id: int
    day: dt.date
    ndb: str
    grams: float | None
    portion: str | None
    count: float
    description: str
    mg_per_100g: float | None = None  # an own food's value when it was logged (ndb "own:N")
    meal: Meal | None = None


@dataclass(frozen=True, slots=True)
class SupplementEntry:
    id: int
    day: dt.date
    product: str
    form: str | None
    elemental_mg_per_unit: float
    units: float


@dataclass(frozen=True, slots=True)
class WaterEntry:
    id: int
    day: dt.date
    liters: float
    mg_per_liter: float
    name: str | None = None


@dataclass(frozen=True, slots=True)
class SheddingEntry:
    id: int
    day: dt.date
    count: int
    method: SheddingMethod


@dataclass(frozen=True, slots=True)
class SymptomEntry:
    id: int
    day: dt.date
    code: str


@dataclass(frozen=True, slots=True)
class LabEntry:
    """A lab result as written: ``comparator`` "<" with value 0.5 is "< 0.5"."""

    id: int
    day: dt.date
    test: LabTest
    value: float
    unit: str
    range_low: float | None = None
    range_high: float | None = None
    comparator: Comparator | None = None


@dataclass(frozen=True, slots=True)
class NoteEntry:
    id: int
    day: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """A dose plan the person started (and perhaps stopped)."""

    id: int
    started: dt.date
    supplement_mg_per_day: float
    form: str
    stopped: dt.date | None = None


@dataclass(frozen=True)
class PersonRecord:
    """Everything kept for one person, in date order within each kind."""

    person_id: int
    profiles: tuple[ProfileVersion, ...]
    foods: tuple[FoodEntry, ...] = ()
    supplements: tuple[SupplementEntry, ...] = ()
    water: tuple[WaterEntry, ...] = ()
    shedding: tuple[SheddingEntry, ...] = ()
    symptoms: tuple[SymptomEntry, ...] = ()
    labs: tuple[LabEntry, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    plans: tuple[PlanEntry, ...] = ()
    named_waters: dict[str, float] = field(default_factory=dict)  # name -> mg/L

    def profile_on(self, day: dt.date) -> ProfileVersion:
        """The profile in force on ``day`` (the first one for days before it)."""
        current = self.profiles[0]
        for version in self.profiles:
            if version.valid_from <= day:
                current = version
        return current
