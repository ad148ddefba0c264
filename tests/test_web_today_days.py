"""Today's faster ways without a browser: own foods, the food box's water, log again,
copy, saved meals and edits, as forms post them (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._web import local_client

from magwise.foods import FoodIndex
from magwise.record import FoodEntry
from magwise.store import Store
from magwise.web import Settings, create_app

TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.fixture
def store(database_url: str, data_dir: Path, food_index: FoodIndex) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def client(database_url: str, store: Store) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def _post(client: TestClient, path: str, **form: str) -> str:
    answer = client.post(f"/today/{path}?lang=de", data=form, follow_redirects=True)
    assert answer.status_code == 200, answer.text
    return answer.text


def _error(client: TestClient, path: str, **form: str) -> str:
    answer = client.post(f"/today/{path}?lang=en", data=form)
    assert answer.status_code == 422
    (line,) = re.findall(r'<p class="log-error" role="alert"[^>]*>(.*?)</p>', answer.text, re.S)
    return re.sub(r"<[^>]+>", "", line)


def test_an_own_food_is_added_found_logged_and_deleted_on_the_page(
    client: TestClient, store: Store
) -> None:
    html = _post(
        client,
        "own-food",
        own_name="Dinkelbrot Meier",
        mg_per_portion="30",
        own_portion="1 Scheibe=50g",
    )
    assert "Dinkelbrot Meier" in html and "60 mg pro 100 g" in html
    found = client.get("/partials/log-foods", params={"q": "dinkelbrot", "lang": "de"}).text
    assert "own%3A1" in found and "eigenes Lebensmittel" in found
    _post(
        client,
        "own-food",
        own_id="1",
        own_name="Dinkelbrot Meier",
        name_en="Spelt bread Meier",
        mg_per_100g="60",
        own_portion="1 Scheibe=50g",
    )
    found = client.get("/partials/log-foods", params={"q": "spelt bread", "lang": "en"}).text
    assert "Spelt bread Meier" in found and "own food" in found
    row = client.get("/partials/log-food-row", params={"ndb": "own:1", "lang": "de"}).text
    assert "1 Scheibe (50 g)" in row
    html = _post(client, "food", food="own:1", food_amount="2", food_unit="1 Scheibe", meal="lunch")
    assert "Mittagessen" in html and "60 mg" in html
    _post(client, "own-food-delete", own_id="own:1")
    (entry,) = store.record(store.local_person()).foods
    assert (entry.description, entry.grams, entry.mg_per_100g) == ("Dinkelbrot Meier", 100.0, 60.0)
    error = _error(client, "own-food", own_name="x")
    assert "Magnesium per 100 g: " in error and "mg_per_100g" not in error  # the form's label


def test_a_water_typed_in_the_food_box_opens_a_water_entry(
    client: TestClient, store: Store
) -> None:
    found = client.get("/partials/log-foods", params={"q": "Leitungswasser", "lang": "de"}).text
    assert 'id="water-typed"' in found and "ist ein Wasser" in found
    assert 'id="water-typed"' not in client.get("/partials/log-foods", params={"q": "almonds"}).text
    _post(client, "water-typed", water_liters="1.5", water_mg="20", water_name="")
    store.define_water(store.local_person(), "Gerolsteiner", mg_per_liter=108)
    found = client.get("/partials/log-foods", params={"q": "gerolsteiner"}).text
    assert 'value="108"' in found and "readonly" in found
    _post(client, "water-typed", water_liters="1", water_mg="", water_name="Gerolsteiner")
    water = store.record(store.local_person()).water
    assert [(w.liters, w.mg_per_liter, w.name) for w in water] == [
        (1.5, 20.0, None),
        (1.0, 108.0, "Gerolsteiner"),
    ]
    error = _error(client, "water-typed", water_liters="1", water_mg="")
    assert "Magnesium: missing" in error and "water_mg" not in error


@pytest.mark.parametrize(
    ("typed", "liters"),
    [("1 Glas Mineralwasser", "0.2"), ("Mineralwasser 0,5 l", "0.5"), ("33 cl Wasser", "0.33")],
)
def test_a_water_typed_with_its_amount_brings_the_amount(
    client: TestClient, store: Store, typed: str, liters: str
) -> None:
    found = client.get("/partials/log-foods", params={"q": typed, "lang": "de"}).text
    assert 'id="water-typed"' in found
    assert f'name="water_liters" type="text" inputmode="decimal" size="5" value="{liters}"' in found
    _post(client, "water-typed", water_liters="2 Gläser", water_mg="50", water_name="")
    (water,) = store.record(store.local_person()).water
    assert (water.liters, water.mg_per_liter) == (0.4, 50.0)


def test_again_copy_meals_and_edits_on_the_page(client: TestClient, store: Store) -> None:
    me = store.local_person()
    oats = FoodEntry(0, YESTERDAY, "08120", 60, None, 1, "Cereals, oats", None, "breakfast")
    (oats_id,) = store.add(me, oats)
    html = client.get("/today", params={"lang": "de"}).text
    assert "Zuletzt gegessen" in html and "Noch einmal" in html
    _post(client, "again", entry=str(oats_id), date=TODAY.isoformat())
    _post(client, "copy", source=YESTERDAY.isoformat(), date=TODAY.isoformat(), meal="")
    assert len(store.record(me, TODAY, TODAY).foods) == 2
    _post(client, "meal-save", meal_name="Hafer", meal="breakfast", date=YESTERDAY.isoformat())
    html = _post(client, "meal-log", saved_meal="Hafer", meal="", date=TODAY.isoformat())
    assert "Frühstück" in html and len(store.record(me, TODAY, TODAY).foods) == 3
    today_ids = [e.id for e in store.record(me, TODAY, TODAY).foods]
    _post(
        client,
        "edit",
        entry=str(today_ids[0]),
        amount="80 g",
        meal="dinner",
        new_date=TODAY.isoformat(),
        date=TODAY.isoformat(),
    )
    edited = store.entry(me, today_ids[0])
    assert isinstance(edited, FoodEntry) and (edited.grams, edited.meal) == (80.0, "dinner")
    assert "no entry" in _error(client, "edit", entry="999", amount="1 g")
    error = _error(client, "edit", entry=str(today_ids[0]), amount="lots")
    assert "Amount: " in error and "amount:" not in error
    assert "has no" in _error(client, "copy", source="2001-01-01", meal="")
