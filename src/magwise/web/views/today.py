"""``/today``: log a day (food, supplements, water, shedding, symptoms, a blood
result) and see its intake against the person's target and the supplemental limit.

Every form posts here, is checked in full, writes one transaction and answers
with a redirect to the day (or the page again with a one-line error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from magwise.bounds import MAX_COUNT, MAX_ELEMENTAL_MG, MAX_MG_PER_LITER
from magwise.errors import InputError
from magwise.foods import FoodIndex, OwnFood
from magwise.knowledge import LAB_TESTS, Knowledge
from magwise.record import MEALS, SHEDDING_METHODS, PersonRecord
from magwise.result import Result
from magwise.store import Entry, describe_in
from magwise.store._days import parse_meal
from magwise.store._food_choice import food_entry, get_food
from magwise.store._inputs import (
    check_lab,
    check_number,
    food_amount,
    lab_test,
    parse_day,
    parse_lab_value,
    parse_range,
    parse_volume,
    shedding_count,
    shedding_method,
    supplement_form,
)
from magwise.web import form_errors
from magwise.web.deps import FoodsDep, MessagesDep, PageKnowledgeDep
from magwise.web.due import due_today
from magwise.web.i18n import Messages
from magwise.web.people import Person, PersonDep
from magwise.web.templating import render
from magwise.web.views.today_rows import day_groups, recent_rows

router = APIRouter(prefix="/today")

Form = dict[str, list[str]]
MAX_NUMBER = 30
"""The longest number a form field may hold, in characters."""
MAX_WHOLE = 9
"""The most digits of a whole number (an entry id, a hair count) in a form: below 2**31."""


async def _read_form(request: Request) -> Form:
    async with request.form() as form:
        return {key: [str(v) for v in form.getlist(key)] for key in form}


def _one(values: Form, name: str) -> str:
    items = values.get(name, [])
    return items[0].strip() if items else ""


def _number(values: Form, name: str, accepted: str) -> float:
    text = _one(values, name).replace(",", ".")
    try:
        if not text.isascii() or len(text) > MAX_NUMBER:  # '²', '٣', 5,000 digits
            raise ValueError(text)
        return float(text)
    except ValueError:
        shown = repr(text) if text else "missing"
        raise InputError(name, f"{shown} is not a number; accepted: {accepted}") from None


def _whole(text: str) -> bool:
    """Whether ``text`` is a whole number an entry or a count can be: ASCII digits, not too many."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_WHOLE


def _the_day(text: str | None) -> dt.date:
    return parse_day(text or None)


def _assess_day(record: PersonRecord, day: dt.date, kb: Knowledge, foods: FoodIndex) -> Result:
    from magwise.advisor import assess
    from magwise.store._case import case_for

    return assess(case_for(record, day, day), knowledge=kb, foods=foods)


def _entry_row(
    entry: Entry, kb: Knowledge, foods: FoodIndex, own: Sequence[OwnFood]
) -> dict[str, str]:
    kind, text = describe_in(entry, kb, foods, own)
    return {"kind": kind, "text": text}


def _food_rows(values: Form, foods: FoodIndex, person: Person) -> list[dict[str, Any]]:
    """The foods picked in a form that came back with an error, to show them again."""
    rows = []
    for ndb, amount, unit in zip(
        values.get("food", []),
        values.get("food_amount", []),
        values.get("food_unit", []),
        strict=False,
    ):
        try:
            food = get_food(person.store, person.id, foods, ndb)
            rows.append({"food": food, "amount": amount, "unit": unit})
        except InputError:
            continue
    return rows


def page(
    request: Request,
    t: Messages,
    *,
    kb: Knowledge,
    foods: FoodIndex,
    person: Person,
    day: dt.date,
    error: InputError | None = None,
    values: Form | None = None,
    form: str = "/today",
) -> HTMLResponse:
    """The day's page; with ``error`` (of the form that posts to ``form``), the form's
    input is kept and the error shown with the form's label."""
    store, me = person.store, person.id
    record = store.record(me, day, day)
    entries: list[Entry] = sorted(
        (
            *record.foods,
            *record.supplements,
            *record.water,
            *record.shedding,
            *record.symptoms,
            *record.labs,
            *record.notes,
        ),
        key=lambda e: e.id,
    )
    result = _assess_day(record, day, kb, foods) if record.profiles else None
    last = store.last_entry(me)
    today = dt.date.today()
    own = store.own_foods.all(me)
    values = values or {}
    return render(
        request,
        "today.html",
        t,
        status_code=200 if error is None else 422,
        day=day,
        today=today,
        previous_day=day - dt.timedelta(days=1),
        next_day=day + dt.timedelta(days=1) if day < today else None,
        entries=[(e.id, _entry_row(e, kb, foods, own)) for e in entries],
        result=result,
        profile=store.profile(me, day),
        products=store.products(me),
        waters=store.waters(me),
        last=None if last is None else (_entry_row(last, kb, foods, own), last.day),
        kb=kb,
        symptoms=list(kb.symptoms),
        forms=list(kb.forms.values()),
        methods=SHEDDING_METHODS,
        lab_units=list(
            dict.fromkeys(name for test in LAB_TESTS for name in kb.lab_unit_names(test))
        ),
        lab_tests=[(test, kb.progress.texts[f"lab_test_{test}"]) for test in LAB_TESTS],
        error=None if error is None else form_errors.shown(error, form, t),
        food_rows=_food_rows(values, foods, person),
        groups=day_groups(entries, kb, foods, own),
        recent=recent_rows(store, me, today, kb, foods),
        saved_meals=store.meals.all(me),
        own_foods=own,
        meals=MEALS,
        value=lambda name, default="": _one(values, name) or default,
        example_ids=store.example_ids(me),
        due=due_today(store.record(me), today, t.lang, kb, foods) if day == today else [],
    )


@router.get("", response_class=HTMLResponse)
async def today_page(
    request: Request,
    *,
    t: MessagesDep,
    kb: PageKnowledgeDep,
    foods: FoodsDep,
    person: PersonDep,
    date: str | None = None,
) -> HTMLResponse:
    try:
        day = _the_day(date)
    except InputError as error:
        return page(request, t, kb=kb, foods=foods, person=person, day=dt.date.today(), error=error)
    return page(request, t, kb=kb, foods=foods, person=person, day=day)


def _back(day: dt.date, lang: str, anchor: str) -> RedirectResponse:
    return RedirectResponse(f"/today?date={day.isoformat()}&lang={lang}#{anchor}", 303)


async def _handle(
    request: Request,
    *,
    t: Messages,
    kb: Knowledge,
    foods: FoodIndex,
    person: Person,
    anchor: str,
    write: Any,
) -> Response:
    """Read the form, check and write it with ``write(values, day)``; back to the day."""
    values = await _read_form(request)
    day = dt.date.today()
    try:
        day = _the_day(_one(values, "date"))
        write(values, day)
    except InputError as error:
        return page(
            request,
            t,
            kb=kb,
            foods=foods,
            person=person,
            day=day,
            error=error,
            values=values,
            form=request.url.path,
        )
    return _back(day, t.lang, anchor)


@router.post("/food")
async def log_food(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        picked = list(
            zip(
                values.get("food", []),
                values.get("food_amount", []),
                values.get("food_unit", []),
                strict=False,
            )
        )
        if not picked:
            raise InputError("food", "none picked; type a food's name and choose it from the list")
        meal = parse_meal(_one(values, "meal"))
        entries = []
        for ndb, amount, unit in picked:
            food = get_food(person.store, person.id, foods, ndb)
            words = (f"{amount.strip()} g",) if unit == "g" else (amount.strip(), unit)
            grams, portion, count = food_amount(food, words)
            entries.append(
                food_entry(food, day, grams=grams, portion=portion, count=count, meal=meal)
            )
        person.store.add(person.id, *entries)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-food", write=write
    )


@router.post("/supplement")
async def log_supplement(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        name = _one(values, "product")
        product = person.store.product(person.id, name) if name else None
        if product is None:
            raise InputError("product", "choose one of your products, or define one below")
        units = _number(values, "units", f"more than 0 and at most {MAX_COUNT:g}")
        check_number("units", units, MAX_COUNT, positive=True)
        person.store.add_supplement(
            person.id,
            day,
            product.name,
            elemental_mg_per_unit=product.elemental_mg_per_unit,
            units=units,
            form=product.form,
        )

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-supplement", write=write
    )


@router.post("/product")
async def define_product(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        name = _one(values, "product_name")
        if not name:
            raise InputError("product_name", "a product needs a name (as on the label)")
        mg = _number(values, "elemental_mg", "elemental mg per unit, from the label")
        check_number("elemental_mg", mg, MAX_ELEMENTAL_MG, positive=True)
        form = _one(values, "form")
        form_id = supplement_form(form, kb) if form else None
        person.store.define_product(person.id, name, elemental_mg_per_unit=mg, form=form_id)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-supplement", write=write
    )


@router.post("/water")
async def log_water(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        found = person.store.water(person.id, _one(values, "water"))
        if found is None:
            raise InputError("water", "choose one of your waters, or name one below")
        liters = parse_volume(_one(values, "liters"))
        name, mg = found
        person.store.add_water(person.id, day, liters=liters, mg_per_liter=mg, name=name)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-water", write=write
    )


@router.post("/water-name")
async def name_water(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        name = _one(values, "water_name")
        if not name:
            raise InputError("water_name", "a water needs a name (e.g. the brand)")
        mg = _number(values, "mg_per_l", "magnesium in mg/L, from the label")
        check_number("mg_per_l", mg, MAX_MG_PER_LITER)
        person.store.define_water(person.id, name, mg_per_liter=mg)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-water", write=write
    )


@router.post("/shedding")
async def log_shedding(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        text = _one(values, "count")
        if not _whole(text):
            shown = repr(text) if text else "missing"
            raise InputError("count", f"{shown}; accepted: a whole number of hairs, e.g. 120")
        count = shedding_count(int(text))
        method = shedding_method(_one(values, "method") or "daily")
        person.store.add_shedding(person.id, day, count, method)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-shedding", write=write
    )


@router.post("/symptom")
async def log_symptom(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        code = _one(values, "symptom")
        if not code:
            raise InputError("symptom", "choose a symptom from the list")
        entry = kb.symptoms.resolve(code, "symptom")
        person.store.add_symptom(person.id, day, entry.code)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-symptom", write=write
    )


@router.post("/lab")
async def log_lab(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        written = _one(values, "lab_value")
        if not written:
            raise InputError("lab_value", "missing; accepted: the result as a number, e.g. 0.82")
        comparator, value = parse_lab_value(written, "lab_value")
        test = lab_test(_one(values, "lab_test") or "serum", "lab_test")
        unit, test = check_lab(value, _one(values, "lab_unit"), test, kb, field="lab_value")
        text = _one(values, "lab_range")
        low, high = parse_range(text) if text else (None, None)
        person.store.add_lab(
            person.id,
            day,
            value,
            unit,
            test=test,
            range_low=low,
            range_high=high,
            comparator=comparator,
        )

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-lab", write=write
    )


@router.post("/profile")
async def set_profile(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    from magwise.store._profile import updated_profile

    def write(values: Form, day: dt.date) -> None:
        sex = _one(values, "sex")
        if sex not in ("female", "male"):
            raise InputError("sex", "choose female or male (the reference values differ)")
        age = _number(values, "age", "your age in years, e.g. 34")
        changes = {"sex": sex, "age_years": age}
        version = updated_profile(person.store.profile(person.id, day), day, changes, kb)
        person.store.set_profile(person.id, version)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-intake", write=write
    )


@router.post("/delete")
async def delete_entry(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        text = _one(values, "entry")
        if not _whole(text) or person.store.delete_entry(person.id, int(text)) is None:
            raise InputError("entry", f"no entry {text!r} in your log (deleted already?)")

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )


@router.post("/undo")
async def undo(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep, person: PersonDep
) -> Response:
    def write(values: Form, day: dt.date) -> None:
        person.store.undo(person.id)

    return await _handle(
        request, t=t, kb=kb, foods=foods, person=person, anchor="log-entries", write=write
    )
