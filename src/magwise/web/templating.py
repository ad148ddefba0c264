"""The Jinja2 environment of the pages, and ``render`` to answer with a page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from magwise import l10n
from magwise.foods._measures_de import german_measure_label, is_drink
from magwise.web.i18n import Messages

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
HTMX = "htmx-2.0.11.min.js"


def _lang(context: Any) -> str:
    return str(context.get("lang") or "en")


@pass_context
def _mg(context: Any, value: float | None, digits: int = 1) -> str:
    """Milligrams in the page's language: "310,5 mg" on a German page."""
    return l10n.mg(value, _lang(context), digits)


@pass_context
def _num(context: Any, value: float | None, digits: int = l10n.DIGITS) -> str:
    """A number to read, in the page's language: "1.234,5" on a German page."""
    return l10n.number(value, _lang(context), digits)


@pass_context
def _date(context: Any, day: dt.date | str | None, style: str = "long") -> str:
    """A day to read, in the page's language: "4. Dezember 2026", "December 4, 2026"."""
    return l10n.date(day, _lang(context), style)


@pass_context
def _decimals(context: Any, text: object) -> str:
    """The decimal numbers in a text written as the page's language writes them ("0,72 mmol/L")."""
    return l10n.decimals(str(text), _lang(context))


def _number(value: float | None) -> str:
    """A number put back into a form field, as the field reads it ("1.5", no grouping)."""
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
    from magwise.foods import food_name as name

    lang = str(context.get("lang") or "en")
    return description if lang != "de" else name(ndb, description, lang, context.get("foods"))


TEMPLATES.env.globals["csrf_token"] = csrf_token
TEMPLATES.env.globals["food_name"] = food_name
TEMPLATES.env.globals["measure_de"] = german_measure_label
TEMPLATES.env.globals["is_drink"] = is_drink
TEMPLATES.env.filters["mg"] = _mg
TEMPLATES.env.filters["number"] = _number
TEMPLATES.env.filters["num"] = _num
TEMPLATES.env.filters["date"] = _date
TEMPLATES.env.filters["decimals"] = _decimals
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
