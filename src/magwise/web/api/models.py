"""Response models of the API, so that the OpenAPI schema describes every answer."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from magwise.foods import Food, Per, Portion, RankedFood, SearchHit
from magwise.result import Reference


class FoodOut(BaseModel):
    ndb: str = Field(description="SR28 NDB number.")
    description: str
    group: str
    mg_per_100g: float | None = Field(description="Magnesium per 100 g; null when SR28 has none.")
    kcal_per_100g: float | None
    own: bool = Field(default=False, description="True for a person's own food (ndb own:N).")


def food_fields(food: Food) -> dict[str, Any]:
    """The fields every food answer shares."""
    return {
        "ndb": food.ndb,
        "own": food.ndb.startswith("own:"),
        "description": food.description,
        "group": food.group,
        "mg_per_100g": food.mg_per_100g,
        "kcal_per_100g": food.kcal_per_100g,
    }


class SearchHitOut(FoodOut):
    score: float = Field(description="Higher is a better match.")
    name: str = Field(
        default="",
        description="The food's name in the language asked for (lang): German when the "
        "German name table has one, else SR28's description.",
    )

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(**food_fields(hit.food), score=hit.score, name=hit.name)


class PortionOut(BaseModel):
    label: str = Field(description="The household measure, e.g. '1 oz'.")
    amount: float
    unit: str
    grams: float
    mg: float | None = Field(description="Magnesium in this portion; null when unknown.")


class FoodDetails(FoodOut):
    mg_per_100kcal: float | None
    portions: list[PortionOut]

    @classmethod
    def of_food(cls, food: Food) -> FoodDetails:
        return cls(
            **food_fields(food),
            mg_per_100kcal=food.mg_per_100kcal,
            portions=[_portion(food, portion) for portion in food.portions],
        )


def _portion(food: Food, portion: Portion) -> PortionOut:
    return PortionOut(
        label=portion.label,
        amount=portion.amount,
        unit=portion.unit,
        grams=portion.grams,
        mg=food.mg_in(portion),
    )


class ServingOut(BaseModel):
    label: str
    grams: float


class RankedOut(FoodOut):
    mg: float = Field(description="Magnesium per 100 g, per 100 kcal or per serving.")
    per: Per
    portion: ServingOut | None = Field(description="The serving, when ranked per portion.")

    @classmethod
    def of_ranked(cls, item: RankedFood) -> RankedOut:
        portion = item.portion
        return cls(
            **food_fields(item.food),
            mg=round(item.mg, 3),
            per=cast(Per, item.per),
            portion=None
            if portion is None
            else ServingOut(label=portion.label, grams=portion.grams),
        )


class PersonalReference(Reference):
    """A person's target and supplemental upper limit under one standard."""

    sex: Literal["female", "male"]
    age_years: float
    pregnant: bool
    lactating: bool


class Health(BaseModel):
    status: Literal["ok"] = "ok"
