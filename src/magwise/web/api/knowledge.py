"""Reference values, codes, schemas and the health check."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from magwise.bounds import MAX_AGE_YEARS
from magwise.reference import personal_reference
from magwise.schemas import schema
from magwise.web.api.models import Health, PersonalReference
from magwise.web.deps import KnowledgeDep
from magwise.web.errors import RESPONSES, located

router = APIRouter(tags=["knowledge"])
health = APIRouter(tags=["health"])


@health.get("/health", response_model=Health, summary="Health check")
async def health_check() -> Health:
    """A trivial answer: the server is up."""
    return Health()


@router.get(
    "/reference", response_model=PersonalReference, responses=RESPONSES, summary="Reference"
)
async def reference(
    *,
    kb: KnowledgeDep,
    sex: Literal["female", "male"],
    age: Annotated[
        float, Query(ge=0, le=MAX_AGE_YEARS, description="Age in years; 0.5 is 6 months.")
    ],
    pregnant: bool = False,
    lactating: bool = False,
    standard: Annotated[str | None, Query(description="dge (default), efsa or nih.")] = None,
) -> PersonalReference:
    """A person's magnesium target and supplemental upper limit, with sources."""
    with located("query"):
        ref = personal_reference(
            sex=sex,
            age_years=age,
            pregnant=pregnant,
            lactating=lactating,
            standard=standard,
            kb=kb,
        )
    return PersonalReference(
        sex=sex, age_years=age, pregnant=pregnant, lactating=lactating, **ref.as_dict()
    )


@router.get(
    "/codes",
    response_model=dict[str, list[dict[str, Any]]],
    responses=RESPONSES,
    summary="Codes",
)
async def codes(
    kb: KnowledgeDep,
    kind: Annotated[
        str | None, Query(max_length=50, description="conditions, medications, ...")
    ] = None,
) -> dict[str, list[dict[str, Any]]]:
    """Every code a case file may use, by kind (as ``magwise codes --json``)."""
    from magwise.knowledge.codes import rows

    with located("query"):
        return rows(kb, kind)


@router.get("/schemas/{which}", response_model=dict[str, Any], summary="JSON Schema")
async def json_schema(which: Literal["case", "result"]) -> dict[str, Any]:
    """The JSON Schema of the case file or of the result."""
    return schema(which)
