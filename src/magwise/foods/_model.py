"""The food records a search or a ranking hands back."""

from __future__ import annotations

import re
from typing import NamedTuple


class Portion(NamedTuple):
    """A household measure of a food: ``amount`` of ``unit`` weighs ``grams``."""

    amount: float
    unit: str
    grams: float

    @property
    def label(self) -> str:
        """The measure as a person reads it: ``"1 oz"``, ``"0.5 cup, chopped"``."""
        return f"{self.amount:g} {self.unit}"


def _normalise_label(text: str) -> str:
    return " ".join(text.lower().split())


def _without_note(text: str) -> str:
    """A label without its note in brackets: "1 oz (23 whole kernels)" -> "1 oz"."""
    return _normalise_label(re.sub(r"\([^)]*\)", " ", text))


class Food(NamedTuple):
    """One SR28 food; nutrient values are per 100 g, ``None`` when SR28 has none."""

    ndb: str
    description: str
    group: str
    mg_per_100g: float | None
    kcal_per_100g: float | None
    portions: tuple[Portion, ...]

    def portion(self, label: str) -> Portion | None:
        """The portion called ``label``.

        Forgiving: "oz" means "1 oz", and a note in brackets may be left out, so
        "1 oz" finds "1 oz (23 whole kernels)" and "1 medium" finds
        "1 medium (7\" to 7-7/8\" long)" when no other measure has that name.
        """
        wanted = _normalise_label(label)
        for portion in self.portions:
            if _normalise_label(portion.label) == wanted:
                return portion
        for portion in self.portions:
            if portion.amount == 1 and _normalise_label(portion.unit) == wanted:
                return portion
        loose = [p for p in self.portions if _without_note(p.label) == _without_note(wanted)]
        if len(loose) == 1:
            return loose[0]
        loose = [
            p
            for p in self.portions
            if p.amount == 1 and _without_note(p.unit) == _without_note(wanted)
        ]
        return loose[0] if len(loose) == 1 else None

    @property
    def mg_per_100kcal(self) -> float | None:
        """Magnesium per 100 kcal, ``None`` when either value is unknown or energy is 0."""
        if self.mg_per_100g is None or not self.kcal_per_100g:
            return None
        return self.mg_per_100g / self.kcal_per_100g * 100

    def mg_in(self, portion: Portion) -> float | None:
        """Magnesium in ``portion`` of this food, ``None`` when unknown."""
        if self.mg_per_100g is None:
            return None
        return self.mg_per_100g * portion.grams / 100


class SearchHit(NamedTuple):
    """A food found by a search; a higher ``score`` is a better match.

    ``name`` is the food's name in the language asked for: its German name
    when there is one and German was asked for, else SR28's description.
    """

    food: Food
    score: float
    name: str = ""


class RankedFood(NamedTuple):
    """A food in a magnesium ranking: ``mg`` per 100 g, per 100 kcal or in ``portion``."""

    food: Food
    mg: float
    per: str
    portion: Portion | None = None
