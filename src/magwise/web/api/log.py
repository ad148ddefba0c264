"""``/api/v1/me``: a person's log — profile, entries, products, waters, plans, today.

Every endpoint learns whose data it touches from ``PersonDep`` alone, and every
store call is scoped to that person: another person's entry, product, water or
plan answers 404 exactly like one that does not exist. Input is checked by the
functions ``magwise log`` uses, so the API and the command line accept, refuse
and store the same things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, ClassVar

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import Receive, Scope, Send

from magwise.bounds import (
    MAX_COUNT,
    MAX_DURATION_WEEKS,
    MAX_ELEMENTAL_MG,
    MAX_GRAMS,
    MAX_LITERS,
    MAX_MG_PER_LITER,
    MAX_WEEKS_AGO,
)
from magwise.errors import InputError
from magwise.record import HairTrigger, SymptomEntry
from magwise.store._inputs import (
    check_lab,
    check_number,
    check_range,
    check_since,
    lab_comparator,
    shedding_count,
    shedding_method,
    supplement_form,
)
from magwise.store._profile import updated_profile
from magwise.web.api.log_models import (
    EntryKind,
    EntryOut,
    FoodEntryOut,
    FoodIn,
    IntakeToday,
    IsoDate,
    LabEntryOut,
    LabIn,
    NoteEntryOut,
    NoteIn,
    ProfileIn,
    ProfileOut,
    ProfileSaved,
    ProfileVersionOut,
    SheddingEntryOut,
    SheddingIn,
    SupplementEntryOut,
    SupplementIn,
    SymptomEntryOut,
    SymptomIn,
    Today,
    WaterEntryOut,
    WaterIn,
    entry_out,
)
from magwise.web.deps import FoodsDep, KnowledgeDep
from magwise.web.errors import (
    NOT_FOUND,
    PERSONAL,
    RESPONSES,
    ApiError,
    ErrorBody,
    located,
    not_found,
)
from magwise.web.people import Person, PersonDep


class LogRoute(APIRoute):
    """A route of the log that answers like its neighbours on the same path.

    ``GET /entries/food`` is a 405 (``/entries/{entry_id}`` does not take the
    literal paths of its neighbours), a 405 lists every method of its path in
    ``Allow``, and a body that is not UTF-8 is a 422 of the API's shape.
    """

    _LITERALS = frozenset({"food", "supplement", "water", "shedding", "symptom", "lab"})
    _LITERALS |= {"note", "undo"}

    _METHODS: ClassVar[dict[str, set[str]]] = {}  # path -> the methods of its routes

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self._METHODS.setdefault(self.path, set()).update(self.methods or ())

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if child.get("path_params", {}).get("entry_id") in self._LITERALS:
            return Match.NONE, {}
        return match, child

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            allowed = ", ".join(sorted(self._METHODS[self.path]))
            raise HTTPException(405, headers={"Allow": allowed})
        await super().handle(scope, receive, send)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                if exc.status_code != 400:
                    raise
                raise ApiError(
                    422, ["body"], "expected UTF-8 encoded JSON text", "json_invalid"
                ) from None

        return route


router = APIRouter(prefix="/me", tags=["log"], route_class=LogRoute, responses=PERSONAL)

CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "Not possible in the log's present state"},
}
MAX_ID = 2**31 - 1
EntryId = Annotated[int, Path(ge=1, le=MAX_ID, description="The entry's id.")]
NameInPath = Annotated[
    str, Path(min_length=1, max_length=200, pattern=r"^[^\x00]*$", description="The name.")
]


def conflict(loc: list[str | int], msg: str) -> ApiError:
    return ApiError(409, loc, msg, "conflict")


def day_of(value: dt.date | None, field: str = "date") -> dt.date:
    """The day an entry is for: default today, never in the future (as the CLI)."""
    return dt.date.today() if value is None else _not_future(value, field)


def _not_future(value: dt.date, field: str) -> dt.date:
    if value > dt.date.today():
        raise InputError(field, f"{value} is in the future; accepted: today or an earlier date")
    return value


# -- the profile -------------------------------------------------------------------


@router.get(
    "/profile",
    response_model=ProfileOut,
    responses=NOT_FOUND,
    summary="Show the profile",
)
def get_profile(person: PersonDep) -> ProfileOut:
    """The profile in force now and every version, oldest first (404 before the first)."""
    versions = person.store.profiles(person.id)
    if not versions:
        raise not_found(["me", "profile"], "no profile yet; PUT /api/v1/me/profile sets it")
    return ProfileOut(
        current=ProfileVersionOut.of(versions[-1]),
        versions=[ProfileVersionOut.of(v) for v in versions],
    )


_REQUIRED = {"sex": "female, male", "age_years": "0 to 130", "pregnant": "true, false"}
_REQUIRED["lactating"] = "true, false"


@router.put(
    "/profile",
    response_model=ProfileSaved,
    responses=RESPONSES,
    summary="Change the profile from a day",
)
def put_profile(body: ProfileIn, person: PersonDep, kb: KnowledgeDep) -> ProfileSaved:
    """A new profile version from ``date`` (default today), as ``magwise profile set``.

    Only the fields given change; ``null`` empties a list or clears a hair field.
    A version for a day that has one replaces it; a change that says nothing
    new stores nothing (``stored: false``).
    """
    with located("body", {"age": "age_years"}):
        day = day_of(body.date)
        given = body.model_fields_set - {"date"}
        changes: dict[str, Any] = {}
        for name in sorted(given):
            value = getattr(body, name)
            if value is None and name in _REQUIRED:
                raise InputError(name, f"cannot be null; accepted: {_REQUIRED[name]}")
            changes[name] = value
        books = {"conditions": kb.conditions, "medications": kb.medications}
        books["scalp"] = kb.scalp_signs
        for name, book in books.items():
            if name in changes:
                items = changes[name] or []
                changes[name] = [
                    book.resolve(item, f"{name}[{i}]").code for i, item in enumerate(items)
                ]
        if changes.get("hair_pattern") is not None:
            changes["hair_pattern"] = kb.patterns.resolve(
                changes["hair_pattern"], "hair_pattern"
            ).code
        if changes.get("hair_loss_since") is not None:
            check_since("hair_loss_since", changes["hair_loss_since"], MAX_DURATION_WEEKS)
        if "triggers" in changes:
            triggers = []
            for i, trigger in enumerate(changes["triggers"] or []):
                code = kb.triggers.resolve(trigger.kind, f"triggers[{i}].kind").code
                on = check_since(f"triggers[{i}].on", trigger.on, MAX_WEEKS_AGO)
                triggers.append(HairTrigger(code, on))
            changes["triggers"] = tuple(triggers)
        store = person.store
        current = store.profile(person.id, day)
        if current is None:
            for name in ("sex", "age_years"):
                if name not in changes:
                    raise InputError(name, "a first profile needs sex and age_years")
        version = updated_profile(current, day, changes, kb)
    stored = store.set_profile(person.id, version)
    in_force = store.profile(person.id, day)
    assert in_force is not None
    return ProfileSaved(stored=stored, version=ProfileVersionOut.of(in_force))


# -- entries -------------------------------------------------------------------------


@router.post(
    "/entries/food",
    response_model=FoodEntryOut,
    summary="Log a food",
    status_code=201,
    responses=RESPONSES,
)
def add_food(body: FoodIn, person: PersonDep, foods: FoodsDep) -> Any:
    """A food by SR28 NDB number (or ``own:N``, an own food): ``grams``, or a household
    ``portion`` and ``count``; optionally its ``meal``."""
    from magwise.store._food_choice import food_entry, get_food

    with located("body"):
        day = day_of(body.date)
        food = get_food(person.store, person.id, foods, body.ndb)
        measures = ", ".join(repr(p.label) for p in food.portions) or "none in SR28"
        if body.grams is None and body.portion is None:
            raise InputError(
                "grams", f"missing: give grams, or a portion of this food (one of: {measures})"
            )
        if body.grams is not None and body.portion is not None:
            raise InputError(
                "grams", f"give grams or a portion of this food (one of: {measures}), not both"
            )
        grams = portion = None
        count = 1.0
        if body.grams is not None:
            if "count" in body.model_fields_set and body.count != 1:
                raise InputError("count", "a count goes with a portion; give grams alone")
            grams = round(check_number("grams", body.grams, MAX_GRAMS, positive=True), 3)
        else:
            assert body.portion is not None
            found = food.portion(body.portion)
            if found is None:
                raise InputError(
                    "portion",
                    f"{body.portion!r} is not a measure of {food.description}; "
                    f"accepted: {measures}",
                )
            portion = found.label
            count = check_number("count", body.count, MAX_COUNT, positive=True)
    entry = food_entry(food, day, grams=grams, portion=portion, count=count, meal=body.meal)
    (entry_id,) = person.store.add(person.id, entry)
    return _stored(person, entry_id)


@router.post(
    "/entries/supplement",
    response_model=SupplementEntryOut,
    summary="Log a supplement",
    status_code=201,
    responses=RESPONSES,
)
def add_supplement(body: SupplementIn, person: PersonDep, kb: KnowledgeDep) -> Any:
    """``units`` of a product defined under /products (by name), or of ``elemental_mg``
    per unit with a ``form`` or a ``product`` name.
    """
    store = person.store
    with located("body"):
        day = day_of(body.date)
        check_number("units", body.units, MAX_COUNT, positive=True)
        form_id = supplement_form(body.form, kb) if body.form else None
        if body.elemental_mg is None:
            if body.product is None:
                raise InputError(
                    "product",
                    "give a product defined under /api/v1/me/products, or elemental_mg "
                    "with a form or a product name",
                )
            found = store.product(person.id, body.product)
            if found is None:
                names = ", ".join(p.name for p in store.products(person.id)) or "none yet"
                raise InputError(
                    "product",
                    f"no product named {body.product!r} (yours: {names}); define it with "
                    "PUT /api/v1/me/products/{name}, or give elemental_mg",
                )
            name, mg, form_id = found.name, found.elemental_mg_per_unit, found.form
        else:
            mg = check_number("elemental_mg", body.elemental_mg, MAX_ELEMENTAL_MG)
            if body.product is not None:
                name = body.product.strip()
            elif form_id is not None:
                name = kb.forms[form_id].name
            else:
                raise InputError("product", "give a product name or a form with elemental_mg")
            if not name:
                raise InputError("product", "a product needs a name")
    entry_id = store.add_supplement(
        person.id, day, name, elemental_mg_per_unit=mg, units=body.units, form=form_id
    )
    return _stored(person, entry_id)


@router.post(
    "/entries/water",
    response_model=WaterEntryOut,
    summary="Log water",
    status_code=201,
    responses=RESPONSES,
)
def add_water(body: WaterIn, person: PersonDep) -> Any:
    """``liters`` with ``mg_per_liter`` from the label, or a ``water`` named under /waters."""
    store = person.store
    with located("body"):
        day = day_of(body.date)
        liters = check_number("liters", round(body.liters, 6), MAX_LITERS, positive=True)
        if (body.mg_per_liter is None) == (body.water is None):
            both = body.mg_per_liter is not None
            raise InputError(
                "mg_per_liter",
                f"{'' if both else 'missing: '}give mg_per_liter (from the label) or water "
                f"(a water named under /api/v1/me/waters){', not both' if both else ''}",
            )
        name = None
        mg = body.mg_per_liter
        if body.water is not None:
            found = store.water(person.id, body.water)
            if found is None:
                names = ", ".join(store.waters(person.id)) or "none yet"
                raise InputError(
                    "water",
                    f"no water named {body.water!r} (yours: {names}); name it with "
                    "PUT /api/v1/me/waters/{name}",
                )
            name, mg = found
        assert mg is not None
        check_number("mg_per_liter", mg, MAX_MG_PER_LITER)
    entry_id = store.add_water(person.id, day, liters=liters, mg_per_liter=mg, name=name)
    return _stored(person, entry_id)


@router.post(
    "/entries/shedding",
    response_model=SheddingEntryOut,
    summary="Log a hair count",
    status_code=201,
    responses=RESPONSES,
)
def add_shedding(body: SheddingIn, person: PersonDep) -> Any:
    """A hair shedding ``count`` and its ``method``: daily, comb (60-second comb test) or wash."""
    with located("body"):
        day = day_of(body.date)
        count = shedding_count(body.count)
        method = shedding_method(body.method)
    return _stored(person, person.store.add_shedding(person.id, day, count, method))


@router.post(
    "/entries/symptom",
    response_model=SymptomEntryOut,
    summary="Log a symptom",
    status_code=201,
    responses=RESPONSES,
)
def add_symptom(body: SymptomIn, person: PersonDep, kb: KnowledgeDep) -> Any:
    """A symptom by code or alias (``GET /api/v1/codes?kind=symptoms``)."""
    with located("body"):
        day = day_of(body.date)
        code = kb.symptoms.resolve(body.code, "code").code
    return _stored(person, person.store.add(person.id, SymptomEntry(0, day, code))[0])


@router.post(
    "/entries/lab",
    response_model=LabEntryOut,
    summary="Log a blood result",
    status_code=201,
    responses=RESPONSES,
)
def add_lab(body: LabIn, person: PersonDep, kb: KnowledgeDep) -> Any:
    """A lab result: magnesium, eGFR, creatinine, ferritin, TSH, vitamin D or zinc,
    ``value`` and ``unit`` with the ``comparator`` the lab wrote ("<" for "< 0.5"), and
    the lab's own range if given (either end alone, as "< 4.2" or "> 30")."""
    with located("body"):
        day = day_of(body.date)
        unit, test = check_lab(body.value, body.unit, body.test, kb)
        comparator = lab_comparator(body.comparator)
        low, high = check_range(body.range_low, body.range_high)
    entry_id = person.store.add_lab(
        person.id,
        day,
        body.value,
        unit,
        test=test,
        range_low=low,
        range_high=high,
        comparator=comparator,
    )
    return _stored(person, entry_id)


@router.post(
    "/entries/note",
    response_model=NoteEntryOut,
    summary="Log a note",
    status_code=201,
    responses=RESPONSES,
)
def add_note(body: NoteIn, person: PersonDep) -> Any:
    """A note: anything a doctor should read with the record."""
    with located("body"):
        day = day_of(body.date)
        text = body.text.strip()
        if not text:
            raise InputError("text", "the note is empty")
    return _stored(person, person.store.add_note(person.id, day, text))


def _stored(person: Person, entry_id: int) -> Any:
    entry = person.store.entry(person.id, entry_id)
    assert entry is not None
    return entry_out(entry)


@router.post(
    "/entries/undo",
    response_model=EntryOut,
    responses=NOT_FOUND,
    summary="Remove the entry written last",
)
def undo(person: PersonDep) -> Any:
    """Delete the entry written last and answer it (404 when the log has none)."""
    entry = person.store.undo(person.id)
    if entry is None:
        raise not_found(["me", "entries"], "nothing to undo: the log has no entries")
    return entry_out(entry)


@router.get(
    "/entries",
    response_model=list[EntryOut],
    responses=RESPONSES,
    summary="List entries",
)
def list_entries(
    person: PersonDep,
    start: Annotated[IsoDate | None, Query(alias="from", description="First day.")] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="Last day.")] = None,
    kind: Annotated[list[EntryKind] | None, Query(description="Only these kinds.")] = None,
) -> Any:
    """Entries from ``from`` to ``to`` (inclusive), by day, then in the order written."""
    if start is not None and end is not None and start > end:
        raise ApiError(422, ["query", "from"], f"{start} is after to {end}", "input_error")
    entries = person.store.entries(person.id, start, end, kind or ())
    return [entry_out(entry) for entry in entries]


@router.get(
    "/entries/{entry_id}",
    response_model=EntryOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Show an entry",
)
def get_entry(person: PersonDep, entry_id: EntryId) -> Any:
    entry = person.store.entry(person.id, entry_id)
    if entry is None:
        raise _no_entry(entry_id)
    return entry_out(entry)


@router.delete(
    "/entries/{entry_id}",
    response_model=EntryOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Delete an entry",
)
def delete_entry(person: PersonDep, entry_id: EntryId) -> Any:
    """Delete an entry and answer what it said."""
    entry = person.store.delete_entry(person.id, entry_id)
    if entry is None:
        raise _no_entry(entry_id)
    return entry_out(entry)


def _no_entry(entry_id: int) -> ApiError:
    return not_found(["path", "entry_id"], f"no entry with id {entry_id}")


# -- today ----------------------------------------------------------------------------------


@router.get("/today", response_model=Today, responses=RESPONSES, summary="A day's summary")
def today(
    person: PersonDep,
    kb: KnowledgeDep,
    foods: FoodsDep,
    day: Annotated[IsoDate | None, Query(description="The day (default today).")] = None,
) -> Today:
    """A day's entries, and its magnesium from food, water and supplements against the
    person's target and the supplemental upper limit (as ``magwise today``).
    """
    from magwise.advisor import assess
    from magwise.store._case import case_for

    on = day or dt.date.today()
    record = person.store.record(person.id, on, on)
    entries = person.store.entries(person.id, on, on)
    base: dict[str, Any] = {"date": on, "entries": [entry_out(e) for e in entries]}
    if not record.profiles:
        return Today(
            **base,
            profile_set=False,
            intake=None,
            standard=None,
            standard_name=None,
            target_mg=None,
            to_go_mg=None,
            supplement_ul_mg=None,
            supplement_above_ul=False,
            findings=[],
        )
    result = assess(case_for(record, on, on), knowledge=kb, foods=foods)
    ref = result.reference
    got = result.intake
    intake = IntakeToday(
        food_mg=got.food_mg if got else 0.0,
        water_mg=got.water_mg if got else 0.0,
        supplement_mg=got.supplement_mg if got else 0.0,
        total_mg=got.total_mg if got else 0.0,
    )
    to_go = None if ref.target_mg is None else max(ref.target_mg - intake.total_mg, 0.0)
    limit = ref.supplement_ul_mg
    return Today(
        **base,
        profile_set=True,
        intake=intake,
        standard=ref.standard,
        standard_name=ref.standard_name,
        target_mg=ref.target_mg,
        to_go_mg=None if to_go is None else round(to_go, 1),
        supplement_ul_mg=limit,
        supplement_above_ul=limit is not None and intake.supplement_mg > limit,
        findings=[f for f in result.findings if f.severity != "info"],
    )
