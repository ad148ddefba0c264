"""The API of own foods and faster days: /api/v1/me/foods, /recent, /meals, /days/copy,
PATCH /entries/{id} and a water found by the food search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.foods import FoodIndex
from magwise.web import Settings, create_app

ME = "/api/v1/me"
TODAY = dt.date.today()
DAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def client(database_url: str, food_index: FoodIndex) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    (detail,) = response.json()["detail"]
    return dict(detail)


def test_an_own_food_is_added_found_logged_changed_and_deleted(client: TestClient) -> None:
    body = {"name": "Vollkornbrot Meier", "mg_per_portion": 32, "portion": "1 Scheibe=40g"}
    food = _ok(client.post(f"{ME}/foods", json=body), 201)
    assert (food["id"], food["own"], food["mg_per_100g"]) == ("own:1", True, 80.0)
    found = _ok(client.get(f"{ME}/foods/search", params={"q": "vollkornbrot"}))
    assert found["water"] is None and found["foods"][0]["id"] == "own:1"
    entry = _ok(
        client.post(
            f"{ME}/entries/food",
            json={"ndb": "own:1", "portion": "1 Scheibe", "count": 2, "meal": "breakfast"},
        ),
        201,
    )
    assert (entry["grams"], entry["mg_per_100g"], entry["meal"]) == (80.0, 80.0, "breakfast")
    _ok(client.put(f"{ME}/foods/1", json={"name": "Vollkornbrot Meier", "mg_per_100g": 90}))
    _ok(client.delete(f"{ME}/foods/1"))
    assert _ok(client.get(f"{ME}/foods")) == []
    kept = _ok(client.get(f"{ME}/entries/{entry['id']}"))
    assert (kept["description"], kept["mg_per_100g"]) == ("Vollkornbrot Meier", 80.0)
    assert client.delete(f"{ME}/foods/1").status_code == 404


def test_bad_own_food_input_is_a_422_naming_the_field(client: TestClient) -> None:
    assert _refused(client.post(f"{ME}/foods", json={"name": "x"}))["field"] == "mg_per_100g"
    bad = {"name": "x", "mg_per_100g": 1, "portion": "slice"}
    assert _refused(client.post(f"{ME}/foods", json=bad))["field"] == "portion"
    assert (
        _refused(client.post(f"{ME}/entries/food", json={"ndb": "own:9", "grams": 1}))["field"]
        == "food"
    )


def test_a_water_is_found_by_the_food_search(client: TestClient) -> None:
    found = _ok(client.get(f"{ME}/foods/search", params={"q": "Mineralwasser"}))
    assert found["water"] == {"name": None, "mg_per_liter": None, "liters": None}
    _ok(client.put(f"{ME}/waters/Gerolsteiner", json={"mg_per_liter": 108}))
    found = _ok(client.get(f"{ME}/foods/search", params={"q": "gerolsteiner"}))
    assert found["water"] == {"name": "Gerolsteiner", "mg_per_liter": 108.0, "liters": None}
    found = _ok(client.get(f"{ME}/foods/search", params={"q": "1 Glas Gerolsteiner"}))
    assert found["water"] == {"name": "Gerolsteiner", "mg_per_liter": 108.0, "liters": 0.2}
    assert _ok(client.get(f"{ME}/foods/search", params={"q": "almonds"}))["water"] is None


def test_a_day_is_copied_saved_as_a_meal_and_logged_again(client: TestClient) -> None:
    on = DAY.isoformat()
    oats = {"ndb": "08120", "grams": 60, "meal": "breakfast", "date": on}
    first = _ok(client.post(f"{ME}/entries/food", json=oats), 201)
    _ok(
        client.post(f"{ME}/entries/water", json={"liters": 1, "mg_per_liter": 100, "date": on}), 201
    )
    copied = _ok(client.post(f"{ME}/days/copy", json={"source": on}), 201)
    assert [e["kind"] for e in copied["entries"]] == ["food", "water"]
    meal = _ok(client.put(f"{ME}/meals/Hafer", json={"date": on, "meal": "breakfast"}))
    assert [f["ndb"] for f in meal["foods"]] == ["08120"]
    logged = _ok(client.post(f"{ME}/meals/hafer/log", json={"meal": "lunch"}), 201)
    assert logged["entries"][0]["meal"] == "lunch"
    recent = _ok(client.get(f"{ME}/recent"))
    assert [(r["entry"]["ndb"], r["times"]) for r in recent] == [("08120", 3)]
    again = _ok(client.post(f"{ME}/entries/{first['id']}/again", json={}), 201)
    assert (again["date"], again["grams"]) == (TODAY.isoformat(), 60.0)
    assert client.post(f"{ME}/meals/nothing/log", json={}).status_code == 404
    assert _refused(client.post(f"{ME}/days/copy", json={"source": "2001-01-01"}))


def test_an_entry_is_edited(client: TestClient) -> None:
    entry = _ok(client.post(f"{ME}/entries/food", json={"ndb": "12061", "grams": 30}), 201)
    path = f"{ME}/entries/{entry['id']}"
    edited = _ok(client.patch(path, json={"portion": "1 oz", "count": 2, "meal": "snack"}))
    assert (edited["grams"], edited["portion"], edited["count"], edited["meal"]) == (
        None,
        "1 oz (23 whole kernels)",
        2.0,
        "snack",
    )
    edited = _ok(client.patch(path, json={"date": DAY.isoformat(), "no_meal": True}))
    assert (edited["date"], edited["meal"]) == (DAY.isoformat(), None)
    assert _refused(client.patch(path, json={"meal": "brunch"}))["field"] == "meal"
    assert _refused(client.patch(path, json={}))["field"] == "date"
    assert client.patch(f"{ME}/entries/9999", json={"grams": 1}).status_code == 404
