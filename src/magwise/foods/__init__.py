"""The USDA SR28 food database: magnesium per food, search and rankings.

>>> from magwise.foods import load_foods
>>> foods = load_foods()
>>> foods.search("hemp seeds")[0].food.description
'Seeds, hemp seed, hulled'
"""

from magwise.foods._index import FoodIndex, Per, load_foods
from magwise.foods._model import Food, Portion, RankedFood, SearchHit
from magwise.foods._own import OwnFood, is_own, search_with_own

__all__ = [
    "Food",
    "FoodIndex",
    "OwnFood",
    "Per",
    "Portion",
    "RankedFood",
    "SearchHit",
    "is_own",
    "load_foods",
    "search_with_own",
]
