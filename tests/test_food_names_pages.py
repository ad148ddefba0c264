"""German food names wherever a German page or report shows a food: Today's entries,
its recent foods and its undo line, the assessment's food suggestions and the report.
English pages and the CLI's line keep SR28's description (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from tests._cases import make_case, water_only
from tests._web import local_client

from magwise import load_knowledge
from magwise.examples.diary import example_record
from magwise.foods import FoodIndex, food_name
from magwise.record import FoodEntry
from magwise.report import render_html
from magwise.store import describe, describe_in
from magwise.web import Settings, create_app

TODAY = dt.date.today()
SEEDS_EN = "Seeds, pumpkin and squash seed kernels, dried"
SEEDS_DE = "Kürbiskerne, getrocknet"


@pytest.fixture
def client(database_url: str, data_dir: Path, food_index: FoodIndex) -> Iterator[TestClient]:
    with local_client(create_app(Settings(database_url=database_url, warm_up=False))) as client:
        yield client


def _entries(page: str) -> str:
    """The Today page's list of the day's entries."""
    start = page.index('id="log-entries"')
    return page[start : page.index("</section>", start)]


def _recent(page: str) -> str:
    start = page.index('class="log-recent"')
    return page[start : page.index("</ul>", start)]


def test_todays_entries_recent_foods_and_undo_name_foods_in_german(client: TestClient) -> None:
    day = TODAY.isoformat()
    form = {"date": day, "food": "12014", "food_amount": "30", "food_unit": "g", "meal": "snack"}
    answer = client.post("/today/food?lang=de", data=form, follow_redirects=True)
    assert answer.status_code == 200, answer.text
    german = client.get("/today", params={"lang": "de", "date": day}).text
    english = client.get("/today", params={"lang": "en", "date": day}).text
    assert f"30 g {SEEDS_DE}" in _entries(german)
    assert SEEDS_EN not in _entries(german)
    assert SEEDS_DE in _recent(german)
    assert SEEDS_EN not in german  # nowhere on the German page, the undo line included
    assert f"30 g {SEEDS_EN}" in _entries(english)
    assert SEEDS_EN in _recent(english)
    assert SEEDS_DE not in english


def test_a_german_entry_line_names_the_food_and_its_measure_in_german(
    food_index: FoodIndex,
) -> None:
    de, en = load_knowledge("de"), load_knowledge()
    entry = FoodEntry(1, TODAY, "11457", None, "1 cup", 2, "Spinach, raw")
    assert describe_in(entry, de, food_index) == ("food", "2 × 1 Tasse Spinat, roh")
    assert describe_in(entry, en, food_index) == ("food", "2 x 1 cup Spinach, raw")
    assert "Spinach, raw" in describe(entry)  # the CLI's and the API's line stay English
    glass = FoodEntry(2, TODAY, "14096", 198.826, None, 1, "Alcoholic beverage, wine, table, red")
    assert describe_in(glass, de, food_index)[1] == "198,8 g Rotwein"  # weighed to 0.1 g


def test_own_and_unnamed_foods_keep_the_name_they_were_logged_with(
    food_index: FoodIndex,
) -> None:
    assert food_name("own:3", "Dinkelbrot Meier", "de", food_index) == "Dinkelbrot Meier"
    unnamed = next(f for f in food_index if food_index.name(f, "de") == f.description)
    assert food_name(unnamed.ndb, unnamed.description, "de", food_index) == unnamed.description
    assert food_name("12014", SEEDS_EN, "de", food_index) == SEEDS_DE
    assert food_name("12014", SEEDS_EN, "en", food_index) == SEEDS_EN


def test_the_german_report_suggests_foods_by_their_german_names(food_index: FoodIndex) -> None:
    record, _ = example_record(TODAY)
    record = dataclasses.replace(record, foods=(), supplements=())  # water alone: a gap to close
    german = render_html(record, today=TODAY, knowledge=load_knowledge("de"), foods=food_index)
    english = render_html(record, today=TODAY, foods=food_index)
    assert f"{SEEDS_DE} (1 oz," in german and SEEDS_EN not in german
    assert "Spinat, gekocht (1 Tasse," in german
    assert f"{SEEDS_EN} (1 oz," in english and SEEDS_DE not in english


def test_the_german_assessment_suggests_foods_by_their_german_names(client: TestClient) -> None:
    case = json.dumps(make_case(days=[water_only(100)]))  # water alone: a gap to close with food
    german = client.post("/case?lang=de", data={"case": case}).text
    english = client.post("/case?lang=en", data={"case": case}).text
    assert SEEDS_DE in german and SEEDS_EN not in german
    assert SEEDS_EN in english and SEEDS_DE not in english


def test_an_own_food_is_named_in_the_language_it_was_given_one(client: TestClient) -> None:
    day = TODAY.isoformat()
    own = {
        "own_name": "Dinkelbrot Meier",
        "name_en": "Spelt bread Meier",
        "mg_per_100g": "60",
        "own_portion": "1 Scheibe=50g",
    }
    assert client.post("/today/own-food?lang=de", data=own).status_code in (200, 303)
    logged = {"date": day, "food": "own:1", "food_amount": "50", "food_unit": "g"}
    client.post("/today/food?lang=de", data=logged, follow_redirects=True)
    german = client.get("/today", params={"lang": "de", "date": day}).text
    english = client.get("/today", params={"lang": "en", "date": day}).text
    assert "50 g Dinkelbrot Meier" in _entries(german)
    assert "50 g Spelt bread Meier" in _entries(english)
    assert "Spelt bread Meier" in _recent(english)
    assert "Dinkelbrot Meier" not in _entries(english)
