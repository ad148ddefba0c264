"""Fragments the questionnaire fetches with HTMX: food search results and food rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from magwise.errors import InputError
from magwise.web.deps import FoodsDep, MessagesDep
from magwise.web.templating import render

router = APIRouter(prefix="/partials")


@router.get("/foods", response_class=HTMLResponse)
async def food_results(
    request: Request,
    foods: FoodsDep,
    t: MessagesDep,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Foods matching what has been typed so far (nothing for blank text)."""
    hits = foods.search(q, 8, t.lang) if q.strip() else []
    return render(request, "_food_results.html", t, hits=hits, query=q.strip())


@router.get("/food-row", response_class=HTMLResponse)
async def food_row(
    request: Request,
    foods: FoodsDep,
    t: MessagesDep,
    ndb: Annotated[str, Query(max_length=20)],
) -> Response:
    """A picked food as a row of the form: amount and unit (grams or its portions)."""
    try:
        food = foods.get(ndb)
    except InputError as exc:
        return Response(exc.message, status_code=404, media_type="text/plain")
    return render(request, "_food_row.html", t, food=food, amount="", unit="", picked=True)


@router.get("/nothing")
async def nothing() -> Response:
    """An empty answer: what a removed row is replaced with."""
    return Response("", media_type="text/html")
