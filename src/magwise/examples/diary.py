"""An example log: a profile and six weeks of plausible daily entries.

``example_record(today)`` builds it (the same record for the same ``today``);
``seed_example(store, person_id)`` writes it in one transaction, only into an
empty store. ``magwise serve --example`` uses it so that the pages have
something to show. Every row it writes is flagged as the example (revision 9):
the pages mark it, and ``remove_example`` removes it alone, never what the
person logged on top of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

from magwise.foods import FoodIndex, load_foods
from magwise.record import (
    FoodEntry,
    HairTrigger,
    LabEntry,
    NoteEntry,
    PersonRecord,
    PlanEntry,
    ProfileVersion,
    SheddingEntry,
    SupplementEntry,
    SymptomEntry,
    WaterEntry,
)
from magwise.store import Entry, Product, Store

__all__ = [
    "EXAMPLE_NAME",
    "WEEKS",
    "example_record",
    "is_example",
    "remove_example",
    "seed_example",
]

#: The name of the example person: the pages show a notice while it is in place.
EXAMPLE_NAME = "magwise example"
WEEKS = 6
SEED = 20261102

PRODUCT = Product("Magnesium citrate 150", 150.0, "citrate")
WATER = ("Gerolsteiner", 108.0)  # mg/L as printed on the label

# (SR28 NDB number, grams) choices per meal
_BREAKFAST = [("20038", 40.0), ("20038", 60.0), ("01116", 170.0), ("18075", 64.0)]
_LUNCH = [("16015", 172.0), ("20037", 202.0), ("11457", 60.0), ("18075", 64.0)]
_DINNER = [("15237", 85.0), ("11358", 173.0), ("11091", 78.0), ("20037", 150.0)]
_SNACKS = [("12061", 28.0), ("12014", 15.0), ("19905", 20.0), ("09040", 118.0), ("12087", 28.35)]


def _food(foods: FoodIndex, day: dt.date, ndb: str, grams: float) -> FoodEntry:
    return FoodEntry(0, day, ndb, grams, None, 1.0, foods.get(ndb).description)


def example_record(
    today: dt.date, foods: FoodIndex | None = None
) -> tuple[PersonRecord, list[Product]]:
    """The example record of the six weeks up to ``today``, and its product."""
    foods = foods or load_foods()
    rng = random.Random(SEED)
    first = today - dt.timedelta(days=WEEKS * 7 - 1)
    supplement_from = first + dt.timedelta(days=14)
    profile = ProfileVersion(
        valid_from=first,
        sex="female",
        age_years=34.0,
        hair_pattern="diffuse",
        hair_loss_since=first - dt.timedelta(days=56),
        family_history=False,
        triggers=(HairTrigger("high_stress", first - dt.timedelta(days=120)),),
    )
    meals: list[FoodEntry] = []
    supplements: list[SupplementEntry] = []
    water: list[WaterEntry] = []
    shedding: list[SheddingEntry] = []
    for offset in range(WEEKS * 7):
        day = first + dt.timedelta(days=offset)
        meals.append(_food(foods, day, *rng.choice(_BREAKFAST)))
        meals.append(_food(foods, day, *rng.choice(_LUNCH)))
        if day != today:  # today is not over yet
            meals.append(_food(foods, day, *rng.choice(_DINNER)))
        meals.append(_food(foods, day, *rng.choice(_SNACKS)))
        water.append(WaterEntry(0, day, rng.choice((0.5, 0.75, 1.0, 1.25)), WATER[1], WATER[0]))
        if day >= supplement_from and rng.random() < 0.9:
            supplements.append(
                SupplementEntry(
                    0, day, PRODUCT.name, PRODUCT.form, PRODUCT.elemental_mg_per_unit, 1
                )
            )
        if rng.random() < 0.85:
            trend = 135 - 40 * offset / (WEEKS * 7)
            count = max(round(trend + rng.gauss(0, 12)), 20)
            shedding.append(SheddingEntry(0, day, count, "daily_count"))
    record = PersonRecord(
        person_id=0,
        profiles=(profile,),
        foods=tuple(meals),
        supplements=tuple(supplements),
        water=tuple(water),
        shedding=tuple(shedding),
        symptoms=(
            SymptomEntry(0, first + dt.timedelta(days=3), "muscle_cramps"),
            SymptomEntry(0, first + dt.timedelta(days=5), "fatigue"),
            SymptomEntry(0, first + dt.timedelta(days=9), "muscle_cramps"),
        ),
        labs=(
            LabEntry(0, first + dt.timedelta(days=2), "serum_magnesium", 0.72, "mmol/L", 0.7, 1.1),
        ),
        notes=(
            NoteEntry(0, supplement_from, "Started magnesium citrate, one tablet with dinner."),
        ),
        plans=(PlanEntry(0, supplement_from, PRODUCT.elemental_mg_per_unit, "citrate", None),),
        named_waters={WATER[0]: WATER[1]},
    )
    return record, [PRODUCT]


def seed_example(store: Store, person_id: int, today: dt.date | None = None) -> bool:
    """Write the example into ``person_id``'s log if it holds nothing; True if written."""
    if any(store.counts(person_id).values()):
        return False
    record, products = example_record(today or dt.date.today())
    entries: list[Entry] = sorted(
        (
            *record.foods,
            *record.supplements,
            *record.water,
            *record.shedding,
            *record.symptoms,
            *record.labs,
            *record.notes,
        ),
        key=lambda entry: entry.day,
    )
    # the profile, product, water and plan first; then the entries day by day, so
    # that the entry written last (the one "undo" takes back) is one of today's
    empty = dataclasses.replace(
        record, foods=(), supplements=(), water=(), shedding=(), symptoms=(), labs=(), notes=()
    )
    store.restore(person_id, empty, products, name=EXAMPLE_NAME)
    try:
        store.add(person_id, *entries)
        store.mark_example(person_id)
    except BaseException:
        store.restore(person_id, PersonRecord(person_id, ()), replace=True, name="me")
        raise
    return True


def is_example(store: Store, person_id: int) -> bool:
    """True while the example log (or any part of it) is in the person's log."""
    return store.example_counts(person_id)[0] > 0


def remove_example(store: Store, person_id: int) -> dict[str, int]:
    """Delete the example log alone (the person's own entries stay); what was deleted."""
    name = "me" if store.person_name(person_id) == EXAMPLE_NAME else None
    return store.remove_example(person_id, name=name)
