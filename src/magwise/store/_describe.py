"""What an entry says, in one line for a person (the CLI's words, or a language's)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from magwise.foods._own import is_own
from magwise.record import (
    FoodEntry,
    LabEntry,
    SheddingEntry,
    SupplementEntry,
    SymptomEntry,
    WaterEntry,
)
from magwise.store._store import KIND_OF, Entry, lab_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from magwise.foods._own import OwnFood
    from magwise.knowledge import Knowledge


def describe(entry: Entry) -> str:
    """One line for a person: what an entry says."""
    if isinstance(entry, FoodEntry):
        amount = (
            f"{entry.grams:g} g"
            if entry.grams is not None
            else f"{entry.count:g} x {entry.portion}"
        )
        source = "own food" if is_own(entry.ndb) else f"NDB {entry.ndb}"
        meal = f", {entry.meal}" if entry.meal else ""
        return f"food: {amount} {entry.description} ({source}{meal})"
    if isinstance(entry, SupplementEntry):
        mg = entry.units * entry.elemental_mg_per_unit
        return f"supplement: {entry.units:g} x {entry.product} ({mg:g} mg magnesium)"
    if isinstance(entry, WaterEntry):
        name = f" {entry.name}" if entry.name else ""
        return f"water: {entry.liters:g} l{name} at {entry.mg_per_liter:g} mg/L"
    if isinstance(entry, SheddingEntry):
        return f"hair: {entry.count} hairs ({entry.method.replace('_', ' ')})"
    if isinstance(entry, SymptomEntry):
        return f"symptom: {entry.code}"
    if isinstance(entry, LabEntry):
        lab_range = ""
        if entry.range_low is not None or entry.range_high is not None:
            low = "" if entry.range_low is None else f"{entry.range_low:g}"
            high = "" if entry.range_high is None else f"{entry.range_high:g}"
            lab_range = f" (lab range {low}-{high})"
        value = lab_value(entry.value, entry.comparator)
        return f"lab: {entry.test.replace('_', ' ')} {value} {entry.unit}{lab_range}"
    return f"note: {entry.text}"


def describe_in(
    entry: Entry, kb: Knowledge, foods: object = None, own: Iterable[OwnFood] = ()
) -> tuple[str, str]:
    """What an entry says, in the language of ``kb``: its kind (a ``KINDS`` key) and
    its text (symptoms by their name, shedding methods and lab tests by theirs, a
    food by its German name in German, asking the food index ``foods``, and an own
    food of ``own`` by its name in the language)."""
    texts = kb.progress.texts
    kind = KIND_OF[type(entry)]
    if isinstance(entry, FoodEntry):
        if kb.language == "de" or is_own(entry.ndb):
            from magwise.foods import food_name

            name = food_name(entry.ndb, entry.description, kb.language, foods, own)
            entry = replace(entry, description=name)
        if kb.language == "de" and entry.portion:
            from magwise.foods._measures_de import german_measure_label

            entry = replace(entry, portion=german_measure_label(entry.portion))
        if entry.grams is not None:
            text = texts["entry_food_grams"].format(
                grams=f"{round(entry.grams, 1) or entry.grams:g}",
                food=entry.description,
                ndb=entry.ndb,
            )
        else:
            text = texts["entry_food_portions"].format(
                count=f"{entry.count:g}",
                portion=entry.portion,
                food=entry.description,
                ndb=entry.ndb,
            )
    elif isinstance(entry, SupplementEntry):
        mg = entry.units * entry.elemental_mg_per_unit
        text = texts["entry_supplement"].format(
            units=f"{entry.units:g}", product=entry.product, mg=f"{mg:g}"
        )
    elif isinstance(entry, WaterEntry):
        key = "entry_water_named" if entry.name else "entry_water"
        text = texts[key].format(
            liters=f"{entry.liters:g}", name=entry.name, mg_per_liter=f"{entry.mg_per_liter:g}"
        )
    elif isinstance(entry, SheddingEntry):
        text = texts["entry_shedding"].format(
            count=entry.count, method=texts[f"entry_method_{entry.method}"]
        )
    elif isinstance(entry, SymptomEntry):
        found = kb.symptoms.find(entry.code)
        text = found.label if found else entry.code
    elif isinstance(entry, LabEntry):
        values = {
            "test": texts[f"lab_test_{entry.test}"],
            "value": lab_value(entry.value, entry.comparator),
            "unit": entry.unit,
        }
        if entry.range_low is None and entry.range_high is None:
            text = texts["entry_lab"].format(**values)
        else:
            low = "" if entry.range_low is None else f"{entry.range_low:g}"
            high = "" if entry.range_high is None else f"{entry.range_high:g}"
            text = texts["entry_lab_range"].format(**values, low=low, high=high)
    else:
        text = entry.text
    return kind, text
