"""``/api/v1/me/foods``: a person's own foods, and the search that finds them with SR28's.

An own food's id is ``own:N``; it is logged under ``/entries/food`` like any
food, and entries logged with it keep its magnesium when it changes or goes.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.routing import Match
from starlette.types import Scope

from magwise.errors import InputError
from magwise.foods import OwnFood
from magwise.foods._own import build_own_food
from magwise.store._food_choice import choose_water, search
from magwise.web.api.food_models import (
    FoodSearch,
    FoundFood,
    OwnFoodIn,
    OwnFoodOut,
    WaterFound,
)
from magwise.web.api.log import MAX_ID, LogRoute
from magwise.web.deps import FoodsDep
from magwise.web.errors import NOT_FOUND, PERSONAL, RESPONSES, ApiError, located, not_found
from magwise.web.people import Person, PersonDep


class OwnFoodRoute(LogRoute):
    """``/foods/search`` is not the own food ``search``: any other method there is a 405."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if child.get("path_params", {}).get("food_id") == "search":
            return Match.NONE, {}
        return match, child


router = APIRouter(prefix="/me", tags=["own foods"], route_class=OwnFoodRoute, responses=PERSONAL)
FoodId = Annotated[int, Path(ge=1, le=MAX_ID, description="N of the food's id own:N.")]


def _own(person: Person, food_id: int) -> OwnFood:
    found = person.store.own_foods.find(person.id, f"own:{food_id}")
    if found is None:
        raise not_found(["path", "food_id"], f"no own food own:{food_id}")
    return found


def _built(body: OwnFoodIn, food_id: int = 0) -> OwnFood:
    with located("body"):
        return build_own_food(
            body.name,
            mg_per_100g=body.mg_per_100g,
            mg_per_portion=body.mg_per_portion,
            portion=body.portion,
            kcal_per_100g=body.kcal_per_100g,
            barcode=body.barcode,
            name_de=body.name_de,
            name_en=body.name_en,
            food_id=food_id,
        )


@router.get("/foods", response_model=list[OwnFoodOut], summary="List own foods")
def list_own_foods(person: PersonDep) -> list[OwnFoodOut]:
    return [OwnFoodOut.of(f) for f in person.store.own_foods.all(person.id)]


@router.post(
    "/foods",
    response_model=OwnFoodOut,
    status_code=201,
    responses=RESPONSES,
    summary="Add an own food",
)
def add_own_food(body: OwnFoodIn, person: PersonDep) -> OwnFoodOut:
    """A food from its label, as ``magwise foods add``."""
    food = _built(body)
    with located("body"):
        return OwnFoodOut.of(person.store.own_foods.add(person.id, food))


@router.put(
    "/foods/{food_id}",
    response_model=OwnFoodOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Change an own food",
)
def put_own_food(food_id: FoodId, body: OwnFoodIn, person: PersonDep) -> OwnFoodOut:
    """Replace what the label says; entries logged before keep their magnesium."""
    _own(person, food_id)
    food = _built(body, food_id)
    with located("body"):
        return OwnFoodOut.of(person.store.own_foods.update(person.id, food))


@router.delete(
    "/foods/{food_id}",
    response_model=OwnFoodOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Delete an own food",
)
def delete_own_food(food_id: FoodId, person: PersonDep) -> OwnFoodOut:
    """Entries logged with the food keep its name and magnesium."""
    food = person.store.own_foods.delete(person.id, f"own:{_own(person, food_id).id}")
    assert food is not None
    return OwnFoodOut.of(food)


@router.get(
    "/foods/search",
    response_model=FoodSearch,
    responses=RESPONSES,
    summary="Search own and SR28 foods",
)
def search_foods(
    person: PersonDep,
    foods: FoodsDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="What was typed.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> FoodSearch:
    """Own foods first, then SR28's; a water ("Mineralwasser", a named water) sets ``water``."""
    water = choose_water(person.store, person.id, q)
    try:
        hits = search(person.store, person.id, foods, q, limit=limit)
    except InputError as error:
        raise ApiError(422, ["query", "q"], error.message, "input_error") from None
    return FoodSearch(
        water=None
        if water is None
        else WaterFound(name=water.name, mg_per_liter=water.mg_per_liter, liters=water.liters),
        foods=[
            FoundFood(
                id=h.food.ndb,
                own=h.food.ndb.startswith("own:"),
                name=h.food.description,
                group=h.food.group,
                mg_per_100g=h.food.mg_per_100g,
                portions=[p.label for p in h.food.portions],
            )
            for h in hits
        ],
    )
