"""The scalp photos a report shows: the first and the latest of each area.

Each is scaled down with Pillow and embedded as a ``data:`` URI, so the report
stays one file that needs no network, and a PDF of it stays small.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from magwise.photos import AREAS

if TYPE_CHECKING:
    from magwise.store import Store

#: The longer side of a photo in the report (pixels): half an A4 page's width at print
#: resolution is more than a glance at hair density needs.
REPORT_EDGE_PIXELS = 600
REPORT_JPEG_QUALITY = 72


@dataclass(frozen=True)
class ShownPhoto:
    day: dt.date
    first: bool  # the area's first photo in the period (else its latest)
    uri: str
    width: int
    height: int


@dataclass(frozen=True)
class AreaPhotos:
    area: str  # a code of ``magwise.photos.AREAS``
    shown: tuple[ShownPhoto, ...]


def shrink(data: bytes) -> tuple[bytes, int, int]:
    """A stored photo as a small JPEG for the report: (bytes, width, height)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        picture = image.convert("RGB")
    picture.thumbnail((REPORT_EDGE_PIXELS, REPORT_EDGE_PIXELS))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=REPORT_JPEG_QUALITY, optimize=True)
    return out.getvalue(), picture.width, picture.height


def report_photos(
    store: Store, person_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> list[AreaPhotos]:
    """The first and the latest photo of each area taken from ``start`` to ``end``."""
    from magwise.store._photos import list_photos, photo_data

    taken = [
        p
        for p in list_photos(store, person_id)
        if (start is None or p.day >= start) and (end is None or p.day <= end)
    ]
    out: list[AreaPhotos] = []
    for area in AREAS:
        of_area = [p for p in taken if p.area == area]
        if not of_area:
            continue
        picks = [of_area[0], of_area[-1]] if len(of_area) > 1 else [of_area[0]]
        shown: list[ShownPhoto] = []
        for index, info in enumerate(picks):
            found = photo_data(store, person_id, info.id)
            if found is None:  # deleted in the meantime
                continue
            small, width, height = shrink(found[1])
            uri = "data:image/jpeg;base64," + base64.b64encode(small).decode("ascii")
            shown.append(ShownPhoto(info.day, index == 0, uri, width, height))
        if shown:
            out.append(AreaPhotos(area, tuple(shown)))
    return out
