"""``/case``: paste or upload a case file and see its assessment."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import UploadFile

from magwise.errors import InputError
from magwise.examples import example_case_text
from magwise.web.deps import FoodsDep, MessagesDep, PageKnowledgeDep
from magwise.web.templating import render
from magwise.web.views import assessment

router = APIRouter()


@router.get("/case", response_class=HTMLResponse)
async def case_form(request: Request, t: MessagesDep) -> HTMLResponse:
    return render(request, "case.html", t, text="", example=example_case_text(), error=None)


@router.post("/case", response_class=HTMLResponse)
async def assess_case_file(
    request: Request, t: MessagesDep, kb: PageKnowledgeDep, foods: FoodsDep
) -> HTMLResponse:
    async with request.form() as form:
        text = str(form.get("case") or "")
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            raw = await upload.read()
            text = raw.decode("utf-8", errors="replace")
    try:
        result = assessment.run(text, kb, foods)
    except InputError as error:
        return render(
            request,
            "case.html",
            t,
            status_code=422,
            text=text,
            example=example_case_text(),
            error=error,
        )
    return assessment.show(request, t, kb, result, text)
