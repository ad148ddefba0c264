"""Today's faster ways: log again, copy a day, saved meals, edits, own foods, a typed water.

Each handler reads the form, checks it with the functions the command line
uses, writes one transaction and goes back to the day (or shows the day again
with the error and the input kept).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from magwise.bounds import MAX_MG_PER_LITER
from magwise.errors import InputError
from magwise.foods._own import build_own_food
from magwise.store._days import copy_day, log_meal, parse_meal, relog, save_meal
from magwise.store._edit import edit_changes
from magwise.store._food_choice import choose_water, get_food, search
from magwise.store._inputs import check_number, parse_day, parse_volume
from magwise.web.deps import FoodsDep, MessagesDep, PageKnowledgeDep
from magwise.web.people import PersonDep
from magwise.web.templating import render
from magwise.web.views.today import Form, _handle, _number, _one

router = APIRouter(prefix="/today")
partials = APIRouter(prefix="/partials")


def _entry_id(values: Form) -> int:
    text = _one(values, "entry")
    if not text.isdigit():
        raise InputError("entry", f"{text!r} is not an entry of your log")
    return int(text)


def _optional(values: Form, name: str) -> float | None:
    return _number(values, name, "a number from the label") if _one(values, name) else None


@router.post("/again")
async def log_again(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        relog(person.store, person.id, _entry_id(values), day)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/copy")
async def copy(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        source = parse_day(_one(values, "source"), field="source")
        copy_day(person.store, person.id, source, day, parse_meal(_one(values, "meal")))

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/meal-save")
async def meal_save(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        name = _one(values, "meal_name")
        save_meal(person.store, person.id, name, day, parse_meal(_one(values, "meal")))

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/meal-log")
async def meal_log(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        name = _one(values, "saved_meal")
        if not name:
            raise InputError("saved_meal", "choose one of your saved meals")
        log_meal(person.store, person.id, name, day, parse_meal(_one(values, "meal")))

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/edit")
async def edit(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        entry_id = _entry_id(values)
        entry = person.store.entry(person.id, entry_id)
        if entry is None:
            raise InputError("entry", f"no entry {entry_id} in your log (deleted already?)")
        meal = _one(values, "meal")
        changes = edit_changes(
            entry,
            amount=_one(values, "amount") if "amount" in values else None,
            day=_one(values, "new_date") or None,
            meal=meal or None,
            no_meal="meal" in values and not meal,
            foods=foods,
        )
        person.store.edit_entry(person.id, entry_id, **changes)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/own-food")
async def own_food(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        food_id = _one(values, "own_id")
        food = build_own_food(
            _one(values, "own_name"),
            mg_per_100g=_optional(values, "mg_per_100g"),
            mg_per_portion=_optional(values, "mg_per_portion"),
            portion=_one(values, "own_portion") or None,
            kcal_per_100g=_optional(values, "kcal_per_100g"),
            barcode=_one(values, "barcode") or None,
            name_de=_one(values, "name_de") or None,
            name_en=_one(values, "name_en") or None,
            food_id=int(food_id) if food_id.isdigit() else 0,
        )
        if food.id:
            person.store.own_foods.update(person.id, food)
        else:
            person.store.own_foods.add(person.id, food)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="own-foods", write=write
    )


@router.post("/own-food-delete")
async def own_food_delete(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        if person.store.own_foods.delete(person.id, _one(values, "own_id")) is None:
            raise InputError("own_id", "no such own food (deleted already?)")

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="own-foods", write=write
    )


@router.post("/water-typed")
async def water_typed(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    """A water typed in the food box: a named water's mg/L, or the label's."""

    def write(values: Form, day: dt.date) -> None:
        liters = parse_volume(_one(values, "water_liters"))
        saved = person.store.water(person.id, _one(values, "water_name"))
        if saved is not None:
            name, mg = saved
        else:
            name = None
            mg = _number(values, "water_mg", "magnesium in mg/L, from the label")
            check_number("water_mg", mg, MAX_MG_PER_LITER)
        person.store.add_water(person.id, day, liters=liters, mg_per_liter=mg, name=name)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


# -- what the food box on Today fetches as one types ----------------------------------


@partials.get("/log-foods", response_class=HTMLResponse)
async def log_food_results(
    request: Request,
    foods: FoodsDep,
    t: MessagesDep,
    person: PersonDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Own foods and SR28 foods for the typed text; a water leads to a water entry."""
    text = q.strip()
    water = choose_water(person.store, person.id, text) if text else None
    hits = (
        search(person.store, person.id, foods, text, limit=8, lang=t.lang)
        if text and not water
        else []
    )
    return render(
        request, "_log_food_results.html", t, hits=hits, query=text, water=water, typed=text
    )


@partials.get("/log-food-row", response_class=HTMLResponse)
async def log_food_row(
    request: Request,
    foods: FoodsDep,
    t: MessagesDep,
    person: PersonDep,
    ndb: Annotated[str, Query(max_length=20)],
) -> Response:
    """A picked food (an own food too) as a row of the food form."""
    try:
        food = get_food(person.store, person.id, foods, ndb, lang=t.lang)
    except InputError as exc:
        return Response(exc.message, status_code=404, media_type="text/plain")
    return render(request, "_food_row.html", t, food=food, amount="", unit="", picked=True)
