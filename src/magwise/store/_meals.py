"""Meals saved by name: the foods of a meal, logged again in one step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from magwise.errors import InputError
from magwise.record import FoodEntry
from magwise.store._db import Database, Transaction, insert

#: The fields of a food entry a saved meal keeps (not its id or day).
ITEM_FIELDS = ("ndb", "grams", "portion", "count", "description", "mg_per_100g", "meal")


@dataclass(frozen=True, slots=True)
class SavedMeal:
    name: str
    items: tuple[FoodEntry, ...]  # ids 0, days of the day it was saved from


def item_json(entry: FoodEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ITEM_FIELDS}


def _entry(item: dict[str, Any]) -> FoodEntry:
    import datetime as dt

    values: dict[str, Any] = {name: item.get(name) for name in ITEM_FIELDS}
    return FoodEntry(0, dt.date.min, **values)


class Meals:
    """The saved meals of the store's persons (``store.meals``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self, person_id: int) -> list[SavedMeal]:
        with self._db.read() as tx:
            rows = tx.rows("SELECT name, items FROM meals WHERE person_id = :p", {"p": person_id})
        meals = [
            SavedMeal(str(n), tuple(_entry(i) for i in json.loads(items))) for n, items in rows
        ]
        return sorted(meals, key=lambda m: m.name.casefold())

    def get(self, person_id: int, name: str) -> SavedMeal | None:
        wanted = name.strip().casefold()
        return next((m for m in self.all(person_id) if m.name.casefold() == wanted), None)

    def save(self, person_id: int, name: str, items: list[FoodEntry]) -> bool:
        """Save ``items`` as the meal ``name``; True when it replaced one of that name."""
        if not name.strip():
            raise InputError("name", "missing; give the meal a name, such as 'my breakfast'")
        if not items:
            raise InputError("meal", "no foods to save; log the meal's foods first")
        with self._db.write() as tx:
            tx.lock(person_id)
            replaced = self._forget(tx, person_id, name)
            self._insert(tx, person_id, name.strip(), [item_json(e) for e in items])
        return replaced

    def delete(self, person_id: int, name: str) -> bool:
        with self._db.write() as tx:
            tx.lock(person_id)
            return self._forget(tx, person_id, name)

    def restore(self, tx: Transaction, person_id: int, meals: list[SavedMeal]) -> None:
        for meal in meals:
            self._insert(tx, person_id, meal.name, [item_json(e) for e in meal.items])

    def _insert(self, tx: Transaction, person_id: int, name: str, items: list[Any]) -> None:
        insert(tx, "meals", {"person_id": person_id, "name": name, "items": json.dumps(items)})

    def _forget(self, tx: Transaction, person_id: int, name: str) -> bool:
        rows = tx.rows("SELECT id, name FROM meals WHERE person_id = :p", {"p": person_id})
        ids = [int(i) for i, n in rows if str(n).casefold() == name.strip().casefold()]
        for found in ids:
            tx.run("DELETE FROM meals WHERE id = :id", {"id": found})
        return bool(ids)
