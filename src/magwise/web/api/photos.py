"""``/api/v1/me/photos``: scalp photos, stored without their metadata (EXIF, location)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from magwise.errors import InputError
from magwise.photos import AREAS, MAX_UPLOAD_BYTES, check_area, prepare_photo
from magwise.store._photos import PhotoInfo, add_photo, delete_photo, list_photos, photo_data
from magwise.web.api.log import LogRoute
from magwise.web.errors import NOT_FOUND, PERSONAL, RESPONSES, located, not_found
from magwise.web.people import Person, PersonDep

router = APIRouter(prefix="/me/photos", tags=["photos"], route_class=LogRoute, responses=PERSONAL)

PhotoId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The photo's id.")]


class PhotoOut(BaseModel):
    id: int
    date: dt.date
    area: str
    media_type: str
    width: int
    height: int
    size_bytes: int
    url: str


def photo_out(info: PhotoInfo) -> PhotoOut:
    return PhotoOut(
        id=info.id,
        date=info.day,
        area=info.area,
        media_type=info.media_type,
        width=info.width,
        height=info.height,
        size_bytes=info.size_bytes,
        url=f"/api/v1/me/photos/{info.id}",
    )


async def store_upload(request: Request, person: Person) -> PhotoInfo:
    """Read a multipart upload (``file``, ``date``, ``area``), check it and store it."""
    from magwise.store._inputs import parse_day

    async with request.form(max_files=1, max_fields=5, max_part_size=MAX_UPLOAD_BYTES) as form:
        upload = form.get("file")
        day_text, area = form.get("date"), form.get("area")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("file", "choose a photo (JPEG, PNG or WebP) to upload")
        raw = await upload.read(MAX_UPLOAD_BYTES + 1)
    if not isinstance(area, str) or not area:
        raise InputError("area", f"required; accepted: {', '.join(AREAS)}")
    check_area(area)
    day = parse_day(day_text if isinstance(day_text, str) and day_text else None)
    if day > dt.date.today():
        raise InputError("date", f"{day} is in the future; accepted: today or a day before")
    photo = prepare_photo(raw)
    photo_id = add_photo(person.store, person.id, day, area, photo)
    found = photo_data(person.store, person.id, photo_id)
    assert found is not None
    return found[0]


@router.post(
    "",
    response_model=PhotoOut,
    status_code=201,
    responses=RESPONSES,
    summary="Upload a scalp photo",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file", "area"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "date": {
                                "type": "string",
                                "description": "YYYY-MM-DD, today or yesterday; "
                                "empty or left out: today",
                            },
                            "area": {"type": "string", "enum": list(AREAS)},
                        },
                    }
                }
            },
        }
    },
)
async def upload(request: Request, person: PersonDep) -> Any:
    """A JPEG, PNG or WebP photo of one ``area`` of the scalp on a ``date`` (default today).
    It is stored re-encoded as JPEG, at most 2048 pixels on its longer side, without EXIF."""
    with located("body"):
        return photo_out(await store_upload(request, person))


@router.get("", response_model=list[PhotoOut], summary="List scalp photos")
def photos(person: PersonDep) -> Any:
    """Every photo kept, oldest first (the pictures themselves at each ``url``)."""
    return [photo_out(info) for info in list_photos(person.store, person.id)]


@router.get(
    "/{photo_id}",
    response_class=Response,
    responses={**NOT_FOUND, 200: {"content": {"image/jpeg": {}}, "description": "The photo"}},
    summary="One scalp photo",
)
def photo(photo_id: PhotoId, person: PersonDep) -> Response:
    found = photo_data(person.store, person.id, photo_id)
    if found is None:
        raise not_found(["path", "photo_id"], f"there is no photo {photo_id}")
    info, data = found
    return Response(data, media_type=info.media_type, headers={"Cache-Control": "private"})


@router.delete("/{photo_id}", status_code=204, responses=NOT_FOUND, summary="Delete a photo")
def remove(photo_id: PhotoId, person: PersonDep) -> Response:
    if not delete_photo(person.store, person.id, photo_id):
        raise not_found(["path", "photo_id"], f"there is no photo {photo_id}")
    return Response(status_code=204)
