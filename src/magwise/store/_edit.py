"""What an edit of an entry changes, read from what a person typed and checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from magwise.errors import InputError
from magwise.record import FoodEntry
from magwise.store._days import parse_meal
from magwise.store._inputs import food_amount, parse_day

if TYPE_CHECKING:
    from magwise.foods._index import FoodIndex
    from magwise.store._store import Entry


def _food_of(entry: FoodEntry, foods: FoodIndex | None) -> Any:
    from magwise.foods._model import Food

    if entry.mg_per_100g is not None or foods is None:  # an own food: its grams
        return Food(entry.ndb, entry.description, "", entry.mg_per_100g, None, ())
    return foods.get(entry.ndb)


def edit_changes(
    entry: Entry,
    *,
    amount: str | None = None,
    day: str | None = None,
    meal: str | None = None,
    no_meal: bool = False,
    foods: FoodIndex | None = None,
) -> dict[str, Any]:
    """The fields ``Store.edit_entry`` changes; ``InputError`` names what is wrong."""
    changes: dict[str, Any] = {}
    if day is not None and day.strip():
        changes["day"] = parse_day(day)
    wants_food = (amount is not None and amount.strip()) or meal or no_meal
    if wants_food and not isinstance(entry, FoodEntry):
        raise InputError("entry", "only a food entry has an amount and a meal")
    if isinstance(entry, FoodEntry) and amount is not None and amount.strip():
        if foods is None and entry.mg_per_100g is None:
            from magwise.foods import load_foods

            foods = load_foods()
        grams, portion, count = food_amount(_food_of(entry, foods), (amount,))
        changes.update(grams=grams, portion=portion, count=count)
    if no_meal:
        changes["meal"] = None
    elif meal:
        changes["meal"] = parse_meal(meal)
    if not changes:
        raise InputError("edit", "nothing to change; give an amount, a date or a meal")
    return changes
