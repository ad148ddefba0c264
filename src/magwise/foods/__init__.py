"""The USDA SR28 food database: magnesium per food, search and rankings.

>>> from magwise.foods import load_foods
>>> foods = load_foods()
>>> foods.search("hemp seeds")[0].food.description
'Seeds, hemp seed, hulled'
"""

from magwise.foods._index import FoodIndex, Per, load_foods
from magwise.foods._model import Food, Portion, RankedFood, SearchHit

__all__ = ["Food", "FoodIndex", "Per", "Portion", "RankedFood", "SearchHit", "load_foods"]
