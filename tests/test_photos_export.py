"""Scalp photos leave with the JSON export and come back with the import.

Each photo carries its date, area and media type and the picture as base64.
Import checks every photo first (all or nothing, within the upload limits);
bad photo data is one line naming the field. A CSV export has no photos and
says so.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from tests._web import local_client

from magwise.cli import cli
from magwise.errors import InputError
from magwise.photos import prepare_photo
from magwise.store import Store, _export_photos
from magwise.store._export import csv_files, export_data, import_data, read_export, write_export
from magwise.store._photos import add_photo, list_photos, photo_data
from magwise.web import Settings, create_app

DAY = dt.date(2026, 9, 1)


def _picture(size: tuple[int, int] = (64, 48), exif: bool = False, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, (120, 90, 60))
    image.putpixel((3, 3), (255, 255, 255))
    out = io.BytesIO()
    if exif:
        tags = Image.Exif()
        tags[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
        image.save(out, format=fmt, exif=tags)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def kept(database_url: str) -> Iterator[Store]:
    """A log with a note and three photos of two areas."""
    with Store.open(database_url) as store:
        me = store.local_person()
        store.add_note(me, DAY, "first photos")
        for offset, area in ((0, "crown"), (0, "hairline"), (28, "crown")):
            picture = prepare_photo(_picture((800 + offset, 600)))
            add_photo(store, me, DAY + dt.timedelta(days=offset), area, picture)
        yield store


def _photos(store: Store) -> list[tuple[Any, bytes]]:
    me = store.local_person()
    out = []
    for info in list_photos(store, me):
        found = photo_data(store, me, info.id)
        assert found is not None
        out.append((dataclasses.replace(info, id=0), found[1]))
    return out


def test_the_json_export_carries_each_photo_with_date_area_and_type(kept: Store) -> None:
    doc = export_data(kept, kept.local_person())
    assert [(p["date"], p["area"], p["media_type"]) for p in doc["photos"]] == [
        ("2026-09-01", "crown", "image/jpeg"),
        ("2026-09-01", "hairline", "image/jpeg"),
        ("2026-09-29", "crown", "image/jpeg"),
    ]
    assert [base64.b64decode(p["data"]) for p in doc["photos"]] == [b for _, b in _photos(kept)]


def test_export_import_export_keeps_the_photos_byte_for_byte(
    kept: Store, make_database_url: Callable[[], str], tmp_path: Path
) -> None:
    first = tmp_path / "export.json"
    write_export(export_data(kept, kept.local_person()), first, "json")
    with Store.open(make_database_url()) as empty:
        me = empty.local_person()
        assert import_data(empty, me, read_export(first), replace=False) == 1
        assert empty.counts(me)["photos"] == 3
        assert _photos(empty) == _photos(kept)
        write_export(export_data(empty, me), tmp_path / "again.json", "json")
    assert (tmp_path / "again.json").read_bytes() == first.read_bytes()


def test_an_export_without_photos_still_imports(
    kept: Store, make_database_url: Callable[[], str]
) -> None:
    doc = export_data(kept, kept.local_person())
    del doc["photos"]
    with Store.open(make_database_url()) as empty:
        assert import_data(empty, empty.local_person(), doc, replace=False) == 1
        assert empty.counts(empty.local_person())["photos"] == 0


def test_a_photo_with_metadata_in_an_export_is_stored_without_it(
    kept: Store, make_database_url: Callable[[], str]
) -> None:
    doc = export_data(kept, kept.local_person())
    located = _picture((3000, 1000), exif=True)
    doc["photos"] = [{**doc["photos"][0], "data": base64.b64encode(located).decode()}]
    png = _picture(fmt="PNG")
    doc["photos"].append(
        {**doc["photos"][0], "media_type": "image/png", "data": base64.b64encode(png).decode()}
    )
    with Store.open(make_database_url()) as empty:
        import_data(empty, empty.local_person(), doc, replace=False)
        (big, stored), (small, _) = _photos(empty)
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert (big.width, big.height, big.media_type) == (2048, 683, "image/jpeg")
    assert (small.width, small.media_type) == (64, "image/jpeg")


BAD = [
    (lambda p: p.update(data="not base64!"), "photos[0].data", "not base64"),
    (lambda p: p.update(data=base64.b64encode(b"hello").decode()), "photos[0].data", "not a photo"),
    (lambda p: p.update(data=17), "photos[0].data", "base64 text"),
    (lambda p: p.update(area="chin"), "photos[0].area", "accepted: hairline"),
    (lambda p: p.update(media_type="image/gif"), "photos[0].media_type", "accepted: image/jpeg"),
    (lambda p: p.update(media_type="image/png"), "photos[0].media_type", "the photo is image/jpeg"),
    (lambda p: p.update(date="2026-13-01"), "photos[0].date", "not a date"),
    (lambda p: p.pop("area"), "photos[0].area", "is required"),
    (lambda p: p.update(where="Berlin"), "photos[0].where", "not a field"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD)
def test_bad_photo_data_is_one_line_naming_the_field_and_writes_nothing(
    kept: Store,
    make_database_url: Callable[[], str],
    change: Callable[[dict[str, Any]], None],
    field: str,
    words: str,
) -> None:
    doc = export_data(kept, kept.local_person())
    change(doc["photos"][0])
    with Store.open(make_database_url()) as other:
        me = other.local_person()
        other.add_note(me, DAY, "my own log")
        with pytest.raises(InputError) as refused:
            import_data(other, me, doc, replace=True)
        assert refused.value.field == field
        assert words in refused.value.message
        assert "\n" not in str(refused.value)
        assert other.counts(me)["note"] == 1 and other.counts(me)["photos"] == 0


def test_a_photo_over_the_upload_limit_is_refused(
    kept: Store, make_database_url: Callable[[], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = export_data(kept, kept.local_person())
    monkeypatch.setattr(_export_photos, "MAX_UPLOAD_BYTES", 1000)
    with Store.open(make_database_url()) as other, pytest.raises(InputError) as refused:
        import_data(other, other.local_person(), doc, replace=False)
    assert refused.value.field == "photos[0].data"
    assert "larger than" in refused.value.message


def test_the_api_import_restores_photos_and_counts_them(
    kept: Store, make_database_url: Callable[[], str]
) -> None:
    doc = export_data(kept, kept.local_person())
    url = make_database_url()
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        answer = client.post("/api/v1/me/import", json=doc)
        assert answer.status_code == 200, answer.text
        assert answer.json()["counts"]["photos"] == 3
        exported = client.get("/api/v1/me/export").json()
        assert exported["photos"] == doc["photos"]
        doc["photos"][1]["data"] = "####"
        bad = client.post("/api/v1/me/import", params={"replace": "true"}, json=doc)
        assert bad.status_code == 422
        assert bad.json()["detail"][0]["field"] == "photos[1].data"
        assert len(client.get("/api/v1/me/photos").json()) == 3


def test_the_data_page_exports_and_imports_photos(
    kept: Store, make_database_url: Callable[[], str]
) -> None:
    text = json.dumps(export_data(kept, kept.local_person()))
    url = make_database_url()
    with local_client(create_app(Settings(database_url=url, warm_up=False))) as client:
        done = client.post(
            "/data/import", files={"file": ("e.json", text.encode(), "application/json")}
        )
        assert done.status_code == 200 and "count-photos" in done.text
        assert 'id="count-photos">3<' in done.text
        assert len(client.get("/data/export").json()["photos"]) == 3


def test_a_csv_export_has_no_photos_and_says_so(
    kept: Store, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not any("photo" in name for name in csv_files(export_data(kept, kept.local_person())))
    monkeypatch.setenv("MAGWISE_DATABASE_URL", database_url)
    runner = CliRunner()
    out = runner.invoke(cli, ["export", "--format", "csv", "--out", str(tmp_path / "e.zip")])
    assert out.exit_code == 0, out.output
    assert "3 photos are not in the CSV export" in out.stderr
    assert "--format json" in out.stderr
    out = runner.invoke(cli, ["export", "--out", str(tmp_path / "e.json")])
    assert "Exported 1 entry, 0 profile versions and 3 photos to" in out.stdout
    assert out.stderr == ""


_PICTURES = [_picture(fmt=fmt) for fmt in ("JPEG", "PNG", "WEBP")]


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(_PICTURES),
    st.integers(min_value=0, max_value=2000),
    st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=6),
)
def test_damaged_photo_data_is_refused_naming_the_field_never_a_crash(
    picture: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    """A picture cut short or with bytes changed is stored as a picture or refused with
    ``photos[0].data`` (or its media type) named, never with another error."""
    damaged = bytearray(picture[: max(cut, 1)])
    for where, value in flips:
        damaged[where % len(damaged)] = value
    media = {b"\xff\xd8": "image/jpeg", b"\x89P": "image/png"}.get(picture[:2], "image/webp")
    row = {"date": "2026-09-01", "area": "crown", "media_type": media}
    doc = {"photos": [{**row, "data": base64.b64encode(bytes(damaged)).decode()}]}
    refused: InputError | None = None
    try:
        photos = _export_photos.parse_photos(doc)
    except InputError as error:
        refused = error
    if refused is None:
        assert photos[0].photo.media_type == "image/jpeg"
    else:
        assert refused.field in ("photos[0].data", "photos[0].media_type")
        assert "\n" not in str(refused)
