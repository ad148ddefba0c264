"""The day's entries as Today shows them: by meal, with the magnesium of each and of each meal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from magwise.foods import FoodIndex, OwnFood
from magwise.knowledge import Knowledge
from magwise.record import MEALS, FoodEntry, SupplementEntry, WaterEntry
from magwise.store import Entry, Store, describe_in
from magwise.store._amounts import food_mg
from magwise.store._days import recent_foods


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    kind: str
    text: str
    mg: float | None  # None: no magnesium (a symptom), or unknown (then ``unknown``)
    unknown: bool = False
    amount: str = ""  # a food's amount, as the edit form takes it back
    meal: str | None = None
    day: dt.date | None = None


@dataclass(slots=True)
class Group:
    meal: str | None  # None: entries of no meal
    rows: list[Row] = field(default_factory=list)

    @property
    def mg(self) -> float:
        return sum(r.mg for r in self.rows if r.mg is not None)

    @property
    def unknown(self) -> int:
        return sum(r.unknown for r in self.rows)

    @property
    def has_mg(self) -> bool:
        return any(r.mg is not None or r.unknown for r in self.rows)


def _amount(entry: FoodEntry) -> str:
    if entry.grams is not None:
        return f"{round(entry.grams * entry.count, 1):g} g"
    return entry.portion or "" if entry.count == 1 else f"{entry.count:g} x {entry.portion}"


def row_of(entry: Entry, kb: Knowledge, foods: FoodIndex, own: Sequence[OwnFood] = ()) -> Row:
    kind, text = describe_in(entry, kb, foods, own)
    if isinstance(entry, FoodEntry):
        mg = food_mg(entry, foods)
        return Row(entry.id, kind, text, mg, mg is None, _amount(entry), entry.meal, entry.day)
    if isinstance(entry, WaterEntry):
        return Row(entry.id, kind, text, entry.liters * entry.mg_per_liter, day=entry.day)
    if isinstance(entry, SupplementEntry):
        mg = entry.units * entry.elemental_mg_per_unit
        return Row(entry.id, kind, text, mg, day=entry.day)
    return Row(entry.id, kind, text, None, day=entry.day)


def day_groups(
    entries: list[Entry], kb: Knowledge, foods: FoodIndex, own: Sequence[OwnFood] = ()
) -> list[Group]:
    """The meals that have entries, in the day's order, then the entries of no meal."""
    groups = {meal: Group(meal) for meal in (*MEALS, None)}
    for entry in sorted(entries, key=lambda e: e.id):
        meal = entry.meal if isinstance(entry, FoodEntry) else None
        groups[meal].rows.append(row_of(entry, kb, foods, own))
    return [g for g in groups.values() if g.rows]


def recent_rows(
    store: Store, person_id: int, today: dt.date, kb: Knowledge, foods: FoodIndex
) -> list[Row]:
    """The foods logged lately, each with its last amount: one tap logs it again."""
    own = store.own_foods.all(person_id)
    return [row_of(r.last, kb, foods, own) for r in recent_foods(store, person_id, today, limit=8)]
