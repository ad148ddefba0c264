"""The USDA SR28 food database: magnesium per food, search and rankings.

>>> from magwise.foods import load_foods
>>> foods = load_foods()
>>> foods.search("hemp seeds")[0].food.description
'Seeds, hemp seed, hulled'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from magwise.foods._index import FoodIndex, Per, load_foods
from magwise.foods._model import Food, Portion, RankedFood, SearchHit

if TYPE_CHECKING:
    from magwise.foods._own import OwnFood, is_own, search_with_own

#: a person's own foods: imported on first use (an assessment of SR28 foods needs none)
_OWN = frozenset({"OwnFood", "is_own", "search_with_own"})


def __getattr__(name: str) -> Any:
    if name in _OWN:
        from magwise.foods import _own

        return getattr(_own, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def food_name(
    ndb: str,
    description: str,
    lang: str = "en",
    foods: object = None,
    own: Iterable[OwnFood] = (),
) -> str:
    """The name of a logged or suggested food as a page or report in ``lang`` shows it.

    German pages show the German name of an SR28 food (``names_de.toml``) when the
    table has one; English pages and unnamed foods keep ``description``. An own
    food among ``own`` (the person's) is named in ``lang`` when it was given a name
    in it. ``foods`` is the food index to ask (the process's default one when it is
    not one).
    """
    from magwise.foods._own import is_own

    if is_own(ndb):
        return next((food.name_in(lang) for food in own if food.key == ndb), description)
    if lang != "de":
        return description
    index = foods if isinstance(foods, FoodIndex) else load_foods()
    return index.name_of(ndb, description, lang)


__all__ = [
    "Food",
    "FoodIndex",
    "OwnFood",
    "Per",
    "Portion",
    "RankedFood",
    "SearchHit",
    "food_name",
    "is_own",
    "load_foods",
    "search_with_own",
]
