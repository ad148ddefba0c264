"""``/data``: what is kept, export it, import an export, delete everything."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from magwise import l10n
from magwise.errors import InputError
from magwise.examples.diary import EXAMPLE_NAME, remove_example
from magwise.jsontext import loads
from magwise.record import PersonRecord
from magwise.store._export import export_data, import_data, parse_export
from magwise.web import import_errors
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
    profile = person.store.profile(person.id, dt.date.today())
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
        profile=profile,
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
    return _page(
        request, t, person, done=done if done in ("imported", "deleted", "identity") else None
    )


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


@dataclass(slots=True)
class _Upload:
    """The file a person chose to import: its text, once read."""

    text: str | None = None


async def _read_upload(
    request: Request, t: Messages, upload_text: _Upload
) -> tuple[dict[str, object], bool]:
    """The export document of the uploaded file; what is wrong with the file in the page's
    words (``import_error.*``) when it is no export."""
    largest = request.app.state.settings.max_import_bytes
    async with request.form(max_part_size=largest) as form:
        upload = form.get("file")
        replace = form.get("replace") == "yes"
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("file", t("import_error.no_file"))
        raw = await upload.read()
    try:
        upload_text.text = raw.decode("utf-8")
        doc = loads(upload_text.text, "file")
    except UnicodeDecodeError:
        raise InputError("file", t("import_error.not_text")) from None
    except json.JSONDecodeError as exc:
        where = t("import_error.line_column", line=exc.lineno, column=exc.colno)
        raise InputError("file", t("import_error.not_json", where=where)) from None
    if not isinstance(doc, dict):
        raise InputError("file", t("import_error.not_export"))
    return doc, replace


@router.post("/import")
async def import_export(request: Request, t: MessagesDep, person: PersonDep) -> Response:
    upload = _Upload()
    try:
        doc, replace = await _read_upload(request, t, upload)
        held = sum(person.store.counts(person.id).values())
        if held and not replace:  # in the page's words, not the command line's --replace
            parse_export(doc)  # a file that is no export says so first
            option = t("log_data.replace")
            text = t.n("err_page.import_held", held, held=l10n.number(held, t.lang), option=option)
            raise InputError("import", text)
        import_data(person.store, person.id, doc, replace=replace)
    except InputError as error:
        return _page(request, t, person, error=import_errors.plain(error, upload.text, t))
    return RedirectResponse(f"/data?done=imported&lang={t.lang}", 303)


@router.post("/identity")
async def set_identity(request: Request, t: MessagesDep, person: PersonDep) -> Response:
    """The name and date of birth that head the report (both optional; blank clears)."""
    from magwise.knowledge import load_knowledge
    from magwise.store._profile import birth_date, person_name, updated_profile

    today = dt.date.today()
    async with request.form() as form:
        given = {key: str(form.get(key) or "") for key in ("name", "birth_date")}
    store, me = person.store, person.id
    try:
        current = store.profile(me, today)
        if current is None:
            raise InputError(t("log_identity.name"), t("log_identity.no_profile"))
        try:
            name = person_name(given["name"])
        except InputError:
            raise InputError(t("log_identity.name"), t("log_identity.bad_name")) from None
        try:
            day = None
            if given["birth_date"].strip():
                day = dt.date.fromisoformat(given["birth_date"].strip())
            born = birth_date(day, today)
        except (ValueError, InputError):
            raise InputError(
                t("log_identity.birth_date"), t("log_identity.bad_birth_date")
            ) from None
        changes = {"name": name, "birth_date": born}
        store.set_profile(me, updated_profile(current, today, changes, load_knowledge()))
    except InputError as error:
        return _page(request, t, person, error=error)
    return RedirectResponse(f"/data?done=identity&lang={t.lang}#identity", 303)


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
