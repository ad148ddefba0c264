"""A person's own foods in the store: added from a label, edited, deleted.

Entries logged from an own food keep its magnesium (``FoodEntry.mg_per_100g``),
so a change here never changes a logged day.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from magwise.errors import InputError
from magwise.foods._own import OwnFood, find_own
from magwise.store._db import Database, Transaction, check_text, insert

_COLUMNS = "id, name, mg_per_100g, kcal_per_100g, barcode, name_de, name_en, portion, portion_grams"


def _values(person_id: int, food: OwnFood) -> dict[str, Any]:
    values = dataclasses.asdict(food)
    del values["id"]
    return {"person_id": person_id, **values}


class OwnFoods:
    """The own foods of the store's persons (``store.own_foods``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self, person_id: int) -> list[OwnFood]:
        with self._db.read() as tx:
            return self._all(tx, person_id)

    def _all(self, tx: Transaction, person_id: int) -> list[OwnFood]:
        rows = tx.rows(f"SELECT {_COLUMNS} FROM own_foods WHERE person_id = :p", {"p": person_id})
        # sorted here: the database's collation orders names differently on each database
        return sorted((OwnFood(*row) for row in rows), key=lambda f: f.name.casefold())

    def find(self, person_id: int, text: str) -> OwnFood | None:
        """The own food called ``text`` (any of its names, case does not matter) or ``own:N``."""
        return find_own(self.all(person_id), text)

    def add(self, person_id: int, food: OwnFood) -> OwnFood:
        """Store a new own food (its ``id`` is ignored); the food with its id."""
        with self._db.write() as tx:
            tx.lock(person_id)
            self._check_name(tx, person_id, food)
            new_id = insert(tx, "own_foods", _values(person_id, food))
        return dataclasses.replace(food, id=new_id)

    def update(self, person_id: int, food: OwnFood) -> OwnFood:
        """Replace the own food with ``food.id`` by ``food``."""
        values = _values(person_id, food)
        check_text("own_foods", values)
        with self._db.write() as tx:
            tx.lock(person_id)
            if find_own(self._all(tx, person_id), food.key) is None:
                raise InputError("food", f"no own food {food.key}; see 'magwise foods mine'")
            self._check_name(tx, person_id, food)
            settings = ", ".join(f"{name} = :{name}" for name in values if name != "person_id")
            tx.run(
                f"UPDATE own_foods SET {settings} WHERE id = :id AND person_id = :person_id",
                {**values, "id": food.id},
            )
        return food

    def delete(self, person_id: int, text: str) -> OwnFood | None:
        """Forget an own food (by name or ``own:N``); ``None`` when there is none.
        Entries logged from it keep their food and magnesium."""
        with self._db.write() as tx:
            tx.lock(person_id)
            food = find_own(self._all(tx, person_id), text)
            if food is not None:
                tx.run(
                    "DELETE FROM own_foods WHERE id = :id AND person_id = :p",
                    {"id": food.id, "p": person_id},
                )
        return food

    def restore(self, tx: Transaction, person_id: int, foods: list[OwnFood]) -> None:
        """Write foods as they are (an import), inside the caller's transaction."""
        for food in foods:
            insert(tx, "own_foods", _values(person_id, food))

    def _check_name(self, tx: Transaction, person_id: int, food: OwnFood) -> None:
        taken = {
            n.casefold()
            for other in self._all(tx, person_id)
            if other.id != food.id
            for n in other.names()
        }
        clash = next((n for n in food.names() if n.casefold() in taken), None)
        if clash is not None:
            raise InputError(
                "name", f"{clash!r} already names an own food; edit it or choose another name"
            )
