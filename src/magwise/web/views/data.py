"""``/data``: what is kept, export it, import an export, delete everything."""

from __future__ import annotations

import datetime as dt
import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from magwise.errors import InputError
from magwise.examples.diary import EXAMPLE_NAME, remove_example
from magwise.jsontext import loads
from magwise.record import PersonRecord
from magwise.store._export import export_data, import_data, parse_export
from magwise.web.deps import MessagesDep
from magwise.web.i18n import Messages
from magwise.web.people import Person, PersonDep
from magwise.web.templating import render

router = APIRouter(prefix="/data")

#: The largest export the page reads (bytes): years of a daily log fit many times over.


def _page(
    request: Request,
    t: Messages,
    person: Person,
    *,
    error: InputError | None = None,
    done: str | None = None,
    confirm: bool = False,
) -> HTMLResponse:
    counts = person.store.counts(person.id)
    return render(
        request,
        "data.html",
        t,
        status_code=200 if error is None else 422,
        counts=counts,
        held=sum(counts.values()),
        error=error,
        done=done,
        confirm=confirm,
        backup=_backup_offered(request, person),
    )


def _backup_offered(request: Request, person: Person) -> bool:
    """A backup file is offered in local mode, for a log kept in an SQLite file."""
    from magwise.store._settings import sqlite_path

    return request.app.state.settings.mode == "local" and sqlite_path(person.store.url) not in (
        None,
        ":memory:",
    )


@router.get("", response_class=HTMLResponse)
async def data_page(
    request: Request, t: MessagesDep, person: PersonDep, done: str | None = None
) -> HTMLResponse:
    return _page(request, t, person, done=done if done in ("imported", "deleted") else None)


@router.get("/export")
async def export(person: PersonDep) -> Response:
    """Everything kept, as the JSON export (docs/export.md), to download."""
    doc = export_data(person.store, person.id)
    name = f"magwise-{dt.date.today().isoformat()}.json"
    return Response(
        json.dumps(doc, ensure_ascii=False, indent=1) + "\n",
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/backup")
def backup_file(request: Request, person: PersonDep) -> Response:
    """Local mode: a verified copy of the whole SQLite log to download (``magwise backup``)."""
    import shutil
    import tempfile
    from pathlib import Path

    from starlette.background import BackgroundTask
    from starlette.responses import FileResponse

    from magwise.store._backup import backup

    if not _backup_offered(request, person):
        from starlette.exceptions import HTTPException

        raise HTTPException(404, "a backup file is offered for a local SQLite log only")
    folder = Path(tempfile.mkdtemp(prefix="magwise-backup-"))
    name = f"magwise-backup-{dt.date.today().isoformat()}.sqlite3"
    try:
        made = backup(folder / name, person.store.url)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        made.path,
        media_type="application/vnd.sqlite3",
        filename=name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


async def _read_upload(request: Request) -> tuple[dict[str, object], bool]:
    largest = request.app.state.settings.max_import_bytes
    async with request.form(max_part_size=largest) as form:
        upload = form.get("file")
        replace = form.get("replace") == "yes"
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("file", "choose a magwise export (a .json file) to import")
        raw = await upload.read()
    try:
        doc = loads(raw.decode("utf-8"), "file")
    except UnicodeDecodeError:
        raise InputError("file", "not a text file; accepted: a magwise JSON export") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            "file", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(doc, dict):
        raise InputError("file", "not a magwise export (a JSON object)")
    return doc, replace


@router.post("/import")
async def import_export(request: Request, t: MessagesDep, person: PersonDep) -> Response:
    try:
        doc, replace = await _read_upload(request)
        held = sum(person.store.counts(person.id).values())
        if held and not replace:  # in the page's words, not the command line's --replace
            parse_export(doc)  # a file that is no export says so first
            option = t("log_data.replace")
            key = "err_page.import_held_one" if held == 1 else "err_page.import_held"
            raise InputError("import", t(key, held=held, option=option))
        import_data(person.store, person.id, doc, replace=replace)
    except InputError as error:
        return _page(request, t, person, error=error)
    return RedirectResponse(f"/data?done=imported&lang={t.lang}", 303)


@router.get("/delete", response_class=HTMLResponse)
async def confirm_delete(request: Request, t: MessagesDep, person: PersonDep) -> HTMLResponse:
    """The confirmation step: what would be deleted, and the button that deletes it."""
    return _page(request, t, person, confirm=True)


@router.post("/delete")
async def delete_everything(t: MessagesDep, person: PersonDep) -> Response:
    """Delete every profile version, entry, product, water and plan kept for the person."""
    store, me = person.store, person.id
    name = "me" if store.person_name(me) == EXAMPLE_NAME else None
    store.restore(me, PersonRecord(person_id=me, profiles=()), replace=True, name=name)
    return RedirectResponse(f"/data?done=deleted&lang={t.lang}", 303)


#: The pages the example notice sends a person back to after removing the example.
_BACK = ("/", "/today", "/progress", "/photos", "/data", "/sources")


@router.post("/example/remove")
async def remove_the_example(request: Request, t: MessagesDep, person: PersonDep) -> Response:
    """Remove the example log and nothing else: the person's own entries stay."""
    async with request.form() as form:
        back = str(form.get("back", ""))
    remove_example(person.store, person.id)
    target = back if back in _BACK else "/data"
    return RedirectResponse(f"{target}?lang={t.lang}&removed=example", 303)
