"""Bodies of own foods, meals, recent foods, copied days and edits (``/api/v1/me``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from magwise.foods import OwnFood
from magwise.web.api.log_models import _DAY, EntryOut, FoodEntryOut, IsoDate, Name, _In

MealName = Literal["breakfast", "lunch", "dinner", "snack"]


class OwnFoodIn(_In):
    """A food from its label: magnesium per 100 g, or per portion with the portion."""

    name: Name
    mg_per_100g: float | None = Field(default=None, description="From the label.")
    mg_per_portion: float | None = Field(default=None, description="With portion.")
    portion: Name | None = Field(
        default=None, description="A portion and its weight: '1 slice=40g'."
    )
    kcal_per_100g: float | None = None
    barcode: Name | None = Field(default=None, description="The digits under the bars (EAN, UPC).")
    name_de: Name | None = None
    name_en: Name | None = None


class OwnFoodOut(BaseModel):
    id: str = Field(description="own:N, never an SR28 NDB number.")
    own: Literal[True] = True
    name: str
    name_de: str | None
    name_en: str | None
    mg_per_100g: float
    kcal_per_100g: float | None
    barcode: str | None
    portion: str | None
    portion_grams: float | None

    @classmethod
    def of(cls, food: OwnFood) -> OwnFoodOut:
        return cls(
            id=food.key,
            name=food.name,
            name_de=food.name_de,
            name_en=food.name_en,
            mg_per_100g=food.mg_per_100g,
            kcal_per_100g=food.kcal_per_100g,
            barcode=food.barcode,
            portion=food.portion,
            portion_grams=food.portion_grams,
        )


class FoundFood(BaseModel):
    id: str = Field(description="An SR28 NDB number, or own:N for an own food.")
    own: bool
    name: str
    group: str
    mg_per_100g: float | None
    portions: list[str]


class WaterFound(BaseModel):
    """The query names a water: log it under /entries/water (mg/L from the label when null)."""

    name: str | None = Field(description="The named water, or null for plain water.")
    mg_per_liter: float | None
    liters: float | None = Field(
        None, description='The amount typed with it ("1 Glas", "0,5 l", "33 cl"), or null.'
    )


class FoodSearch(BaseModel):
    water: WaterFound | None = Field(description="Set when the query names a water.")
    foods: list[FoundFood]


class EntryEditIn(_In):
    """What changes: a food's amount (grams, or portion and count) or meal; any entry's day."""

    date: IsoDate | None = None
    grams: float | None = None
    portion: Name | None = None
    count: float | None = None
    meal: MealName | None = None
    no_meal: bool = Field(default=False, description="Take the food out of its meal.")


class RecentOut(BaseModel):
    entry: FoodEntryOut = Field(description="The last entry of the food (its amount and meal).")
    times: int = Field(description="How often the food was logged in the last weeks.")


class AgainIn(_In):
    date: IsoDate | None = _DAY


class CopyIn(_In):
    """Copy a day's foods, supplements and water, or one meal's foods, to another day."""

    source: IsoDate = Field(description="The day to copy from.")
    date: IsoDate | None = _DAY
    meal: MealName | None = None


class MealSaveIn(_In):
    """Save the foods of a day (or of one of its meals) under a name."""

    date: IsoDate | None = _DAY
    meal: MealName | None = None


class MealLogIn(_In):
    date: IsoDate | None = _DAY
    meal: MealName | None = Field(default=None, description="Default: as saved.")


class MealOut(BaseModel):
    name: str
    foods: list[FoodEntryOut]


class Logged(BaseModel):
    entries: list[EntryOut] = Field(description="The entries written.")
