"""Hostile input is answered 4xx, never 500; and no stored data makes a page fail.

JSON nested 1,000 deep, digits that are not ASCII ('²', '٣', '１'), numbers of
5,000 digits, ids beyond 64 bits and lab dates outside 1900..2999: each is
refused naming the field. A log that holds labs dated anywhere a date can be
(written before these checks existed) still renders its progress page, its
charts and its report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.case import parse_case
from magwise.cli import cli
from magwise.errors import InputError
from magwise.examples.diary import seed_example
from magwise.fhir import read_labs
from magwise.record import LabEntry
from magwise.store import Store
from magwise.web import Settings, create_app

DEEP_LIST = '{"days": ' + "[" * 1000 + "]" * 1000 + "}"
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000
HOSTILE_NUMBERS = ["²", "٣", "１", "1" * 5000, "9" * 5000 + ".5", "1e99999"]
BEYOND_64_BITS = [2**63, 2**64, 10**30]


@pytest.fixture
def url(tmp_path: Path, data_dir: Path) -> str:
    url = f"sqlite:///{tmp_path / 'magwise.sqlite3'}"
    with Store.open(url) as store:
        assert seed_example(store, store.local_person())
    return url


@pytest.fixture
def client(url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=url, warm_up=False))
    with local_client(app, raise_server_exceptions=False) as client:
        yield client


def entries(client: TestClient) -> int:
    return len(client.get("/api/v1/me/entries").json())


def assert_refused(answer: Any, field: str | None = None) -> None:
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])
    if field is not None and answer.headers["content-type"].startswith("application/json"):
        assert answer.json()["detail"][0]["field"] == field


# -- JSON nested 1,000 deep ----------------------------------------------------------


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
@pytest.mark.parametrize("path", ["/api/v1/assess", "/api/v1/me/labs/fhir", "/api/v1/me/import"])
def test_deep_json_is_refused(client: TestClient, path: str, body: str) -> None:
    held = entries(client)
    answer = client.post(path, content=body, headers={"content-type": "application/json"})
    assert_refused(answer)
    assert entries(client) == held


@pytest.mark.parametrize("body", [DEEP_LIST, DEEP_OBJECT])
def test_deep_json_is_refused_by_the_pages_and_the_core(client: TestClient, body: str) -> None:
    assert_refused(client.post("/case", data={"case": body}))
    assert_refused(client.post("/assessment/keep", data={"case": body}))
    upload = {"file": ("deep.json", body.encode(), "application/json")}
    assert_refused(client.post("/data/import", files=upload, data={"replace": "yes"}))
    with pytest.raises(InputError, match="nested too deeply"):
        parse_case(body)
    with pytest.raises(InputError, match="nested too deeply"):
        read_labs(body)


# -- numbers in form fields ----------------------------------------------------------


@pytest.mark.parametrize("number", HOSTILE_NUMBERS)
def test_hostile_numbers_in_forms_are_refused(client: TestClient, number: str) -> None:
    held = entries(client)
    forms = {
        "/today/food": {"food": "12061", "food_amount": number, "food_unit": "g"},
        "/today/shedding": {"count": number},
        "/today/lab": {"lab_value": number, "lab_unit": "mmol/L"},
        "/today/profile": {"sex": "female", "age": number},
        "/today/delete": {"entry": number},
        "/today/water": {"litres": number},
        "/assessment": {"sex": "female", "age": number},
    }
    for path, form in forms.items():
        assert_refused(client.post(path, data=form))
    assert_refused(client.get("/progress", params={"weeks": number}))
    assert entries(client) == held


def test_a_food_amount_in_arabic_digits_is_refused_not_read_as_three(client: TestClient) -> None:
    held = entries(client)
    answer = client.post(
        "/today/food", data={"food": "12061", "food_amount": "٣", "food_unit": "g"}
    )
    assert answer.status_code == 422
    assert entries(client) == held


@pytest.mark.parametrize("number", ["1" * 5000, "1" * 31])
def test_long_numbers_in_json_are_refused(client: TestClient, number: str) -> None:
    case = '{"profile": {"sex": "female", "age_years": ' + number + "}}"
    assert_refused(
        client.post("/api/v1/assess", content=case, headers={"content-type": "application/json"})
    )
    obs = (
        '{"resourceType": "Observation", "code": {"coding": [{"system": "http://loinc.org",'
        ' "code": "19123-9"}]}, "effectiveDateTime": "2026-01-05",'
        ' "valueQuantity": {"value": ' + number + ', "unit": "mg/dL"}}'
    )
    answer = client.post(
        "/api/v1/me/labs/fhir", content=obs, headers={"content-type": "application/json"}
    )
    assert_refused(answer)


# -- ids beyond 64 bits -------------------------------------------------------------


@pytest.mark.parametrize("big", BEYOND_64_BITS)
def test_ids_beyond_64_bits_are_refused(client: TestClient, big: int) -> None:
    held = entries(client)
    assert_refused(client.get(f"/api/v1/me/entries/{big}"), "entry_id")
    assert_refused(client.delete(f"/api/v1/me/entries/{big}"), "entry_id")
    assert_refused(client.get(f"/api/v1/me/entries/{-big}"))
    assert_refused(client.get(f"/api/v1/foods/{big}"))
    assert_refused(client.post("/today/delete", data={"entry": str(big)}))
    assert entries(client) == held


# -- lab dates outside the accepted range --------------------------------------------


def observation(day: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "19123-9"}]},
        "valueQuantity": {"value": 2.0, "unit": "mg/dL"},
        "effectiveDateTime": day,
    }


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_lab_dates_outside_the_range_are_refused(client: TestClient, day: str) -> None:
    held = entries(client)
    answer = client.post("/api/v1/me/labs/fhir", json=observation(day))
    assert answer.status_code == 422
    assert "1900-01-01 to 2999-12-31" in answer.json()["detail"][0]["msg"]
    bundle = {
        "resourceType": "Bundle",
        "entry": [{"resource": observation("2026-01-05")}, {"resource": observation(day)}],
    }
    assert client.post("/api/v1/me/labs/fhir", json=bundle).status_code == 422
    export = client.get("/api/v1/me/export").json()
    export["labs"][0]["date"] = day
    answer = client.post("/api/v1/me/import", params={"replace": "true"}, json=export)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["field"] == "labs[0].date"
    assert entries(client) == held


def test_the_cli_refuses_them_too(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "labs.json"
    path.write_text(json.dumps(observation("0001-01-01")), encoding="utf-8")
    out = CliRunner().invoke(cli, ["import-labs", str(path)])
    assert out.exit_code == 2, out.output
    assert "1900-01-01 to 2999-12-31" in out.output


# -- stored data at any date renders ------------------------------------------------


@pytest.mark.parametrize(
    "days",
    [
        (dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(1, 1, 1),),
        (dt.date(9999, 12, 31),),
        (dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
    ],
)
def test_pages_render_labs_stored_at_any_date(url: str, client: TestClient, days: Any) -> None:
    with Store.open(url) as store:
        me = store.local_person()
        store.add(me, *(LabEntry(0, day, "serum_magnesium", 0.8, "mmol/L") for day in days))
    for path in ["/progress", "/progress?weeks=4", "/today", "/data"]:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
    page = client.get("/progress").text
    assert "<svg" in page
    for path in ["/api/v1/me/progress", "/api/v1/me/report", "/api/v1/me/export"]:
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text[:300])
    for day in days:
        assert client.get("/today", params={"day": day.isoformat()}).status_code < 500
