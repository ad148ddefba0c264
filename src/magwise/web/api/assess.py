"""``POST /api/v1/assess``: a case file in, the result out — the same bytes as the CLI."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from magwise.advisor import assess
from magwise.case import parse_case
from magwise.errors import InputError
from magwise.foods import FoodIndex
from magwise.knowledge import Knowledge
from magwise.result import Result
from magwise.web.deps import FoodsDep, KnowledgeDep
from magwise.web.errors import RESPONSES, located

router = APIRouter(tags=["assess"])

_BODY = {
    "requestBody": {
        "required": True,
        "description": "A case file (see GET /api/v1/schemas/case).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
    }
}


def result_json(result: Result) -> bytes:
    """The result as ``magwise assess --json`` prints it, newline included.

    This is ``model_dump_json(indent=2)`` serialised straight to UTF-8 bytes,
    without the detour through ``str``.
    """
    return Result.__pydantic_serializer__.to_json(result, indent=2) + b"\n"


@router.post(
    "/assess",
    response_model=Result,
    responses=RESPONSES,
    openapi_extra=_BODY,
    summary="Assess a case file",
)
async def assess_case(
    request: Request,
    kb: KnowledgeDep,
    foods: FoodsDep,
    standard: Annotated[
        str | None, Query(description="dge (default), efsa or nih; overrides the case's.")
    ] = None,
) -> Response:
    """The result of ``magwise.assess``: byte for byte what ``magwise assess --json`` prints.

    Bad input is a 422 whose detail names the field path (``days[2].foods[0].grams``)
    and what is accepted.
    """
    return await answer(request, kb, foods, standard)


async def answer(
    request: Request, kb: Knowledge, foods: FoodIndex, standard: str | None
) -> Response:
    """The answer to an assess request (also given by ``magwise.web.api.fast``)."""
    if standard is not None:
        with located("query"):
            kb.standard(standard)
    body = await request.body()
    with located("body"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("case", "a case file is UTF-8 encoded JSON text") from None
        result = assess(parse_case(text), standard=standard, knowledge=kb, foods=foods)
    return Response(result_json(result), media_type="application/json")
