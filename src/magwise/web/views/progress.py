"""``/progress``: the report's charts and the verdict over weeks, in the browser.

The page renders what the printed report renders (``magwise.report.context``):
the same progress result, the same SVG charts.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from magwise.errors import InputError
from magwise.report import restrict
from magwise.report.context import report_context
from magwise.web import form_errors
from magwise.web.deps import FoodsDep, MessagesDep, PageKnowledgeDep
from magwise.web.due import due_today
from magwise.web.people import PersonDep
from magwise.web.templating import render

router = APIRouter()

#: The periods a person can choose, in weeks (0: everything kept).
PERIODS = (4, 6, 12, 26, 0)
MAX_WEEKS = 520


@router.get("/progress", response_class=HTMLResponse)
async def progress_page(
    request: Request,
    *,
    t: MessagesDep,
    kb: PageKnowledgeDep,
    foods: FoodsDep,
    person: PersonDep,
    weeks: Annotated[str, Query(max_length=10)] = "0",
) -> HTMLResponse:
    today = dt.date.today()
    error = None
    if not (weeks.isascii() and weeks.isdigit()) or int(weeks) > MAX_WEEKS:
        error = InputError(
            "weeks", f"{weeks!r}; accepted: a whole number of weeks, 0 to {MAX_WEEKS}"
        )
    n = 0 if error else int(weeks)
    start = today - dt.timedelta(days=7 * n - 1) if n else None
    record = person.store.record(person.id)
    context = report_context(
        restrict(record, start, None),
        start=start,
        end=None,
        today=today,
        standard=None,
        kb=kb,
        foods=foods,
        narrow=True,
    )
    logged = any((record.foods, record.supplements, record.water, record.shedding, record.symptoms))
    return render(
        request,
        "progress.html",
        t,
        status_code=200 if error is None else 422,
        error=None if error is None else form_errors.shown(error, "/progress", t),
        report=context,
        weeks=n,
        periods=PERIODS,
        logged=logged or bool(record.labs),
        sources=kb.sources,
        due=due_today(record, today, t.lang, kb, foods),
    )
