"""Scalp photos in the store: kept with the log, deleted with it, per person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from magwise.photos import PreparedPhoto
from magwise.store._db import insert

if TYPE_CHECKING:
    from magwise.store._store import Store


@dataclass(frozen=True)
class PhotoInfo:
    """A stored photo, without its bytes."""

    id: int
    day: dt.date
    area: str
    media_type: str
    width: int
    height: int
    size_bytes: int


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def add_photo(store: Store, person_id: int, day: dt.date, area: str, photo: PreparedPhoto) -> int:
    with store._db.write() as tx:
        tx.lock(person_id)
        return insert(
            tx,
            "photos",
            {
                "person_id": person_id,
                "day": day,
                "area": area,
                "media_type": photo.media_type,
                "width": photo.width,
                "height": photo.height,
                "data": photo.data,
            },
        )


def list_photos(store: Store, person_id: int) -> list[PhotoInfo]:
    """The person's photos, oldest first."""
    with store._db.read() as tx:
        rows = tx.rows(
            "SELECT id, day, area, media_type, width, height, length(data) FROM photos "
            "WHERE person_id = :p ORDER BY day, id",
            {"p": person_id},
        )
    return [
        PhotoInfo(int(i), _day(d), str(a), str(m), int(w), int(h), int(n))
        for i, d, a, m, w, h, n in rows
    ]


def photo_data(store: Store, person_id: int, photo_id: int) -> tuple[PhotoInfo, bytes] | None:
    """One of the person's photos and its bytes; ``None`` when the person has no such photo."""
    with store._db.read() as tx:
        rows = tx.rows(
            "SELECT id, day, area, media_type, width, height, data FROM photos "
            "WHERE person_id = :p AND id = :id",
            {"p": person_id, "id": photo_id},
        )
    if not rows:
        return None
    i, d, a, m, w, h, data = rows[0]
    blob = bytes(data)
    return PhotoInfo(int(i), _day(d), str(a), str(m), int(w), int(h), len(blob)), blob


def delete_photo(store: Store, person_id: int, photo_id: int) -> bool:
    with store._db.write() as tx:
        tx.lock(person_id)
        found = tx.rows(
            "SELECT count(*) FROM photos WHERE person_id = :p AND id = :id",
            {"p": person_id, "id": photo_id},
        )
        tx.run(
            "DELETE FROM photos WHERE person_id = :p AND id = :id", {"p": person_id, "id": photo_id}
        )
    return bool(found[0][0])
