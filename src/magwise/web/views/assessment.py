"""The assessment page: a case file judged by ``magwise.assess``, shown in full."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from magwise.advisor import assess
from magwise.case import parse_case
from magwise.foods import FoodIndex
from magwise.knowledge import Knowledge
from magwise.result import Result
from magwise.web.i18n import Messages
from magwise.web.templating import render


def run(case: dict[str, Any] | str, kb: Knowledge, foods: FoodIndex) -> Result:
    """Validate and assess; an ``InputError`` names the case field at fault."""
    return assess(parse_case(case), knowledge=kb, foods=foods)


def show(
    request: Request,
    t: Messages,
    kb: Knowledge,
    result: Result,
    case: dict[str, Any] | str,
) -> HTMLResponse:
    """The page for ``result``, with the case file to download or assess again."""
    text = case if isinstance(case, str) else json.dumps(case, indent=2, ensure_ascii=False)
    return render(
        request,
        "assessment.html",
        t,
        result=result,
        case_json=text,
        sources=kb.sources,
        role_texts=kb.role.texts,
    )
