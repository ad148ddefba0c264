"""``/api/v1/me``: faster days — recent foods, saved meals, copied days and edits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from magwise.bounds import MAX_COUNT, MAX_GRAMS
from magwise.errors import InputError
from magwise.record import FoodEntry
from magwise.store import SavedMeal
from magwise.store._days import copy_day, log_meal, recent_foods, relog, save_meal
from magwise.store._inputs import check_number
from magwise.web.api.food_models import (
    AgainIn,
    CopyIn,
    EntryEditIn,
    Logged,
    MealLogIn,
    MealOut,
    MealSaveIn,
    RecentOut,
)
from magwise.web.api.log import EntryId, LogRoute, NameInPath, _no_entry, day_of
from magwise.web.api.log_models import EntryOut, FoodEntryOut, entry_out
from magwise.web.deps import FoodsDep
from magwise.web.errors import NOT_FOUND, PERSONAL, RESPONSES, located, not_found
from magwise.web.people import Person, PersonDep

router = APIRouter(prefix="/me", tags=["log"], route_class=LogRoute, responses=PERSONAL)


def _logged(person: Person, ids: list[int]) -> Logged:
    entries = [person.store.entry(person.id, i) for i in ids]
    return Logged(entries=[entry_out(e) for e in entries if e is not None])


@router.patch(
    "/entries/{entry_id}",
    response_model=EntryOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Change an entry",
)
def edit_entry(entry_id: EntryId, body: EntryEditIn, person: PersonDep, foods: FoodsDep) -> Any:
    """A food's amount (grams, or portion and count) or meal, any entry's day."""
    entry = person.store.entry(person.id, entry_id)
    if entry is None:
        raise _no_entry(entry_id)
    changes: dict[str, Any] = {}
    with located("body"):
        if body.date is not None:
            changes["day"] = day_of(body.date)
        food_fields = {"grams", "portion", "count", "meal", "no_meal"} & body.model_fields_set
        if food_fields and not isinstance(entry, FoodEntry):
            raise InputError(sorted(food_fields)[0], "only a food entry has an amount and a meal")
        if isinstance(entry, FoodEntry):
            changes.update(_food_changes(entry, body, foods))
        if not changes:
            raise InputError("date", "nothing to change; give an amount, a date or a meal")
        edited = person.store.edit_entry(person.id, entry_id, **changes)
    assert edited is not None
    return entry_out(edited)


def _food_changes(entry: FoodEntry, body: EntryEditIn, foods: Any) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if body.grams is not None and body.portion is not None:
        raise InputError("grams", "give grams or a portion, not both")
    if body.grams is not None:
        changes.update(
            grams=round(check_number("grams", body.grams, MAX_GRAMS, positive=True), 3),
            portion=None,
            count=1.0,
        )
    elif body.portion is not None:
        if entry.mg_per_100g is not None:
            raise InputError("portion", "an own food's entry is kept in grams; give grams")
        food = foods.get(entry.ndb)
        found = food.portion(body.portion)
        if found is None:
            accepted = ", ".join(p.label for p in food.portions) or "none; give grams"
            raise InputError("portion", f"{body.portion!r} is not a measure; accepted: {accepted}")
        count = body.count if body.count is not None else 1.0
        changes.update(
            grams=None,
            portion=found.label,
            count=check_number("count", count, MAX_COUNT, positive=True),
        )
    elif body.count is not None:
        if entry.portion is None:
            raise InputError("count", "a count goes with a portion; give grams alone")
        changes["count"] = check_number("count", body.count, MAX_COUNT, positive=True)
    if body.no_meal:
        changes["meal"] = None
    elif body.meal is not None:
        changes["meal"] = body.meal
    return changes


@router.get("/recent", response_model=list[RecentOut], responses=RESPONSES, summary="Recent foods")
def recent(
    person: PersonDep,
    by: Annotated[Literal["recent", "frequent"], Query(description="Order.")] = "recent",
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
) -> list[RecentOut]:
    """Foods of the last weeks, each once with its last amount: log one again with
    ``POST /entries/{id}/again``."""
    found = recent_foods(person.store, person.id, dt.date.today(), limit, by=by)
    return [
        RecentOut(entry=FoodEntryOut.model_validate(entry_out(r.last).model_dump()), times=r.times)
        for r in found
    ]


@router.post(
    "/entries/{entry_id}/again",
    response_model=EntryOut,
    status_code=201,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Log a food again",
)
def again(entry_id: EntryId, person: PersonDep, body: AgainIn | None = None) -> Any:
    """The food entry ``entry_id`` again, with its amount and meal, on ``date`` (today)."""
    with located("body"):
        day = day_of(body.date if body else None)
    if not isinstance(person.store.entry(person.id, entry_id), FoodEntry):
        raise not_found(["path", "entry_id"], f"no food entry with id {entry_id}")
    new_id = relog(person.store, person.id, entry_id, day)
    entry = person.store.entry(person.id, new_id)
    assert entry is not None
    return entry_out(entry)


@router.post(
    "/days/copy", response_model=Logged, status_code=201, responses=RESPONSES, summary="Copy a day"
)
def copy(body: CopyIn, person: PersonDep) -> Logged:
    """A day's foods, supplements and water (or one ``meal``'s foods) to ``date`` (today)."""
    with located("body"):
        day = day_of(body.date)
        ids = copy_day(person.store, person.id, body.source, day, body.meal)
    return _logged(person, ids)


def _meal_out(meal: SavedMeal) -> MealOut:
    return MealOut(
        name=meal.name,
        foods=[FoodEntryOut.model_validate(entry_out(i).model_dump()) for i in meal.items],
    )


@router.get("/meals", response_model=list[MealOut], summary="List saved meals")
def list_meals(person: PersonDep) -> list[MealOut]:
    return [_meal_out(m) for m in person.store.meals.all(person.id)]


@router.put("/meals/{name}", response_model=MealOut, responses=RESPONSES, summary="Save a meal")
def put_meal(name: NameInPath, person: PersonDep, body: MealSaveIn | None = None) -> MealOut:
    """Save the foods of ``date`` (today), or of its ``meal``, as the meal ``name``."""
    body = body or MealSaveIn()
    with located("body"):
        save_meal(person.store, person.id, name, day_of(body.date), body.meal)
    saved = person.store.meals.get(person.id, name)
    assert saved is not None
    return _meal_out(saved)


@router.delete(
    "/meals/{name}",
    response_model=MealOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Delete a saved meal",
)
def delete_meal(name: NameInPath, person: PersonDep) -> MealOut:
    saved = person.store.meals.get(person.id, name)
    if saved is None or not person.store.meals.delete(person.id, name):
        raise not_found(["path", "name"], f"no meal named {name!r}")
    return _meal_out(saved)


@router.post(
    "/meals/{name}/log",
    response_model=Logged,
    status_code=201,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Log a saved meal",
)
def log_saved_meal(name: NameInPath, person: PersonDep, body: MealLogIn | None = None) -> Logged:
    """The foods of the meal ``name`` on ``date`` (today), as ``meal`` (default: as saved)."""
    body = body or MealLogIn()
    if person.store.meals.get(person.id, name) is None:
        raise not_found(["path", "name"], f"no meal named {name!r}")
    with located("body"):
        ids = log_meal(person.store, person.id, name, day_of(body.date), body.meal)
    return _logged(person, ids)
