"""The serving a portion ranking uses: what a person eats at one sitting.

SR28 lists several household portions per food, from "1 almond" to "1 cup".
Ranking by the largest would be won by a cup of seeds (700 kcal) that nobody
eats; ranking by the smallest, by a single kernel. A serving here is the
largest household portion that stays within one helping, at most
``MAX_SERVING_KCAL`` and ``MAX_SERVING_GRAMS``. When a portion is too big, a
kitchen fraction of it (3/4, 1/2, 1/4) is tried, so a food measured only by the
cup of dry beans gets a quarter cup rather than a cup.
"""

from __future__ import annotations

from magwise.foods._model import Food, Portion

MAX_SERVING_KCAL = 200.0
MAX_SERVING_GRAMS = 250.0
FRACTIONS = (1.0, 0.75, 0.5, 0.25)


def serving(food: Food) -> Portion | None:
    """The serving of ``food`` for a portion ranking, ``None`` without portions."""
    kcal_per_gram = (food.kcal_per_100g or 0.0) / 100

    def fits(portion: Portion) -> bool:
        return (
            portion.grams <= MAX_SERVING_GRAMS and portion.grams * kcal_per_gram <= MAX_SERVING_KCAL
        )

    helpings = []
    for portion in food.portions:
        for fraction in FRACTIONS:
            part = Portion(portion.amount * fraction, portion.unit, portion.grams * fraction)
            if fits(part):
                helpings.append(part)
                break
    if helpings:
        return max(helpings, key=lambda portion: portion.grams)
    if not food.portions:
        return None
    smallest = min(food.portions, key=lambda portion: portion.grams)
    fraction = FRACTIONS[-1]
    return Portion(smallest.amount * fraction, smallest.unit, smallest.grams * fraction)
