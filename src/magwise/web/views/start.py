"""``/``: the questionnaire; ``POST /assessment``: its answers assessed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.knowledge import Knowledge
from magwise.web import questionnaire
from magwise.web.deps import FoodsDep, KnowledgeDep, MessagesDep, PageKnowledgeDep
from magwise.web.errors import located
from magwise.web.i18n import Messages
from magwise.web.people import PersonDep
from magwise.web.templating import render
from magwise.web.views import assessment

router = APIRouter()
SUPPLEMENT_ROWS = 2


def _food_rows(values: dict[str, list[str]], foods: FoodIndex) -> list[dict[str, Any]]:
    rows = []
    for ndb, amount, unit in zip(
        values.get("food", []),
        values.get("food_amount", []),
        values.get("food_unit", []),
        strict=False,
    ):
        try:
            food = foods.get(ndb)
        except InputError:
            continue
        rows.append({"food": food, "amount": amount, "unit": unit})
    return rows


def _form(
    request: Request,
    t: Messages,
    kb: Knowledge,
    foods: FoodIndex,
    *,
    values: dict[str, list[str]] | None = None,
    error: InputError | None = None,
) -> HTMLResponse:
    values = values or {}

    def value(name: str, index: int = 0, default: str = "") -> str:
        items: Sequence[str] = values.get(name, [])
        return items[index] if index < len(items) else default

    def chosen(name: str, code: str) -> bool:
        return code in values.get(name, [])

    return render(
        request,
        "start.html",
        t,
        status_code=200 if error is None else 422,
        kb=kb,
        forms=list(kb.forms.values()),
        value=value,
        chosen=chosen,
        food_rows=_food_rows(values, foods),
        supplement_rows=range(SUPPLEMENT_ROWS),
        error=None if error is None else questionnaire.shown(error, t, values, kb),
        error_anchor=None if error is None else questionnaire.anchor(error.field),
        default_standard=kb.default_standard,
    )


@router.get("/", response_class=HTMLResponse)
async def start(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep
) -> HTMLResponse:
    return _form(request, t, kb, foods)


@router.post("/questionnaire", response_class=HTMLResponse)
async def change_answers(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep
) -> HTMLResponse:
    """The questionnaire again with the answers of a case file (the assessment page's
    "Change the answers"); a case file it cannot read gives the empty questionnaire."""
    import json

    async with request.form() as form:
        text = str(form.get("case", ""))
    try:
        case = json.loads(text)
    except ValueError:
        case = None
    return _form(request, t, kb, foods, values=questionnaire.form_from_case(case))


@router.post("/assessment", response_class=HTMLResponse)
async def assess_answers(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep
) -> HTMLResponse:
    async with request.form() as form:
        values = {key: [str(v) for v in form.getlist(key)] for key in form}
    try:
        case = questionnaire.case_from_form(values, dt.date.today())
        result = assessment.run(case, kb, foods)
    except InputError as error:
        return _form(request, t, kb, foods, values=values, error=error)
    return assessment.show(request, t, kb, result, case)


@router.post("/assessment/keep")
async def keep_profile(
    request: Request, t: MessagesDep, kb: KnowledgeDep, person: PersonDep
) -> RedirectResponse:
    """The questionnaire's answers (its case file) kept as the person's profile from today.

    The case file is the one the assessment page shows; the log then starts on
    the Today page.
    """
    from magwise.case import parse_case
    from magwise.store._profile import changes_from_case, updated_profile

    async with request.form() as form:
        text = str(form.get("case", ""))
    today = dt.date.today()
    with located("body"):
        case = parse_case(text)
        current = person.store.profile(person.id, today)
        version = updated_profile(current, today, changes_from_case(case, today, kb), kb)
    person.store.set_profile(person.id, version)
    return RedirectResponse(f"/today?lang={t.lang}&kept=1", status_code=303)


@router.get("/assessment")
@router.get("/questionnaire")
async def assessment_without_answers(request: Request) -> RedirectResponse:
    """Reloading the result page (or the refilled questionnaire, or switching its
    language) without answers leads back to the questionnaire."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/{query}", status_code=303)
