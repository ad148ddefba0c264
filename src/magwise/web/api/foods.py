"""``/api/v1/foods``: search SR28 foods, show one, rank them by magnesium."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from magwise.errors import InputError
from magwise.web.api.models import FoodDetails, RankedOut, SearchHitOut
from magwise.web.deps import FoodsDep
from magwise.web.errors import NOT_FOUND, RESPONSES, located, not_found

router = APIRouter(prefix="/foods", tags=["foods"])


@router.get("", response_model=list[SearchHitOut], responses=RESPONSES, summary="Search foods")
async def search_foods(
    foods: FoodsDep,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="Words such as 'hemp seeds'.")
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[Literal["en", "de"], Query(description="Language of each hit's name.")] = "en",
) -> list[SearchHitOut]:
    """Foods matching ``q`` in English or German, best first (typos and synonyms forgiven)."""
    with located("query", {"query": "q"}):
        hits = foods.search(q, limit, lang)
    return [SearchHitOut.of(hit) for hit in hits]


@router.get("/top", response_model=list[RankedOut], responses=RESPONSES, summary="Rank foods")
async def top_foods(
    foods: FoodsDep,
    per: Literal["100g", "100kcal", "portion"] = "100g",
    group: Annotated[
        str | None,
        Query(max_length=200, description="An SR28 food group, e.g. 'Nut and Seed Products'."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[RankedOut]:
    """Foods richest in magnesium per 100 g, per 100 kcal or per serving."""
    with located("query"):
        ranked = foods.top(per=per, group=group, limit=limit)
    return [RankedOut.of_ranked(item) for item in ranked]


@router.get(
    "/{ndb}",
    response_model=FoodDetails,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Show a food",
)
async def show_food(
    foods: FoodsDep,
    ndb: Annotated[str, Path(max_length=20, description="SR28 NDB number, e.g. 12061.")],
) -> FoodDetails:
    """Magnesium per 100 g, per 100 kcal and per household portion."""
    text = ndb.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 5):
        with located("path"):
            foods.get(text)
    try:
        food = foods.get(text)
    except InputError as exc:
        raise not_found(["path", "ndb"], exc.message) from None
    return FoodDetails.of_food(food)
