"""The grams and magnesium of a logged food, as the person's view shows them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from magwise.errors import InputError
from magwise.record import FoodEntry

if TYPE_CHECKING:
    from magwise.foods._index import FoodIndex


def food_grams(entry: FoodEntry, foods: FoodIndex) -> float | None:
    """Grams of a food entry; ``None`` when its portion is no longer known."""
    if entry.grams is not None:
        return entry.grams * entry.count
    try:
        food = foods.get(entry.ndb)
    except InputError:
        return None
    portion = food.portion(entry.portion or "")
    return None if portion is None else portion.grams * entry.count


def food_mg(entry: FoodEntry, foods: FoodIndex) -> float | None:
    """Magnesium of a food entry (an own food's value when logged); ``None`` when unknown."""
    grams = food_grams(entry, foods)
    if grams is None:
        return None
    if entry.mg_per_100g is not None:
        return grams * entry.mg_per_100g / 100
    try:
        per_100g = foods.get(entry.ndb).mg_per_100g
    except InputError:
        return None
    return None if per_100g is None else grams * per_100g / 100
