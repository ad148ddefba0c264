"""Scalp photos in the JSON export: each with its date, area and media type, the
picture as base64 (docs/export.md). CSV exports leave them out (a photo is no
table cell); ``magwise export --format csv`` says so.

On import every photo is checked before anything is written: its area, its
media type, base64 that decodes, and a picture Pillow reads within the upload
limits of ``magwise.photos``. A photo exactly as magwise stores them (a JPEG
without metadata, at most ``MAX_EDGE_PIXELS`` on its longer side) is kept byte
for byte, so that export, import and export again give the same document; any
other is re-encoded as an upload is, which strips its metadata.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import io
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from magwise.errors import InputError
from magwise.photos import (
    AREAS,
    FORMATS,
    MAX_EDGE_PIXELS,
    MAX_SOURCE_PIXELS,
    MAX_UPLOAD_BYTES,
    PreparedPhoto,
    prepare_photo,
)

if TYPE_CHECKING:
    from magwise.store._store import Store

#: The fields of one photo in an export, in the order they are written.
PHOTO_FIELDS = ("date", "area", "media_type", "data")
_KEPT_AS_IS = "image/jpeg"


@dataclass(frozen=True)
class ExportedPhoto:
    """A photo of an export, checked and ready to store."""

    day: dt.date
    area: str
    photo: PreparedPhoto


def photo_rows(store: Store, person_id: int) -> list[dict[str, Any]]:
    """The person's photos as export rows, oldest first."""
    from magwise.store._photos import list_photos, photo_data

    rows = []
    for info in list_photos(store, person_id):
        found = photo_data(store, person_id, info.id)
        if found is None:  # deleted meanwhile
            continue
        rows.append(
            {
                "date": info.day.isoformat(),
                "area": info.area,
                "media_type": info.media_type,
                "data": base64.b64encode(found[1]).decode("ascii"),
            }
        )
    return rows


def _as_stored(raw: bytes, media_type: str, where: str) -> PreparedPhoto:
    """``raw`` as the photo to store: kept when it is what magwise stores, else re-encoded."""
    from PIL import Image, UnidentifiedImageError

    accepted = "a JPEG, PNG or WebP photo as base64"
    if len(raw) > MAX_UPLOAD_BYTES:
        raise InputError(
            f"{where}.data",
            f"the photo is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB; accepted: {accepted}",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as image:
                found = FORMATS.get(str(image.format))
                if found is None or image.width * image.height > MAX_SOURCE_PIXELS:
                    raise ValueError(image.format)
                image.load()
                bare = all(marker == "APP0" for marker, _ in getattr(image, "applist", []))
                keep = (
                    found == _KEPT_AS_IS
                    and bare
                    and image.mode == "RGB"
                    and max(image.size) <= MAX_EDGE_PIXELS
                    and not image.getexif()
                )
                size = image.size
    except (
        UnidentifiedImageError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
        IndexError,
        struct.error,
        zlib.error,
    ):  # what Pillow raises on a damaged picture
        raise InputError(
            f"{where}.data", f"not a photo magwise can read; accepted: {accepted}"
        ) from None
    if found != media_type:
        raise InputError(f"{where}.media_type", f"{media_type!r}, but the photo is {found}")
    if keep:
        return PreparedPhoto(raw, _KEPT_AS_IS, size[0], size[1])
    try:
        return prepare_photo(raw)
    except InputError as exc:
        raise InputError(f"{where}.data", exc.message) from None


def parse_photos(doc: dict[str, Any]) -> list[ExportedPhoto]:
    """The photos of an export document (none when it has no ``photos``), every one checked."""
    from magwise.store._export import _check, _fields

    rows = doc.get("photos", [])
    if not isinstance(rows, list):
        raise InputError("photos", "expected a list")
    photos = []
    for number, row in enumerate(rows):
        where = f"photos[{number}]"
        _fields(row, PHOTO_FIELDS, where)
        for name in PHOTO_FIELDS:
            if name not in row:
                raise InputError(f"{where}.{name}", "is required")
        day = _check(row["date"], "date", f"{where}.date")
        area = row["area"]
        if area not in AREAS:
            raise InputError(f"{where}.area", f"{str(area)[:40]!r}; accepted: {', '.join(AREAS)}")
        media_type = row["media_type"]
        if media_type not in FORMATS.values():
            raise InputError(
                f"{where}.media_type",
                f"{str(media_type)[:40]!r}; accepted: {', '.join(FORMATS.values())}",
            )
        text = row["data"]
        if not isinstance(text, str):
            raise InputError(f"{where}.data", "expected the photo as base64 text")
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise InputError(
                f"{where}.data", "not base64; accepted: the photo as base64 (RFC 4648)"
            ) from None
        photos.append(ExportedPhoto(day, area, _as_stored(raw, media_type, where)))
    return photos
