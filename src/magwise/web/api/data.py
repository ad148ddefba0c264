"""``/api/v1/me``: progress, the report, and a person's data — export, import, FHIR
labs, forget. The answers are the command line's: the progress JSON is what
``magwise progress --json`` prints, the export what ``magwise export`` writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from magwise.errors import InputError
from magwise.jsontext import loads
from magwise.progress.result import ProgressResult
from magwise.record import PersonRecord
from magwise.store._export import LONGEST
from magwise.web.api.log import CONFLICT, LogRoute, conflict
from magwise.web.api.log_models import (
    Counts,
    ExportDocument,
    ImportDocument,
    Imported,
    IsoDate,
    LabsImported,
    entry_out,
)
from magwise.web.deps import FoodsDep, KnowledgeDep
from magwise.web.errors import PERSONAL, RESPONSES, ApiError, ErrorBody, located
from magwise.web.headers import REPORT_POLICY
from magwise.web.people import PersonDep
from magwise.web.settings import Language

router = APIRouter(prefix="/me", tags=["log"], route_class=LogRoute, responses=PERSONAL)

StandardQuery = Annotated[
    str | None, Query(max_length=20, description="dge (default), efsa or nih.")
]


def _check_standard(standard: str | None, kb: Any) -> None:
    if standard is not None:
        with located("query"):
            kb.standard(standard)


def _needs_profile(record: PersonRecord) -> None:
    if not record.profiles:
        raise conflict(["me", "profile"], "no profile yet; PUT /api/v1/me/profile sets it first")


# -- progress and the report ------------------------------------------------------------


@router.get(
    "/progress",
    response_model=ProgressResult,
    responses={**RESPONSES, **CONFLICT},
    summary="Judge progress",
)
def get_progress(
    *,
    person: PersonDep,
    kb: KnowledgeDep,
    foods: FoodsDep,
    start: Annotated[
        IsoDate | None, Query(alias="from", description="Read the log from this day.")
    ] = None,
    as_of: Annotated[IsoDate | None, Query(description="Judge as of this day (today).")] = None,
    standard: StandardQuery = None,
) -> Response:
    """The last 7 days assessed and the follow-up judged: byte for byte what
    ``magwise progress --json`` prints. 409 before a profile is set.
    """
    from magwise.progress import progress

    _check_standard(standard, kb)
    today = as_of or dt.date.today()
    record = person.store.record(person.id, start=start, end=today)
    _needs_profile(record)
    with located("query"):
        result = progress(record, today=today, standard=standard, knowledge=kb, foods=foods)
    return Response(result.model_dump_json(indent=2) + "\n", media_type="application/json")


def _report_html(
    *,
    person: Any,
    kb: Any,
    foods: Any,
    start: dt.date | None,
    end: dt.date | None,
    standard: str | None,
    lang: Language | None,
) -> str:
    from magwise.knowledge import load_knowledge
    from magwise.report import render_html, report_photos

    _check_standard(standard, kb)
    end = end or dt.date.today()
    if start is not None and start > end:
        raise ApiError(422, ["query", "from"], f"{start} is after to {end}", "input_error")
    record = person.store.record(person.id, start=start, end=end)
    photos = report_photos(person.store, person.id, start, end)
    with located("query"):
        return render_html(
            record,
            start=start,
            end=end,
            today=end,
            standard=standard,
            knowledge=kb if lang in (None, "en") else load_knowledge(lang),
            foods=foods,
            photos=photos,
        )


_FROM = Query(alias="from", description="First day (default: the first logged).")
_TO = Query(alias="to", description="Last day (default: today).")
LangQuery = Annotated[
    Language | None,
    Query(description="The report's language: en (default) or de; words, numbers and dates."),
]


@router.get(
    "/report",
    responses={
        200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "HTML"},
        **RESPONSES,
    },
    response_class=Response,
    summary="The report (HTML)",
)
def report_html(
    *,
    person: PersonDep,
    kb: KnowledgeDep,
    foods: FoodsDep,
    start: Annotated[IsoDate | None, _FROM] = None,
    end: Annotated[IsoDate | None, _TO] = None,
    standard: StandardQuery = None,
    lang: LangQuery = None,
) -> Response:
    """The report of ``magwise report --out report.html``: self-contained HTML."""
    html = _report_html(
        person=person, kb=kb, foods=foods, start=start, end=end, standard=standard, lang=lang
    )
    return Response(
        html,
        media_type="text/html; charset=utf-8",
        headers={"Content-Security-Policy": REPORT_POLICY},
    )


@router.get(
    "/report.pdf",
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "PDF",
        },
        **RESPONSES,
        429: {"model": ErrorBody, "description": "Too many PDF reports: see Retry-After"},
    },
    response_class=Response,
    summary="The report (PDF)",
)
def report_pdf(
    *,
    request: Request,
    person: PersonDep,
    kb: KnowledgeDep,
    foods: FoodsDep,
    start: Annotated[IsoDate | None, _FROM] = None,
    end: Annotated[IsoDate | None, _TO] = None,
    standard: StandardQuery = None,
    lang: LangQuery = None,
) -> Response:
    """The report of ``magwise report --out report.pdf`` (A4, WeasyPrint); a limited
    number per hour (``MAGWISE_REPORT_PDF_PER_HOUR``), as each takes seconds to make.
    """
    from magwise.report import render_pdf

    wait = request.app.state.pdf_reports.wait(person.id)
    if wait:
        return JSONResponse(
            {
                "detail": [
                    {
                        "loc": ["path"],
                        "field": "",
                        "msg": f"too many PDF reports; try again in {wait} seconds",
                        "type": "rate_limited",
                    }
                ]
            },
            status_code=429,
            headers={"Retry-After": str(wait)},
        )

    html = _report_html(
        person=person, kb=kb, foods=foods, start=start, end=end, standard=standard, lang=lang
    )
    with located("query"):
        pdf = render_pdf(html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="magwise-report.pdf"'},
    )


# -- export and import --------------------------------------------------------------------


@router.get(
    "/export",
    response_model=ExportDocument,
    summary="Export everything",
)
def export(person: PersonDep) -> Response:
    """Everything kept for you, as a download: the file ``magwise export`` writes."""
    from magwise.store._export import export_data

    doc = export_data(person.store, person.id)
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    return Response(
        text.encode(),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="magwise-export.json"'},
    )


def _refuse_constant(name: str) -> Any:
    raise InputError("", f"{name} is not a number JSON allows")


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


async def json_body(request: Request) -> Any:
    """The request's body as JSON: no NaN or Infinity, no NUL character in text."""
    body = await request.body()
    with located("body"):
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("", "expected UTF-8 encoded JSON text") from None
        try:
            doc = loads(text, "", parse_constant=_refuse_constant)
        except json.JSONDecodeError as exc:
            raise InputError(
                "", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
            ) from None
        if not isinstance(doc, dict):
            raise InputError("", "expected a JSON object")
        for path, item in _walk(doc, ""):
            if "\x00" in item:
                raise InputError(path, "text must not contain a NUL character")
    return doc


JsonBody = Annotated[dict[str, Any], Depends(json_body)]


def _check_fits(doc: dict[str, Any]) -> None:
    """Text longer than the database holds, refused first with its whole path named."""
    for path, text in _walk(doc, ""):
        field = path.rsplit(".", 1)[-1]
        longest = LONGEST.get(field)
        if longest is not None and len(text) > longest:
            raise InputError(path, f"{len(text)} characters; accepted: at most {longest}")


@router.post(
    "/import",
    response_model=Imported,
    responses={**RESPONSES, **CONFLICT},
    summary="Import an export",
)
def import_export(
    person: PersonDep,
    document: ImportDocument,
    replace: Annotated[bool, Query(description="Replace the data kept for you.")] = False,
) -> Imported:
    """Restore an export, as ``magwise import``: everything is checked first and
    written in one transaction (all of it, or nothing). 409 when the log holds
    data already, unless ``replace``.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from magwise.store._export import parse_export, parse_named_foods
    from magwise.store._export_photos import parse_photos

    store = person.store
    doc = document.model_dump(mode="json")
    with located("body"):
        for path, text in _walk(doc, ""):
            if "\x00" in text:
                raise InputError(path, "text must not contain a NUL character")
        name, record, products = parse_export(doc)
        own_foods, meals = parse_named_foods(doc)
        photos = parse_photos(doc)
        _check_fits(doc)
    held = sum(store.counts(person.id).values())
    if held and not replace:
        raise conflict(
            ["query", "replace"],
            f"your log already holds {held} records; import with replace=true to replace them",
        )
    try:
        store.restore(
            person.id,
            record,
            products,
            replace=replace,
            name=name,
            own_foods=own_foods,
            meals=meals,
            photos=photos,
        )
    except SQLAlchemyError as exc:
        raise ApiError(
            422,
            ["body"],
            f"the store refused the import, nothing was written: {exc.__class__.__name__}",
            "input_error",
        ) from None
    entries = sum(
        len(getattr(record, kind))
        for kind in ("foods", "supplements", "water", "shedding", "symptoms", "labs", "notes")
    )
    return Imported(entries=entries, counts=Counts(**store.counts(person.id)))


_FHIR_BODY = {
    "requestBody": {
        "required": True,
        "description": "A FHIR R4 Observation or a Bundle of them (JSON).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/labs/fhir",
    response_model=LabsImported,
    responses=RESPONSES,
    openapi_extra=_FHIR_BODY,
    summary="Import FHIR lab results",
)
def import_fhir(person: PersonDep, kb: KnowledgeDep, doc: JsonBody) -> LabsImported:
    """Lab results from a FHIR R4 Observation or Bundle, as ``magwise import-labs``:
    magnesium (LOINC 19123-9 mg/dL, 2601-3 mmol/L), eGFR (33914-3, 62238-1, 98979-8)
    and creatinine (2160-0 mg/dL, 14682-9 µmol/L), a ``valueQuantity.comparator``
    kept as written; others are skipped and counted; results already stored are not
    stored twice.
    """
    from magwise.fhir import new_entries, read_labs

    with located("body"):
        found = read_labs(doc, kb)
    store = person.store
    new = new_entries(found, store.record(person.id).labs)
    ids = store.add(person.id, *new)
    imported = []
    for entry_id in ids:
        entry = store.entry(person.id, entry_id)
        assert entry is not None
        imported.append(entry_out(entry))
    return LabsImported.model_validate(
        {
            "imported": [item.model_dump() for item in imported],
            "already_stored": len(found.results) - len(new),
            "skipped": found.skipped,
            "without_result": found.without_result,
        }
    )


# -- forget ------------------------------------------------------------------------------


@router.delete("", response_model=Counts, summary="Forget everything")
def forget(person: PersonDep) -> Counts:
    """Delete everything kept for you — profile, log, products, waters, plans — and
    answer what was deleted. Export first to keep a copy.
    """
    return Counts(**person.store.clear(person.id))
