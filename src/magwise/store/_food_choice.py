"""What a person typed in the food box: an own food, a saved water, a water, or a food.

One routing for the CLI, the API and the pages: a water typed where a food
goes leads to a water entry (with the saved water's mg/L, or asking for the
label's), not to a food that happens to contain the word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from magwise.errors import InputError
from magwise.foods._model import Food, SearchHit
from magwise.foods._own import find_own, is_own, search_with_own
from magwise.foods._water import is_water
from magwise.record import FoodEntry, Meal
from magwise.store._store import Store

if TYPE_CHECKING:
    from magwise.foods._index import FoodIndex


@dataclass(frozen=True, slots=True)
class WaterChoice:
    """A water: ``mg_per_liter`` is ``None`` when it must come from the label."""

    name: str | None  # a saved water's name, else None
    mg_per_liter: float | None
    liters: float | None = None  # the amount typed with it ("1 Glas", "0,5 l"), else None


def choose_water(store: Store, person_id: int, query: str) -> WaterChoice | None:
    """The water ``query`` names: a saved water, or plain water; else ``None``.

    An amount typed with it ("1 Glas Mineralwasser", "Mineralwasser 0,5 l",
    "33 cl tap water") is the water's ``liters``.
    """
    from magwise.store._inputs import split_volume

    name, liters = split_volume(query)
    saved = store.water(person_id, name)
    if saved is not None:
        return WaterChoice(saved[0], saved[1], liters)
    return WaterChoice(None, None, liters) if is_water(name) else None


def search(
    store: Store,
    person_id: int,
    foods: FoodIndex,
    query: str,
    *,
    limit: int = 10,
    lang: str | None = None,
) -> list[SearchHit]:
    """The person's own foods, then the food index's, for ``query``."""
    return search_with_own(foods, store.own_foods.all(person_id), query, limit, lang)


def get_food(
    store: Store, person_id: int, foods: FoodIndex, key: str, lang: str | None = None
) -> Food:
    """The food with id ``key``: ``own:N`` or an NDB number."""
    if key.strip().startswith("own:"):
        own = find_own(store.own_foods.all(person_id), key)
        if own is None:
            raise InputError("food", f"no own food {key.strip()!r}; see 'magwise foods mine'")
        return own.as_food(lang)
    return foods.get(key)


def pick_food(
    store: Store, person_id: int, foods: FoodIndex, query: str, lang: str | None = None
) -> list[SearchHit]:
    """The candidates for a typed food: an own food named exactly, an id, or a search."""
    text = query.strip()
    own = find_own(store.own_foods.all(person_id), text)  # a name, own:N or a barcode
    if own is not None:
        return [SearchHit(own.as_food(lang), 0.0)]
    if text.isdigit() or text.startswith("own:"):
        return [SearchHit(get_food(store, person_id, foods, text, lang), 0.0)]
    return search(store, person_id, foods, text, limit=5, lang=lang)


def food_entry(
    food: Food,
    day: dt.date,
    *,
    grams: float | None,
    portion: str | None,
    count: float,
    meal: Meal | None = None,
) -> FoodEntry:
    """The entry for an amount of ``food``: an own food in grams, with its magnesium kept."""
    if not is_own(food.ndb):
        return FoodEntry(0, day, food.ndb, grams, portion, count, food.description, None, meal)
    if grams is None:
        measure = food.portion(portion or "")
        assert measure is not None
        grams = measure.grams * count
    else:
        grams *= count
    return FoodEntry(
        0, day, food.ndb, round(grams, 3), None, 1.0, food.description, food.mg_per_100g, meal
    )
