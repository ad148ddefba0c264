"""Scalp photos: stored without metadata, per person, deleted with the log."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from tests._web import local_client

from magwise.errors import InputError
from magwise.photos import MAX_EDGE_PIXELS, prepare_photo
from magwise.store import Store
from magwise.web import Settings, create_app

ME = "/api/v1/me/photos"
TODAY = dt.date.today()


def _photo(fmt: str = "JPEG", size: tuple[int, int] = (640, 480), gps: bool = True) -> bytes:
    """A picture as a phone would send it: with EXIF, GPS position and orientation."""
    image = Image.new("RGB", size, (120, 90, 60))
    for x in range(0, size[0], 7):  # something to see
        image.putpixel((x, size[1] // 2), (255, 255, 255))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90° clockwise
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def test_a_photo_is_re_encoded_upright_without_exif_or_location() -> None:
    raw = _photo()
    assert b"PhoneMaker" in raw
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825), "the upload has a position"
    kept = prepare_photo(raw)
    assert kept.media_type == "image/jpeg"
    assert (kept.width, kept.height) == (480, 640), "turned upright as the camera recorded"
    again = Image.open(io.BytesIO(kept.data))
    assert not again.getexif(), "no EXIF at all: no position, no camera"
    assert b"PhoneMaker" not in kept.data
    assert b"Exif" not in kept.data


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_too(fmt: str) -> None:
    kept = prepare_photo(_photo(fmt, gps=False))
    assert Image.open(io.BytesIO(kept.data)).format == "JPEG"


def test_a_large_photo_is_scaled_to_the_stored_size() -> None:
    kept = prepare_photo(_photo(size=(4000, 3000), gps=False))
    assert max(kept.width, kept.height) == MAX_EDGE_PIXELS


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "empty"),
        (b"not a picture at all", "not a photo"),
        (b"GIF89a" + b"\x00" * 100, "not a photo"),
    ],
)
def test_what_is_no_photo_is_refused_naming_the_file(raw: bytes, words: str) -> None:
    with pytest.raises(InputError, match=words) as refused:
        prepare_photo(raw)
    assert refused.value.field == "file"


def test_a_gif_is_refused_by_its_format() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(InputError, match="GIF image is not accepted"):
        prepare_photo(out.getvalue())


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    Store.open(database_url).close()
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def _upload(client: TestClient, area: str = "crown", day: dt.date = TODAY) -> dict[str, object]:
    answer = client.post(
        ME,
        files={"file": ("crown.jpg", _photo(), "image/jpeg")},
        data={"area": area, "date": day.isoformat()},
    )
    assert answer.status_code == 201, answer.text
    body: dict[str, object] = answer.json()
    return body


def test_photos_over_the_api_on_both_databases(client: TestClient, database_url: str) -> None:
    first = _upload(client, day=TODAY - dt.timedelta(days=28))
    second = _upload(client)
    assert first["area"] == "crown" and first["width"] == 480
    listed = client.get(ME).json()
    assert [p["id"] for p in listed] == [first["id"], second["id"]]
    picture = client.get(f"{ME}/{first['id']}")
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/jpeg"
    assert not Image.open(io.BytesIO(picture.content)).getexif()

    bad = client.post(ME, files={"file": ("a.jpg", _photo(), "image/jpeg")}, data={"area": "chin"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "area"
    future = client.post(
        ME,
        files={"file": ("a.jpg", _photo(), "image/jpeg")},
        data={"area": "crown", "date": (TODAY + dt.timedelta(days=1)).isoformat()},
    )
    assert future.status_code == 422
    assert client.get(f"{ME}/{2**70}").status_code == 422
    assert client.get(f"{ME}/999999").status_code == 404

    assert client.delete(f"{ME}/{first['id']}").status_code == 204
    assert client.delete(f"{ME}/{first['id']}").status_code == 404
    with Store.open(database_url) as store:
        assert store.counts(store.local_person())["photos"] == 1
    forgotten = client.delete("/api/v1/me")  # "delete everything" takes the photos too
    assert forgotten.json()["photos"] == 1
    assert client.get(ME).json() == []


def test_the_photos_page_uploads_and_compares_two_dates(client: TestClient) -> None:
    page = client.get("/photos?lang=de")
    assert page.status_code == 200
    assert 'capture="environment"' in page.text
    assert "Kopfhaut-Fotos" in page.text
    added = client.post(
        "/photos?lang=de",
        files={"file": ("c.jpg", _photo(), "image/jpeg")},
        data={"area": "temples", "date": (TODAY - dt.timedelta(days=40)).isoformat()},
        follow_redirects=False,
    )
    assert added.status_code == 303
    later = _upload(client, area="temples")
    ids = [p["id"] for p in client.get(ME).json()]
    shown = client.get(f"/photos?lang=de&a={ids[0]}&b={later['id']}")
    assert "zwei Daten nebeneinander" in shown.text
    assert shown.text.count(f'src="/api/v1/me/photos/{later["id"]}"') == 2  # pair and list
    refused = client.post(
        "/photos?lang=de",
        files={"file": ("c.txt", b"hello", "text/plain")},
        data={"area": "crown"},
    )
    assert refused.status_code == 422
    assert 'id="photo-error"' in refused.text
