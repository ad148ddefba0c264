"""Errors as HTTP responses: every bad input is a 422 that names its field path.

The body has FastAPI's own validation-error shape (``{"detail": [{"loc", "msg",
"type"}]}``) plus ``field``, the path as magwise's messages write it
(``days[2].foods[0].grams``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from magwise.case import field_path
from magwise.errors import InputError

_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class ErrorDetail(BaseModel):
    loc: list[str | int]
    field: str
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every 4xx answer of the API."""

    detail: list[ErrorDetail]


class ApiError(Exception):
    """An error the API answers with ``status`` and one detail."""

    def __init__(self, status: int, loc: list[str | int], msg: str, kind: str) -> None:
        super().__init__(msg)
        self.status = status
        self.detail = ErrorDetail(loc=loc, field=field_path(tuple(loc[1:])), msg=msg, type=kind)


def split_path(field: str) -> list[str | int]:
    """'days[2].foods[0].grams' -> ['days', 2, 'foods', 0, 'grams']."""
    if field in ("", "case"):
        return []
    return [name if name else int(index) for name, index in _PART.findall(field)]


@contextmanager
def located(where: str, names: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn an ``InputError`` raised inside into a 422 located in ``where``.

    ``where`` is "body", "query" or "path"; ``names`` maps a library field name
    to the parameter's name ("query" -> "q").
    """
    try:
        yield
    except InputError as exc:
        parts = split_path(exc.field)
        if parts and names and isinstance(parts[0], str):
            parts[0] = names.get(parts[0], parts[0])
        raise ApiError(422, [where, *parts], exc.message, "input_error") from None


def not_found(loc: Sequence[str | int], msg: str) -> ApiError:
    return ApiError(404, list(loc), msg, "not_found")


def _body(details: list[ErrorDetail]) -> dict[str, Any]:
    return ErrorBody(detail=details).model_dump()


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return JSONResponse(_body([exc.detail]), status_code=exc.status)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = []
    for error in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in error["loc"]]
        msg = str(error["msg"])
        details.append(
            ErrorDetail(loc=loc, field=field_path(tuple(loc[1:])), msg=msg, type=error["type"])
        )
    return JSONResponse(_body(details), status_code=422)


async def _input_error(request: Request, exc: Exception) -> JSONResponse:
    """A safety net: bad input that no handler located is still a 422, never a 500."""
    assert isinstance(exc, InputError)
    loc = split_path(exc.field)
    detail = ErrorDetail(loc=loc, field=exc.field, msg=exc.message, type="input_error")
    return JSONResponse(_body([detail]), status_code=422)


def install(app: FastAPI) -> None:
    """Answer API errors and FastAPI's own validation errors in one shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)


#: The error responses an endpoint declares in its OpenAPI description.
RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Bad input: the field path and what is accepted"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such thing"},
}
#: What every endpoint of a person's data may answer in server mode (never in local mode).
PERSONAL: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody, "description": "Server mode: not signed in, or the session ended"},
    403: {
        "model": ErrorBody,
        "description": "Server mode: consent not given yet, or a missing or wrong CSRF token",
    },
}
