"""The food records a search or a ranking hands back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Portion:
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


@dataclass(frozen=True, slots=True)
class Food:
    """One SR28 food; nutrient values are per 100 g, ``None`` when SR28 has none."""

    ndb: str
    description: str
    group: str
    mg_per_100g: float | None
    kcal_per_100g: float | None
    portions: tuple[Portion, ...]

    def portion(self, label: str) -> Portion | None:
        """The portion called ``label`` ("1 oz", "1 cup, chopped"; "oz" means "1 oz")."""
        wanted = _normalise_label(label)
        for portion in self.portions:
            if _normalise_label(portion.label) == wanted:
                return portion
        for portion in self.portions:
            if portion.amount == 1 and _normalise_label(portion.unit) == wanted:
                return portion
        return None

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


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A food found by a search; a higher ``score`` is a better match."""

    food: Food
    score: float


@dataclass(frozen=True, slots=True)
class RankedFood:
    """A food in a magnesium ranking: ``mg`` per 100 g, per 100 kcal or in ``portion``."""

    food: Food
    mg: float
    per: str
    portion: Portion | None = None
