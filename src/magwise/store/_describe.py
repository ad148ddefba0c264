"""What an entry says, in one line for a person (the CLI's words, or a language's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from magwise import l10n
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
        from magwise.labs import range_text

        lab_range = range_text(entry.range_low, entry.range_high)
        lab_range = f" (lab range {lab_range})" if lab_range else ""
        value = lab_value(entry.value, entry.comparator)
        return f"lab: {entry.test.replace('_', ' ')} {value} {entry.unit}{lab_range}"
    return f"note: {entry.text}"


def _in(language: str) -> Callable[[float], str]:
    """How ``language`` writes an entry's numbers: English as the command line does
    ("0.72"), another language through Babel ("0,72")."""
    if language == "en":
        return lambda value: f"{value:g}"
    return lambda value: l10n.number(value, language, 3)


def describe_in(
    entry: Entry, kb: Knowledge, foods: object = None, own: Iterable[OwnFood] = ()
) -> tuple[str, str]:
    """What an entry says, in the language of ``kb``: its kind (a ``KINDS`` key) and
    its text (symptoms by their name, shedding methods and lab tests by theirs, a
    food by its German name in German, asking the food index ``foods``, and an own
    food of ``own`` by its name in the language)."""
    texts = kb.progress.texts
    g = _in(kb.language)
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
                grams=g(round(entry.grams, 1) or entry.grams),
                food=entry.description,
                ndb=entry.ndb,
            )
        else:
            text = texts["entry_food_portions"].format(
                count=g(entry.count),
                portion=entry.portion,
                food=entry.description,
                ndb=entry.ndb,
            )
    elif isinstance(entry, SupplementEntry):
        mg = entry.units * entry.elemental_mg_per_unit
        text = texts["entry_supplement"].format(
            units=g(entry.units), product=entry.product, mg=g(mg)
        )
    elif isinstance(entry, WaterEntry):
        key = "entry_water_named" if entry.name else "entry_water"
        text = texts[key].format(
            liters=g(entry.liters), name=entry.name, mg_per_liter=g(entry.mg_per_liter)
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
            "value": f"{entry.comparator} {g(entry.value)}" if entry.comparator else g(entry.value),
            "unit": entry.unit,
        }
        low, high = entry.range_low, entry.range_high
        if low is not None and high is not None:
            text = texts["entry_lab_range"].format(**values, low=g(low), high=g(high))
        elif high is not None:
            text = texts["entry_lab_range_high"].format(**values, high=g(high))
        elif low is not None:
            text = texts["entry_lab_range_low"].format(**values, low=g(low))
        else:
            text = texts["entry_lab"].format(**values)
    else:
        text = entry.text
    return kind, text
