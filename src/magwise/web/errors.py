"""Errors as HTTP responses: every bad input is a 422 that names its field path.

The body has FastAPI's own validation-error shape (``{"detail": [{"loc", "msg",
"type"}]}``) plus ``field``, the path as magwise's messages write it
(``days[2].foods[0].grams``). A page request (any path outside ``/api/``) gets
the same error as a page instead: the site's layout, the error in words and a
link back, with the same status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from magwise.case import field_path
from magwise.errors import InputError, StorageError

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
        self.detail = ErrorDetail(loc=loc, field=_field(loc), msg=msg, type=kind)


def _field(loc: Sequence[str | int]) -> str:
    """The field a location names: ``["body", "days", 2]`` -> "days[2]"; ``["body"]`` -> "body"."""
    if len(loc) == 1:
        return str(loc[0])  # the whole body, query or path: not a field of a case
    return field_path(tuple(loc[1:])) if loc else ""


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


def is_page(request: Request) -> bool:
    """Whether ``request`` asks for a page (everything but the JSON API)."""
    path = request.url.path
    if path.startswith("/calendar/"):
        return False  # a calendar feed: a calendar program reads the answer, not a person
    return not (path == "/api" or path.startswith("/api/") or path == "/openapi.json")


def _back(request: Request, lang: str) -> str:
    """Where the error page's link leads: the page the person came from, else the start."""
    home = f"/?lang={lang}"
    referer = request.headers.get("referer")
    if not referer:
        return home
    came_from = urlsplit(referer)
    if came_from.netloc != request.url.netloc or came_from.scheme not in ("http", "https"):
        return home
    back = came_from.path or "/"
    if came_from.query:
        back += f"?{came_from.query}"
    if back == str(request.url.path) and request.method == "GET":
        return home  # the page that failed: going back to it fails again
    return back


async def _page(request: Request, status: int, details: list[ErrorDetail]) -> Response:
    from magwise.web.deps import get_messages
    from magwise.web.templating import render

    t = await get_messages(request)
    key = f"err_page.title_{status}"
    return render(
        request,
        "error.html",
        t,
        status_code=status,
        title=t.get(key, t("err_page.title_other")),
        details=[_in_words(request, d, t) for d in details],
        back=_back(request, t.lang),
    )


def _in_words(request: Request, detail: ErrorDetail, t: Any) -> ErrorDetail:
    """A request's bad parameter as the error page shows it: the form's label (never an
    internal name such as ``body.date``), the message in the page's language. A case
    file's error keeps its path in the case (``days[3].water[0].liters``)."""
    if not detail.type.startswith(("missing", "int_", "float_", "string_", "date")):
        return detail  # not a parameter's input: the message says it all
    from magwise.web import form_errors

    shown = form_errors.shown(InputError(detail.field, detail.msg), request.url.path, t)
    return detail.model_copy(update={"field": shown.field, "msg": shown.message})


async def _answer(request: Request, status: int, details: list[ErrorDetail]) -> Response:
    if is_page(request):
        return await _page(request, status, details)
    return JSONResponse(_body(details), status_code=status)


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return await _answer(request, exc.status, [exc.detail])


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    details = []
    for error in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in error["loc"]]
        msg = str(error["msg"])
        if loc == ["body"] and error["type"] == "missing":
            msg = "required: send a JSON body (application/json)"
        details.append(ErrorDetail(loc=loc, field=_field(loc), msg=msg, type=error["type"]))
    return await _answer(request, 422, details)


async def _input_error(request: Request, exc: Exception) -> Response:
    """A safety net: bad input that no handler located is still a 422, never a 500."""
    assert isinstance(exc, InputError)
    loc = split_path(exc.field)
    detail = ErrorDetail(loc=loc, field=exc.field, msg=exc.message, type="input_error")
    return await _answer(request, 422, [detail])


async def _http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (no such page, method not allowed): a page for a page request."""
    assert isinstance(exc, HTTPException)
    if not is_page(request) or exc.status_code < 400:
        return await http_exception_handler(request, exc)
    detail = ErrorDetail(loc=[], field="", msg=str(exc.detail), type="http_error")
    page = await _page(request, exc.status_code, [detail])
    page.headers.update(exc.headers or {})
    return page


#: How long a client is asked to wait before it tries again after a 503.
RETRY_AFTER_SECONDS = 30


async def _storage_error(request: Request, exc: Exception) -> Response:
    """A fault of the disk or the database: 507 when the disk is full, else 503 with
    ``Retry-After``; nothing was written. A page tells it in the person's language."""
    from magwise.store._faults import storage_error

    fault = exc if isinstance(exc, StorageError) else storage_error(exc, "the database")
    if fault is None:
        raise exc  # not a storage fault: the server's own error (500), logged
    status = 507 if fault.kind == "disk_full" else 503
    headers = {} if status == 507 else {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if is_page(request):
        from magwise.web.deps import get_messages

        t = await get_messages(request)
        msg = t(f"storage.{fault.kind}")
        detail = ErrorDetail(loc=[], field="", msg=msg, type=f"storage_{fault.kind}")
        page = await _page(request, status, [detail])
        page.headers.update(headers)
        return page
    detail = ErrorDetail(
        loc=["database"], field="database", msg=fault.message, type=f"storage_{fault.kind}"
    )
    return JSONResponse(_body([detail]), status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Answer API errors and FastAPI's own validation errors in one shape."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StorageError, _storage_error)
    from sqlalchemy.exc import DBAPIError

    # a fault met outside the store's transactions (sessions, accounts): the same answer
    app.add_exception_handler(DBAPIError, _storage_error)


#: The error responses an endpoint declares in its OpenAPI description.
RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Bad input: the field path and what is accepted"},
}
#: What any endpoint may answer when the storage fails (nothing was written).
STORAGE: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorBody, "description": "The database is unavailable; retry later"},
    507: {"model": ErrorBody, "description": "The disk holding the database is full"},
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


async def refusal(
    request: Request, status: int, loc: list[str | int], msg: str, kind: str
) -> Response:
    """An error answer made outside the routes (by a middleware): a page, or the API's JSON."""
    detail = ErrorDetail(loc=loc, field=_field(loc), msg=msg, type=kind)
    return await _answer(request, status, [detail])
