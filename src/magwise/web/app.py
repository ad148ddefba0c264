"""The application factory: ``create_app(settings)`` builds the API and the pages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from magwise.case import Case
from magwise.web import errors
from magwise.web.headers import SecurityHeaders
from magwise.web.limits import RateLimit
from magwise.web.settings import Settings

STATIC = Path(__file__).parent / "static"

DESCRIPTION = """An evidence-based advisor for people who lose hair and wonder whether
magnesium is behind it. magwise informs; it does not diagnose or prescribe:
every result is information to discuss with a doctor."""


def _warm_up() -> None:
    """Load the knowledge base and the food index (building it if missing)."""
    from magwise.foods import load_foods
    from magwise.knowledge import load_knowledge

    load_knowledge()
    load_foods().search("magnesium", 1)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    if app.state.settings.warm_up:
        _warm_up()
    yield
    from magwise.web.people import close_store

    close_store(app)


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's OpenAPI document, with the case file's schema among the components."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        case = Case.model_json_schema(ref_template="#/components/schemas/{model}")
        components = document.setdefault("components", {}).setdefault("schemas", {})
        components.update(case.pop("$defs", {}))
        components["Case"] = case
        app.openapi_schema = document
    return app.openapi_schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """The magwise web app: the REST API under /api/v1 and the pages."""
    from magwise.web import auth, guard, limits
    from magwise.web.api import feeds
    from magwise.web.api import router as api
    from magwise.web.api.fast import FastPaths
    from magwise.web.views import router as pages

    app = FastAPI(
        title="magwise",
        version=version("magwise"),
        description=DESCRIPTION,
        lifespan=_lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings or Settings()
    app.state.pdf_reports = RateLimit(app.state.settings.report_pdf_per_hour, 3600)
    errors.install(app)
    app.add_middleware(FastPaths)  # the innermost: every middleware below applies to it
    auth.install(app)
    guard.install(app)
    limits.install(app)
    app.add_middleware(SecurityHeaders, settings=app.state.settings)
    app.include_router(api)
    app.include_router(feeds)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app
