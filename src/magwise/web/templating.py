"""The Jinja2 environment of the pages, and ``render`` to answer with a page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from magwise.foods._measures_de import german_measure_label, is_drink
from magwise.web.i18n import Messages

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
HTMX = "htmx-2.0.11.min.js"


def _mg(value: float | None) -> str:
    return "—" if value is None else f"{value:g} mg"


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def csrf_token(request: Request) -> str:
    """The request's CSRF token (server mode; empty in local mode).

    Every form that changes data carries it as the hidden field ``csrf_token``
    (the ``csrf_field`` macro) and every htmx request as the ``X-CSRF-Token``
    header (``base.html``); ``magwise.web.auth`` sets and checks it.
    """
    return str(getattr(request.state, "csrf_token", "") or "")


@pass_context
def food_name(context: Any, ndb: str, description: str) -> str:
    """A food's name in the page's language: its German name on German pages
    (when the name table has one), else SR28's ``description``."""
    if context.get("lang") != "de":
        return description
    from magwise.errors import InputError
    from magwise.foods import load_foods

    foods = load_foods()
    try:
        return foods.name(foods.get(ndb), "de")
    except InputError:  # an own food's id, not an NDB number
        return description


TEMPLATES.env.globals["csrf_token"] = csrf_token
TEMPLATES.env.globals["food_name"] = food_name
TEMPLATES.env.globals["measure_de"] = german_measure_label
TEMPLATES.env.globals["is_drink"] = is_drink
TEMPLATES.env.filters["mg"] = _mg
TEMPLATES.env.filters["number"] = _number
TEMPLATES.env.globals["htmx"] = HTMX


@dataclass(frozen=True)
class ExampleNotice:
    """The example log is kept: ``rows`` of it, and ``own`` entries the person logged
    on top of it."""

    own: int
    rows: int = 0


def example_notice(request: Request) -> ExampleNotice | None:
    """Local mode: the notice every page shows while the example log is kept (the
    example is a local log only: ``serve --example`` refuses ``--multi-user``)."""
    if request.app.state.settings.mode != "local":
        return None
    from sqlalchemy.exc import SQLAlchemyError

    from magwise.errors import MagwiseError
    from magwise.web.people import app_store

    try:
        store = app_store(request.app)
        example, own = store.example_counts(store.local_person())
    except (MagwiseError, SQLAlchemyError):  # the page says what went wrong, not this
        return None
    return ExampleNotice(own, example) if example else None


def render(
    request: Request, name: str, t: Messages, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """The page ``name`` in the language of ``t``."""
    # asked by the pages' notice (base.html) only, not by the fragments htmx fetches
    context.setdefault("example_notice", lambda: example_notice(request))
    return TEMPLATES.TemplateResponse(
        request, name, {"t": t, "lang": t.lang, **context}, status_code=status_code
    )
