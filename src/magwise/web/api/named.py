"""``/api/v1/me``: what a person names once — products and waters — and the dose plans.

Scoped to the person like the rest of the log: another person's product or
water answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from fastapi import APIRouter

from magwise.bounds import MAX_ELEMENTAL_MG, MAX_MG_PER_LITER
from magwise.errors import InputError
from magwise.store._inputs import check_number, plan_dose, supplement_form
from magwise.web.api.log import CONFLICT, LogRoute, NameInPath, conflict, day_of
from magwise.web.api.log_models import (
    PlanIn,
    PlanOut,
    PlanStopIn,
    ProductIn,
    ProductOut,
    ProductSaved,
    WaterNameIn,
    WaterOut,
    WaterSaved,
)
from magwise.web.deps import KnowledgeDep
from magwise.web.errors import NOT_FOUND, PERSONAL, RESPONSES, located, not_found
from magwise.web.people import PersonDep

router = APIRouter(prefix="/me", tags=["log"], route_class=LogRoute, responses=PERSONAL)


# -- products and waters ----------------------------------------------------------------


@router.get("/products", response_model=list[ProductOut], summary="List products")
def list_products(person: PersonDep) -> list[ProductOut]:
    """Supplement products defined once and logged by name."""
    return [ProductOut.of(p) for p in person.store.products(person.id)]


@router.put(
    "/products/{name}",
    response_model=ProductSaved,
    responses=RESPONSES,
    summary="Define a product",
)
def put_product(
    name: NameInPath, body: ProductIn, person: PersonDep, kb: KnowledgeDep
) -> ProductSaved:
    """Define (or redefine) a product and its elemental magnesium per unit, as
    ``magwise product add``: ``elemental_mg`` from the label, or ``compound_mg``
    converted with ``form``.
    """
    with located("body"):
        form_id = supplement_form(body.form, kb) if body.form else None
        if (body.elemental_mg is None) == (body.compound_mg is None):
            raise InputError(
                "elemental_mg",
                "give elemental_mg (from the label, preferred) or compound_mg with form",
            )
        if body.compound_mg is not None:
            if form_id is None:
                raise InputError("form", "compound_mg needs a form to convert it")
            check_number("compound_mg", body.compound_mg, MAX_ELEMENTAL_MG)
            mg = round(body.compound_mg * kb.forms[form_id].elemental_fraction, 1)
        else:
            assert body.elemental_mg is not None
            mg = body.elemental_mg
        check_number("elemental_mg", mg, MAX_ELEMENTAL_MG)
    with located("path"):
        clean = _name(name)
    replaced = person.store.define_product(person.id, clean, elemental_mg_per_unit=mg, form=form_id)
    return ProductSaved(name=clean, elemental_mg_per_unit=mg, form=form_id, replaced=replaced)


@router.delete(
    "/products/{name}",
    response_model=ProductOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Delete a product",
)
def delete_product(name: NameInPath, person: PersonDep) -> ProductOut:
    """Forget a product (entries logged with it keep their mg); 404 when unknown."""
    product = person.store.delete_product(person.id, name)
    if product is None:
        raise not_found(["path", "name"], f"no product named {name!r}")
    return ProductOut.of(product)


@router.get("/waters", response_model=list[WaterOut], summary="List named waters")
def list_waters(person: PersonDep) -> list[WaterOut]:
    return [WaterOut(name=n, mg_per_liter=mg) for n, mg in person.store.waters(person.id).items()]


@router.put(
    "/waters/{name}",
    response_model=WaterSaved,
    responses=RESPONSES,
    summary="Name a water",
)
def put_water(name: NameInPath, body: WaterNameIn, person: PersonDep) -> WaterSaved:
    """Name a water and its magnesium per litre, as ``magwise water add``."""
    with located("body"):
        check_number("mg_per_liter", body.mg_per_liter, MAX_MG_PER_LITER)
    with located("path"):
        clean = _name(name)
    replaced = person.store.define_water(person.id, clean, mg_per_liter=body.mg_per_liter)
    return WaterSaved(name=clean, mg_per_liter=body.mg_per_liter, replaced=replaced)


@router.delete(
    "/waters/{name}",
    response_model=WaterOut,
    responses={**RESPONSES, **NOT_FOUND},
    summary="Delete a named water",
)
def delete_water(name: NameInPath, person: PersonDep) -> WaterOut:
    """Forget a named water (entries logged with it keep their mg/L); 404 when unknown."""
    water = person.store.delete_water(person.id, name)
    if water is None:
        raise not_found(["path", "name"], f"no water named {name!r}")
    return WaterOut(name=water[0], mg_per_liter=water[1])


def _name(name: str) -> str:
    clean = name.strip()
    if not clean:
        raise InputError("name", "a name is needed (not only spaces)")
    return clean


# -- dose plans ---------------------------------------------------------------------------


@router.get("/plans", response_model=list[PlanOut], summary="List dose plans")
def list_plans(person: PersonDep) -> list[PlanOut]:
    """Every dose plan, by the day it started."""
    return [PlanOut.of(plan) for plan in person.store.plans(person.id)]


@router.post(
    "/plans",
    response_model=PlanOut,
    status_code=201,
    responses=RESPONSES,
    summary="Start a dose plan",
)
def start_plan(body: PlanIn, person: PersonDep, kb: KnowledgeDep) -> PlanOut:
    """Start taking ``mg_per_day`` of elemental magnesium from ``date``; a plan still
    running stops that day (as ``magwise plan start``).
    """
    with located("body"):
        day = day_of(body.date)
        plan_dose("mg_per_day", body.mg_per_day)
        form_id = supplement_form(body.form, kb) if body.form else kb.rules.plan_form.form
    plan_id = person.store.start_plan(person.id, day, body.mg_per_day, form_id)
    plan = next(p for p in person.store.plans(person.id) if p.id == plan_id)
    return PlanOut.of(plan)


@router.post(
    "/plans/stop",
    response_model=PlanOut,
    responses={**RESPONSES, **CONFLICT},
    summary="Stop the dose plan",
)
def stop_plan(person: PersonDep, body: PlanStopIn | None = None) -> PlanOut:
    """Stop the running plan on ``date`` (default today); 409 when no plan runs.

    The body is optional: without one, the plan stops today.
    """
    with located("body"):
        day = day_of(body.date if body is not None else None)
        stopped = person.store.stop_plan(person.id, day)
    if stopped is None:
        raise conflict(["me", "plans"], "no plan is running")
    return PlanOut.of(stopped)
