"""The two busiest API requests answered without FastAPI's per-request machinery.

``POST /api/v1/assess`` and ``GET /api/v1/foods?q=`` are declared as FastAPI
routes (their OpenAPI descriptions, their parameters' checks and error answers
come from there). For each request, FastAPI walks its included routers,
resolves the route's dependencies and parameters, and validates the answer a
second time before it writes it; for these two requests that is more work than
the HTTP exchange itself. ``FastPaths`` sits inside every other middleware (the
local guard, the CSRF token, the body limit, the security headers and server
mode's sessions all apply as before) and answers them itself: the same checks of
the same parameters, the same core calls, the same bytes. A request it does not
take plainly (a parameter given twice, out of range or malformed, another
method, a parameter the route does not declare today) goes on to FastAPI,
whose answer then is exactly the old one. Nothing is
cached: every request is parsed, checked and answered in full.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import TypeAdapter
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from magwise.errors import InputError
from magwise.foods import load_foods
from magwise.foods._index import Language
from magwise.knowledge import load_knowledge
from magwise.web.api.assess import answer as assess_answer
from magwise.web.api.models import SearchHitOut
from magwise.web.errors import ApiError, located

ASSESS = "/api/v1/assess"
FOODS = "/api/v1/foods"
#: The search's parameters as ``magwise.web.api.foods.search_foods`` declares them.
MAX_QUERY_CHARS, MAX_LIMIT, DEFAULT_LIMIT = 200, 100, 10

_SEARCH_PARAMS = frozenset({"q", "limit", "lang"})
_ASSESS_PARAMS = frozenset({"standard"})

_HITS: TypeAdapter[list[SearchHitOut]] = TypeAdapter(list[SearchHitOut])


def _one(params: QueryParams, name: str) -> str | None:
    """The parameter ``name`` if it is given at most once; raises KeyError if twice."""
    values = params.getlist(name)
    if len(values) > 1:
        raise KeyError(name)
    return values[0] if values else None


def search_params(query_string: bytes) -> tuple[str, int, Language] | None:
    """``q``, ``limit`` and ``lang`` if FastAPI would accept them as they are, else None
    (FastAPI then answers, with its own error)."""
    params = QueryParams(query_string.decode("latin-1"))
    if not set(params) <= _SEARCH_PARAMS:  # a parameter the route may have gained
        return None
    try:
        q, limit, lang = _one(params, "q"), _one(params, "limit"), _one(params, "lang")
    except KeyError:
        return None
    if q is None or not 1 <= len(q) <= MAX_QUERY_CHARS:
        return None
    if limit is None:
        number = DEFAULT_LIMIT
    elif limit.isascii() and limit.isdigit() and len(limit) <= 3 and limit[0] != "0":
        number = int(limit)
        if number > MAX_LIMIT:
            return None
    else:
        return None
    if lang is None:
        return q, number, "en"
    if lang in ("en", "de"):
        return q, number, cast(Language, lang)
    return None


def _only(scope: Scope, names: frozenset[str]) -> bool:
    """Whether the query names no parameter but ``names`` (any other goes to FastAPI)."""
    query: bytes = scope.get("query_string", b"")
    return not query or set(QueryParams(query.decode("latin-1"))) <= names


class FastPaths:
    """Answers ``POST /api/v1/assess`` and plainly valid ``GET /api/v1/foods`` itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            path, method = scope["path"], scope["method"]
            if path == ASSESS and method == "POST" and _only(scope, _ASSESS_PARAMS):
                await self._answer(scope, receive, send, self._assess)
                return
            if path == FOODS and method == "GET":
                params = search_params(scope.get("query_string", b""))
                if params is not None:
                    await self._answer(scope, receive, send, self._search, *params)
                    return
        await self.app(scope, receive, send)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, work: Any, *args: Any
    ) -> None:
        request = Request(scope, receive)
        try:
            response = await work(request, *args)
        except (ApiError, InputError) as exc:
            response = await _handler(request, exc)(request, exc)
        await response(scope, receive, send)

    @staticmethod
    async def _assess(request: Request) -> Any:
        standard = request.query_params.get("standard")
        return await assess_answer(request, load_knowledge(), load_foods(), standard)

    @staticmethod
    async def _search(request: Request, q: str, limit: int, lang: Language) -> Any:
        with located("query", {"query": "q"}):
            hits = load_foods().search(q, limit, lang)
        body = _HITS.dump_json([SearchHitOut.of(hit) for hit in hits], by_alias=True)
        return Response(body, media_type="application/json")


def _handler(request: Request, exc: Exception) -> Any:
    """The app's own handler of ``exc`` (the one FastAPI would call)."""
    handlers = request.app.exception_handlers
    for kind in type(exc).__mro__:
        if kind in handlers:
            return handlers[kind]
    raise exc
