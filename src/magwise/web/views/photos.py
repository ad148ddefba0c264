"""``/photos``: scalp photos by area, uploaded from a phone's camera or a file, and two
dates of one area side by side."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from magwise.errors import InputError
from magwise.photos import AREAS
from magwise.store._photos import PhotoInfo, delete_photo, list_photos
from magwise.web import form_errors
from magwise.web.api.photos import PhotoId, store_upload
from magwise.web.deps import MessagesDep
from magwise.web.i18n import Messages
from magwise.web.people import Person, PersonDep
from magwise.web.templating import render

router = APIRouter(prefix="/photos")


def _by_area(photos: list[PhotoInfo]) -> dict[str, list[PhotoInfo]]:
    grouped: dict[str, list[PhotoInfo]] = {area: [] for area in AREAS}
    for photo in photos:
        grouped.setdefault(photo.area, []).append(photo)
    return {area: found for area, found in grouped.items() if found}


def _pick(photos: list[PhotoInfo], wanted: int | None) -> PhotoInfo | None:
    return next((p for p in photos if p.id == wanted), None)


def _page(
    request: Request,
    t: Messages,
    person: Person,
    *,
    error: InputError | None = None,
    done: str | None = None,
    compare: tuple[int | None, int | None] = (None, None),
) -> HTMLResponse:
    photos = list_photos(person.store, person.id)
    by_area = _by_area(photos)
    first, second = _pick(photos, compare[0]), _pick(photos, compare[1])
    if first is None or second is None or first.area != second.area:
        first = second = None
    return render(
        request,
        "photos.html",
        t,
        status_code=200 if error is None else 422,
        by_area=by_area,
        areas=AREAS,
        today=dt.date.today().isoformat(),
        error=None if error is None else form_errors.shown(error, "/photos", t),
        done=done,
        first=first,
        second=second,
    )


@router.get("", response_class=HTMLResponse)
async def photos_page(
    request: Request,
    *,
    t: MessagesDep,
    person: PersonDep,
    done: str | None = None,
    a: int | None = None,
    b: int | None = None,
) -> HTMLResponse:
    shown = done if done in ("added", "deleted") else None
    bounded = tuple(x if x is not None and 0 < x < 2**63 else None for x in (a, b))
    return _page(request, t, person, done=shown, compare=(bounded[0], bounded[1]))


@router.post("")
async def add(request: Request, t: MessagesDep, person: PersonDep) -> Response:
    try:
        await store_upload(request, person)
    except InputError as error:
        return _page(request, t, person, error=error)
    return RedirectResponse(f"/photos?done=added&lang={t.lang}", 303)


@router.post("/{photo_id}/delete")
async def remove(photo_id: PhotoId, t: MessagesDep, person: PersonDep) -> Response:
    delete_photo(person.store, person.id, photo_id)
    return RedirectResponse(f"/photos?done=deleted&lang={t.lang}", 303)
